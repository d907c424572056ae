import { readFileSync, statSync } from 'node:fs';
import { relative } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Command } from 'commander';
import { modelFormat, Sequential, type ModelDefinition } from '@nnkit/layers';
import { createRng, formatShape } from '@nnkit/tensor';
import { presets } from '@nnkit/train';
import { ensembleMembers, ensembleRunFiles } from '../ensemble.js';
import { describeSetting, formatLayerConfig, readModelFile } from '../model-file.js';
import { createOutput, escapeControl, type Output } from '../output.js';
import { assertReadableFile } from '../paths.js';
import { bestValidationEpoch, formatDuration } from '../progress.js';
import { historyTable } from '../report/index.js';
import { isRunFile, readRunFile, RUN_FILE_FORMAT } from '../run-file.js';
import { modelDefinitionOf, resolvePreset } from '../settings.js';
import { savedAfter } from '../train-member.js';

interface InspectOptions {
  json?: boolean;
}

const integer = (value: number) => value.toLocaleString('en-US');
/** `validationAccuracy` → `validation accuracy`. */
const words = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();

/** Text columns padded to their widest cell; `right` lists the right-aligned (numeric) columns. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[], right: ReadonlySet<number>): string[] {
  const widths = header.map((title, column) => rows.reduce((widest, row) => Math.max(widest, row[column].length), title.length));
  const line = (cells: readonly string[]) =>
    cells.map((cell, column) => (right.has(column) ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join('  ').trimEnd();
  return [line(header), '─'.repeat(widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1)), ...rows.map(line)];
}

/** Per-epoch history as a text table: accuracies in percent, losses to 4 decimals. */
function historyLines(history: readonly object[]): string[] {
  const table = historyTable(history);
  const percentages = table.columns.filter((c) => /accuracy$/i.test(c) && table.values[c].every((v) => !(v > 1.0001)));
  const format = (column: string, value: number) => {
    if (!Number.isFinite(value)) return '–';
    if (percentages.includes(column)) return `${(value * 100).toFixed(2)}%`;
    if (/loss$/i.test(column)) return value.toFixed(4);
    if (/seconds$/i.test(column)) return value.toFixed(1);
    if (Number.isInteger(value)) return integer(value);
    return Math.abs(value) >= 1 ? value.toFixed(2) : String(Number(value.toPrecision(3)));
  };
  const header = ['epoch', ...table.columns.map((column) => escapeControl(words(column)))];
  const rows = table.epochs.map((epoch, row) => [String(epoch), ...table.columns.map((column) => format(column, table.values[column][row]))]);
  return formatTable(header, rows, new Set(header.map((_, index) => index)));
}

export function registerInspect(program: Command): void {
  program
    .command('inspect')
    .description('show what a model file holds: layers, output shapes, parameter counts, metadata and training history; or where a training run saved in a checkpoint stands')
    .argument('<model>', 'model file written by `nnkit train --out` (or the ensemble file of `--ensemble K --out`), or a checkpoint written by `nnkit train --checkpoint` (an ensemble run\'s: every member\'s progress)')
    .option('--json', 'print one JSON object with the results as the last stdout line')
    .action((modelPath: string, options: InspectOptions) => {
      // An ensemble run's --checkpoint names no file itself: its members' run files stand beside it.
      const memberRuns = ensembleRunFiles(modelPath).filter((file) => isRunFile(file));
      if (memberRuns.length > 0) return runInspectEnsembleRun(modelPath, memberRuns, options);
      assertReadableFile(modelPath, 'model');
      if (isRunFile(modelPath)) runInspectCheckpoint(modelPath, options);
      else {
        const members = ensembleMembers(modelPath);
        if (members) runInspectEnsemble(modelPath, members, options);
        else runInspect(modelPath, options);
      }
    });
}

