import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { type LoadedData, writeDataSpec } from '@nnkit/datasets/node';
import { UsageError } from '../errors.js';
import { dataSpec, limitDataset, loadData, outputDataSpec, parseDataSpec } from '../data-spec.js';
import { positiveInteger } from '../options.js';
import { createOutput } from '../output.js';
import { assertWritableFile } from '../paths.js';

interface ConvertOptions {
  gzip?: boolean;
  limit?: number;
  json?: boolean;
}

/**
 * Checks, before anything is read, that an output spec can be written: `csv:FILE` a writable
 * file path (and its `-test.csv` sibling), `idx:DIR` an existing folder or a new one inside an
 * existing writable folder.
 */
export function assertWritableDataSpec(spec: string, option: string): void {
  const { kind, target } = parseDataSpec(spec);
  if (kind === 'csv') {
    assertWritableFile(target, option);
    return;
  }
  const full = resolve(target);
  if (existsSync(full) && !statSync(full).isDirectory()) throw new UsageError(`${option} ${spec}: ${target} is a file, expected a folder`);
  const folder = existsSync(full) ? full : dirname(full);
  if (!existsSync(folder)) throw new UsageError(`${option} ${spec}: folder ${folder} does not exist`);
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    throw new UsageError(`${option} ${spec}: folder ${folder} is not writable`);
  }
}

/** The first `limit` images of each set of `data`. */
export function limitData(data: LoadedData, limit: number | undefined): LoadedData {
  return { train: limitDataset(data.train, limit), ...(data.test ? { test: limitDataset(data.test, limit) } : {}) };
}

export function registerConvert(program: Command): void {
  program
    .command('convert')
    .description('convert digit data between IDX files and Kaggle CSV (e.g. convert mnist idx:out/ --gzip)')
    .argument('<from>', 'data to read: mnist, idx:DIR or csv:FILE', dataSpec)
    .argument('<to>', 'where to write: idx:DIR (train-*/t10k-* files) or csv:FILE (a test set goes to FILE-test.csv)', outputDataSpec)
    .option('--gzip', 'gzip the IDX files (.gz), as MNIST is distributed')
    .option('--limit <n>', 'keep only the first N images of each set (default: all)', positiveInteger)
    .option('--json', 'print one JSON object with the results as the last stdout line')
    .action((from: string, to: string, options: ConvertOptions) => {
      runConvert(from, to, options);
    });
}

function runConvert(from: string, to: string, options: ConvertOptions): void {
  const output = createOutput(options);
  if (options.gzip && parseDataSpec(to).kind !== 'idx') throw new UsageError(`--gzip applies to idx: output only, not ${to}`);
  assertWritableDataSpec(to, 'output');
  const data = limitData(loadData(from), options.limit);
  const files = writeDataSpec(to, data, { gzip: options.gzip });
  const integer = (value: number) => value.toLocaleString('en-US');
  output.line(
    `${from} → ${to}: ${integer(data.train.count)} training images` + (data.test ? ` and ${integer(data.test.count)} test images` : ''),
  );
  for (const path of files) output.line(`  wrote ${path}`);
  output.result({ command: 'convert', from, to, train: data.train.count, test: data.test?.count ?? null, files });
}
