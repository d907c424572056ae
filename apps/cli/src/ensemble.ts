import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Dataset } from '@nnkit/datasets';
import type { Sequential } from '@nnkit/layers';
import { sizeOf } from '@nnkit/tensor';
import { combinePredictions, type EvaluateParallelOptions, type EvaluateResult, evaluateWithTtaParallel, presetMembers, presets } from '@nnkit/train';
import { UserError } from './errors.js';
import { isRecord } from './model-file.js';
import { readTextFile } from './paths.js';
import type { TrainSettings } from './settings.js';
import { writeOutputFile } from './write-file.js';

/** One model of a `train` command: its settings (seed, network) and where its model and run file go. */
export interface PlannedMember {
  readonly settings: TrainSettings;
  readonly out: string | null;
  readonly checkpointPath: string | null;
}

/**
 * The models of a `train` command of `count` members (`presetMembers`): seeds SEED, SEED + 1, …
 * of one network, or the preset's networks in turn, each with its own seeds. One model keeps
 * `--out` and `--checkpoint` as given; each of several gets `OUT-SEED.json` (`OUT-NETWORK-SEED.json`
 * for a preset's networks). An --arch network, or a fine-tuned one, is one network.
 */
export function planMembers(settings: TrainSettings, count: number, files: { out: string | null; checkpointPath: string | null }): PlannedMember[] {
  const preset = presets[settings.preset];
  const ownNetwork = settings.arch !== null || settings.initFrom !== undefined || settings.network !== undefined;
  const members = presetMembers(ownNetwork ? { ...preset, networks: undefined } : preset, count, settings.seed);
  const path = (file: string | null, suffix: string) => (file === null || count === 1 ? file : file.replace(/(\.json)?$/, `-${suffix}.json`));
  return members.map(({ seed, network }) => {
    const suffix = network === undefined ? `${seed}` : `${network.name}-${seed}`;
    return {
      settings: { ...settings, seed, ...(network === undefined ? {} : { network: network.name }) },
      out: path(files.out, suffix),
      checkpointPath: path(files.checkpointPath, suffix),
    };
  });
}

/**
 * The member run files of an ensemble run started with `--checkpoint PATH` (`PATH-SEED.json`,
 * `PATH-NETWORK-SEED.json` beside it), when PATH itself does not exist; empty otherwise.
 */
export function ensembleRunFiles(path: string): string[] {
  const full = resolve(path);
  const folder = dirname(full);
  if (existsSync(full) || !existsSync(folder) || !statSync(folder).isDirectory()) return [];
  const stem = basename(full).replace(/\.json$/, '');
  const escaped = stem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const member = new RegExp(`^${escaped}-(?:[a-z][a-z0-9-]*-)?\\d+\\.json$`, 'i');
  return readdirSync(folder)
    .filter((name) => member.test(name))
    .map((name) => join(dirname(path), name));
}

/** How output names a member: `seed 3`, or `gap seed 3` for a preset's network. */
export function memberLabel(settings: TrainSettings): string {
  return settings.network === undefined ? `seed ${settings.seed}` : `${settings.network} seed ${settings.seed}`;
}

/** An ensemble's test accuracy by majority vote and by averaged probabilities. */
export interface EnsembleScores {
  readonly vote: number;
  readonly average: number;
}

/**
 * Scores the members together on `test`, the images split over `scoring.threads`: the vote of
 * their predictions (one view each), and the argmax of their probabilities averaged over every
 * member and `views` test-time views of each image (1: none) — what `nnkit eval MEMBERS… --tta
 * VIEWS` prints.
 */
export async function scoreEnsemble(models: readonly Sequential[], test: Dataset, scoring: EvaluateParallelOptions, views = 1): Promise<EnsembleScores> {
  const members: EvaluateResult[] = [];
  for (const model of models) members.push(await evaluateWithTtaParallel(model, test, { ...scoring, views: 1 }));
  const classes = sizeOf(models[0].outputShape);
  const accuracy = (predictions: Uint8Array) => {
    let correct = 0;
    for (let r = 0; r < test.count; r++) if (predictions[r] === test.labels[r]) correct++;
    return correct / test.count;
  };
  // One view: the members' probabilities just scored are the ones eval averages (same images,
  // same batches); more views need every member over every view.
  const average = views > 1 ? (await evaluateWithTtaParallel(models, test, { ...scoring, views })).accuracy : accuracy(combinePredictions(members, classes, 'average').predictions);
  return { vote: accuracy(combinePredictions(members, classes, 'vote').predictions), average };
}

/** What marks an ensemble file: `nnkit train --ensemble K --out OUT.json` writes one at OUT.json, beside its members. */
export const ENSEMBLE_FORMAT = 'nnkit-ensemble';

/**
 * Writes the ensemble file: its members' model files (named relative to its folder, where they
 * are written) and how they were trained, so that `nnkit eval OUT.json` scores them together.
 */
export function writeEnsembleFile(path: string, memberPaths: readonly string[], meta: Record<string, unknown>): void {
  const folder = dirname(resolve(path));
  const members = memberPaths.map((member) => relative(folder, resolve(member)).split(sep).join('/'));
  writeOutputFile(path, `${JSON.stringify({ format: ENSEMBLE_FORMAT, version: 1, members, meta }, null, 1)}\n`);
}

/**
 * The member files an ensemble file lists (resolved against its folder), or null when `path` is
 * not an ensemble file (a model file, or anything else `readModelFile` will judge). Errors name
 * the file and the field.
 */
export function ensembleMembers(path: string): string[] | null {
  const text = readTextFile(path, 'model');
  if (!text.includes(`"${ENSEMBLE_FORMAT}"`)) return null;
  let file: unknown;
  try {
    file = JSON.parse(text);
  } catch {
    return null; // readModelFile reports the broken JSON, with its position
  }
  if (!isRecord(file) || file.format !== ENSEMBLE_FORMAT) return null;
  if (file.version !== 1) throw new UserError(`${path}: version: expected 1, got ${JSON.stringify(file.version)}`);
  const members = file.members;
  if (!Array.isArray(members) || members.length === 0) throw new UserError(`${path}: members: expected a list of model files, got ${JSON.stringify(members)?.slice(0, 80)}`);
  return members.map((member, index) => {
    if (typeof member !== 'string' || member === '') throw new UserError(`${path}: members[${index}]: expected a model file name, got ${JSON.stringify(member)?.slice(0, 80)}`);
    // Beside the ensemble file, named as relative as the ensemble file was (what eval and inspect print).
    const memberPath = isAbsolute(member) ? member : join(dirname(path), member);
    if (ensembleMembers(memberPath) !== null) throw new UserError(`${path}: members[${index}]: ${member} is an ensemble file itself; list model files`);
    return memberPath;
  });
}