/** The layer table and parameter totals of `model`; returns the summary for --json. */
function printLayers(output: Output, model: Sequential) {
  const summary = model.summary();
  const total = summary.reduce((sum, row) => sum + row.params, 0);
  const trainable = summary.reduce((sum, row) => sum + row.trainableParams, 0);
  output.line(`input ${formatShape(model.inputShape)} → output ${formatShape(model.outputShape)} · loss ${model.loss.config.kind}`);
  output.line('');
  const rows = summary.map((row, index) => [row.name, formatShape(row.outputShape), integer(row.params), formatLayerConfig(model.layers[index].config)]);
  for (const line of formatTable(['Layer', 'Output shape', 'Params', 'Settings'], rows, new Set([2]))) output.line(line);
  output.line(`Total params: ${integer(total)}`);
  output.line(`Trainable params: ${integer(trainable)}`);
  output.line(`Non-trainable params: ${integer(total - trainable)}`);
  return { layers: summary.map((row, index) => ({ ...row, config: model.layers[index].config })), totalParams: total, trainableParams: trainable };
}

function printHistory(output: Output, history: readonly object[] | undefined): void {
  if (history && history.length > 0) {
    output.line(output.color('bold', `Training history (${history.length} epoch${history.length === 1 ? '' : 's'})`));
    for (const line of historyLines(history)) output.line(line);
  } else {
    output.line(output.color('dim', 'no training history in this file'));
  }
}

/** A run checkpoint: its settings, how far it got, the network and the history so far. */
function runInspectCheckpoint(path: string, options: InspectOptions): void {
  const output = createOutput(options);
  const run = readRunFile(path, 'model');
  const { settings, checkpoint } = run;
  const batches = Math.ceil(checkpoint.trainCount / checkpoint.batchSize);
  const { epoch, batch } = checkpoint.position;
  const model = new Sequential(modelDefinitionOf(settings), createRng(0));
  output.line(output.color('bold', path) + output.color('dim', ` · nnkit train checkpoint · ${(statSync(path).size / 1024 / 1024).toFixed(1)} MB`));
  output.line(
    `${settings.arch ? `--arch ${settings.arch}` : `preset ${settings.preset}${settings.network ? ` · network ${settings.network}` : ''}`} · ${settings.epochs} epochs · batch ${settings.batchSize} · ` +
      `${settings.optimizer.kind} η=${settings.optimizer.learningRate ?? ''} · seed ${settings.seed} · ${settings.threads ?? 1} thread(s) · data ${settings.data}` +
      (settings.limit === null ? '' : ` (first ${integer(settings.limit)})`),
  );
  output.line(
    `${epoch} of ${settings.epochs} epochs done` +
      (batch > 0 ? `, ${integer(batch)} of ${integer(batches)} batches into epoch ${epoch + 1}` : '') +
      ` · continue with: nnkit train --resume ${path}`,
  );
  output.line('');
  const layers = printLayers(output, model);
  output.line('');
  printHistory(output, checkpoint.history);
  const best = bestValidationEpoch(checkpoint.history);
  if (best !== null) {
    const pct = (value: number) => `${(value * 100).toFixed(2)}%`;
    output.line(
      `best validation accuracy so far ${pct(best.validationAccuracy)} at epoch ${best.epoch}` + (best.testAccuracy === undefined ? '' : `, test accuracy there ${pct(best.testAccuracy)}`),
    );
  }
  output.result({
    command: 'inspect',
    checkpoint: path,
    format: RUN_FILE_FORMAT,
    settings,
    out: run.out,
    position: { epoch, batch, batchesPerEpoch: batches },
    inputShape: model.inputShape,
    outputShape: model.outputShape,
    loss: model.loss.config,
    ...layers,
    history: checkpoint.history,
    bestValidation: best,
  });
}

function runInspect(modelPath: string, options: InspectOptions): void {
  const output = createOutput(options);
  const file = readModelFile(modelPath);
  const { model, meta, history } = file;

  output.line(output.color('bold', file.path) + output.color('dim', ` · ${modelFormat.name} v${modelFormat.version} · ${(file.bytes / 1024).toFixed(1)} KB`));
  const layers = printLayers(output, model);
  if (meta && Object.keys(meta).length > 0) {
    output.line('');
    output.line(output.color('bold', 'Metadata'));
    const width = Object.keys(meta).reduce((widest, key) => Math.max(widest, escapeControl(words(key)).length), 0);
    for (const [key, value] of Object.entries(meta)) output.line(`  ${escapeControl(words(key)).padEnd(width)}  ${escapeControl(describeSetting(value))}`);
  }
  output.line('');
  printHistory(output, history);
  output.result({
    command: 'inspect',
    model: file.path,
    bytes: file.bytes,
    format: modelFormat.name,
    version: modelFormat.version,
    inputShape: model.inputShape,
    outputShape: model.outputShape,
    loss: model.loss.config,
    ...layers,
    meta: meta ?? null,
    history: history ?? null,
  });
}

