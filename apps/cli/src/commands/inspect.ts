import type { Command } from 'commander';
import { modelFormat } from '@nnkit/layers';
import { formatShape } from '@nnkit/tensor';
import { describeSetting, formatLayerConfig, readModelFile } from '../model-file.js';
import { createOutput } from '../output.js';
import { historyTable } from '../report/index.js';

interface InspectOptions {
  json?: boolean;
}

const integer = (value: number) => value.toLocaleString('en-US');
/** `validationAccuracy` → `validation accuracy`. */
const words = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();

/** Text columns padded to their widest cell; `right` lists the right-aligned (numeric) columns. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[], right: ReadonlySet<number>): string[] {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
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
  const header = ['epoch', ...table.columns.map(words)];
  const rows = table.epochs.map((epoch, row) => [String(epoch), ...table.columns.map((column) => format(column, table.values[column][row]))]);
  return formatTable(header, rows, new Set(header.map((_, index) => index)));
}

export function registerInspect(program: Command): void {
  program
    .command('inspect')
    .description('show what a model file holds: layers, output shapes, parameter counts, metadata and training history')
    .argument('<model>', 'model file written by `nnkit train --out`')
    .option('--json', 'print one JSON object with the results as the last stdout line')
    .action((modelPath: string, options: InspectOptions) => {
      runInspect(modelPath, options);
    });
}

function runInspect(modelPath: string, options: InspectOptions): void {
  const output = createOutput(options);
  const file = readModelFile(modelPath);
  const { model, meta, history } = file;
  const summary = model.summary();
  const total = summary.reduce((sum, row) => sum + row.params, 0);
  const trainable = summary.reduce((sum, row) => sum + row.trainableParams, 0);

  output.line(output.color('bold', file.path) + output.color('dim', ` · ${modelFormat.name} v${modelFormat.version} · ${(file.bytes / 1024).toFixed(1)} KB`));
  output.line(`input ${formatShape(model.inputShape)} → output ${formatShape(model.outputShape)} · loss ${model.loss.config.kind}`);
  output.line('');
  const rows = summary.map((row, index) => [row.name, formatShape(row.outputShape), integer(row.params), formatLayerConfig(model.layers[index].config)]);
  for (const line of formatTable(['Layer', 'Output shape', 'Params', 'Settings'], rows, new Set([2]))) output.line(line);
  output.line(`Total params: ${integer(total)}`);
  output.line(`Trainable params: ${integer(trainable)}`);
  output.line(`Non-trainable params: ${integer(total - trainable)}`);
  if (meta && Object.keys(meta).length > 0) {
    output.line('');
    output.line(output.color('bold', 'Metadata'));
    const width = Math.max(...Object.keys(meta).map((key) => words(key).length));
    for (const [key, value] of Object.entries(meta)) output.line(`  ${words(key).padEnd(width)}  ${describeSetting(value)}`);
  }
  output.line('');
  if (history) {
    output.line(output.color('bold', `Training history (${history.length} epoch${history.length === 1 ? '' : 's'})`));
    for (const line of historyLines(history)) output.line(line);
  } else {
    output.line(output.color('dim', 'no training history in this file'));
  }
  output.result({
    command: 'inspect',
    model: file.path,
    bytes: file.bytes,
    format: modelFormat.name,
    version: modelFormat.version,
    inputShape: model.inputShape,
    outputShape: model.outputShape,
    loss: model.loss.config,
    layers: summary.map((row, index) => ({ ...row, config: model.layers[index].config })),
    totalParams: total,
    trainableParams: trainable,
    meta: meta ?? null,
    history: history ?? null,
  });
}
