import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Dataset } from '@nnkit/datasets';
import type { Sequential } from '@nnkit/layers';
import { sizeOf } from '@nnkit/tensor';
import { combinePredictions, type EvaluateParallelOptions, type EvaluateResult, evaluateWithTtaParallel } from '@nnkit/train';
import { UserError } from './errors.js';
import { isRecord } from './model-file.js';
import { readTextFile } from './paths.js';
import { writeOutputFile } from './write-file.js';

/** The seeds of an ensemble of `members` models: `seed`, `seed + 1`, …. */
export function memberSeeds(seed: number, members: number): number[] {
  return Array.from({ length: members }, (_, member) => seed + member);
}

/** Where a member's model goes: `--out` itself for one model, `OUT-SEED.json` for each of several. */
export function memberOutPath(out: string | null, seed: number, members: number): string | null {
  if (out === null) return null;
  return members === 1 ? out : out.replace(/(\.json)?$/, `-${seed}.json`);
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