let presetNetworkDefinitions: { name: string; definition: ModelDefinition }[] | undefined;

/**
 * The name of the ensemble presets' network (`record-ensemble`'s `gap`) whose normalised
 * definition, layers and loss, a model has exactly: what a member trained with `--arch` and the
 * flags that spell that network out is, so its row need not show the whole string.
 */
function presetNetworkOf(definition: ModelDefinition): string | null {
  presetNetworkDefinitions ??= Object.values(presets).flatMap((preset) =>
    (preset.networks ?? []).map((network) => ({ name: network.name, definition: new Sequential(network.model, createRng('inspect')).definition })),
  );
  return presetNetworkDefinitions.find((network) => isDeepStrictEqual(network.definition, definition))?.name ?? null;
}

/** An ensemble file: its members (each read and summed up: parameters, test accuracy when recorded) and how they were trained. */
function runInspectEnsemble(path: string, memberPaths: readonly string[], options: InspectOptions): void {
  const output = createOutput(options);
  const file = JSON.parse(readFileSync(path, 'utf8')) as { meta?: Record<string, unknown> };
  const meta = file.meta ?? {};
  const recorded = Array.isArray(meta.members) ? (meta.members as { seed?: unknown; testAccuracy?: unknown }[]) : [];
  const pct = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? `${(value * 100).toFixed(2)}%` : '–');
  output.line(output.color('bold', path) + output.color('dim', ` · nnkit ensemble of ${memberPaths.length} models, probabilities averaged by \`nnkit eval\``));
  const members = memberPaths.map((memberPath, index) => {
    const member = readModelFile(memberPath);
    const params = member.model.summary().reduce((sum, row) => sum + row.params, 0);
    const settings = member.meta?.settings as { preset?: unknown; arch?: unknown; network?: unknown } | undefined;
    // What the member trained: a preset's network (record-ensemble's `same` or `gap`, named in its
    // settings or given exactly by its layers and loss: an --arch string and flags, or a preset whose
    // network it was when the member trained), another --arch string, or its preset's network.
    const network =
      typeof settings?.network === 'string'
        ? settings.network
        : (presetNetworkOf(member.model.definition) ??
          (typeof settings?.arch === 'string' ? `--arch ${settings.arch}` : typeof settings?.preset === 'string' ? settings.preset : null));
    return { path: memberPath, network, params, seed: recorded[index]?.seed ?? null, testAccuracy: recorded[index]?.testAccuracy ?? null };
  });
  output.line('');
  // The network column only when the members differ in it (an ensemble of one network's seeds shows none).
  const mixed = new Set(members.map((member) => member.network)).size > 1;
  const rows = members.map((member) => [
    relative(process.cwd(), member.path) || member.path,
    ...(mixed ? [member.network ?? '–'] : []),
    member.seed === null ? '–' : String(member.seed),
    integer(member.params),
    pct(member.testAccuracy),
  ]);
  const headers = ['Member', ...(mixed ? ['Network'] : []), 'Seed', 'Params', 'Test accuracy'];
  for (const line of formatTable(headers, rows, new Set(mixed ? [2, 3, 4] : [1, 2, 3]))) output.line(escapeControl(line));
  const scores = (meta.testAccuracy ?? {}) as { average?: unknown; vote?: unknown };
  const views = typeof meta.testTimeViews === 'number' && meta.testTimeViews > 1 ? ` over ${meta.testTimeViews} test-time views` : '';
  // `train` votes on one view of each member; `eval --save-ensemble` on each member's answer over the views it scored.
  const voteViews = meta.createdBy === 'nnkit eval --save-ensemble' && views !== '' ? "each member's answer over its views" : 'one view each';
  if (scores.average !== undefined) output.line(`test accuracy together: averaged probabilities ${pct(scores.average)}${views} · vote ${pct(scores.vote)} (${voteViews})`);
  output.result({ command: 'inspect', ensemble: path, members, meta });
}

/**
 * An ensemble run in progress (`nnkit train --ensemble K --checkpoint PATH`, or an ensemble
 * preset): each member's run file, in the order the run trains them — how many epochs it has
 * done, its best validation so far, whether its model is saved — and the training time left at
 * the pace of the epochs so far.
 */
function runInspectEnsembleRun(path: string, runFiles: readonly string[], options: InspectOptions): void {
  const output = createOutput(options);
  const runs = runFiles.map((file) => ({ file, run: readRunFile(file, 'model') }));
  const preset = resolvePreset(runs[0].run.settings.preset);
  const networkIndex = (network: string | undefined) => preset.networks?.findIndex((candidate) => candidate.name === network) ?? 0;
  runs.sort((a, b) => a.run.settings.seed - b.run.settings.seed || networkIndex(a.run.settings.network) - networkIndex(b.run.settings.network));
  const members = runs.map(({ file, run }) => {
    const { settings, checkpoint } = run;
    const finished = savedAfter(run.out, file);
    const seconds = checkpoint.history.reduce((sum, record) => sum + (record.seconds ?? 0), 0);
    return {
      runFile: file,
      ...(settings.network === undefined ? {} : { network: settings.network }),
      seed: settings.seed,
      epochs: settings.epochs,
      epochsDone: checkpoint.position.epoch,
      finished,
      out: run.out,
      bestValidation: bestValidationEpoch(checkpoint.history),
      seconds,
    };
  });
  const expected = Math.max(preset.ensemble ?? 1, members.length);
  const epochSeconds = members.reduce((sum, member) => sum + member.seconds, 0) / Math.max(1, members.reduce((sum, member) => sum + member.epochsDone, 0));
  const epochsLeft =
    members.reduce((sum, member) => sum + (member.finished ? 0 : member.epochs - member.epochsDone), 0) + (expected - members.length) * members[0].epochs;
  const secondsToGo = epochsLeft > 0 && members.some((member) => member.epochsDone > 0) ? epochsLeft * epochSeconds : null;
  const done = members.filter((member) => member.finished).length;
  output.line(
    output.color('bold', path) +
      output.color('dim', ` · ensemble run, preset ${preset.name}: ${members.length} member(s) started, ${done} saved (the preset trains ${preset.ensemble ?? 1}; --ensemble K trains K)`),
  );
  output.line('');
  const pct = (value: number) => `${(value * 100).toFixed(2)}%`;
  const rows = members.map((member) => [
    relative(process.cwd(), member.runFile) || member.runFile,
    member.network ?? '–',
    String(member.seed),
    `${member.epochsDone}/${member.epochs}`,
    member.bestValidation === null ? '–' : pct(member.bestValidation.validationAccuracy),
    member.seconds > 0 ? formatDuration(member.seconds * 1000) : '–',
    member.finished ? `saved: ${relative(process.cwd(), member.out!) || member.out}` : member.epochsDone === member.epochs ? 'trained, model not saved yet' : 'training or stopped',
  ]);
  for (const line of formatTable(['Member run file', 'Network', 'Seed', 'Epochs', 'Best validation', 'Time', 'State'], rows, new Set([2, 3, 4, 5]))) {
    output.line(escapeControl(line));
  }
  output.line(
    secondsToGo === null
      ? done === expected
        ? 'every member trained: the repeated command scores them together and writes the ensemble file'
        : 'no epoch finished yet'
      : `≈ ${formatDuration(secondsToGo * 1000)} of training to go for ${expected} members (${epochsLeft} epochs at ${epochSeconds.toFixed(0)} s, the mean so far); repeat the train command to continue`,
  );
  output.result({ command: 'inspect', ensembleRun: path, preset: preset.name, expectedMembers: expected, members, secondsToGo });
}
