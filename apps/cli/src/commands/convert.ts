import type { Command } from 'commander';
import { parseDataSpec } from '@nnkit/datasets';
import { writeDataSpec } from '@nnkit/datasets/node';
import { UsageError } from '../errors.js';
import { SKIP_BAD_HELP, assertWritableDataSpec, dataSpec, limitData, loadData, outputDataSpec } from '../data-spec.js';
import { positiveInteger } from '../options.js';
import { createOutput } from '../output.js';

interface ConvertOptions {
  gzip?: boolean;
  limit?: number;
  skipBad?: boolean;
  json?: boolean;
}

export function registerConvert(program: Command): void {
  program
    .command('convert')
    .description('convert digit data between IDX files and Kaggle CSV, or image folders to either (e.g. convert mnist idx:out/ --gzip)')
    .argument('<from>', 'data to read: mnist, idx:DIR, csv:FILE or folder:DIR (images written as the network sees them: 28×28, white on black)', dataSpec)
    .argument('<to>', 'where to write: idx:DIR (train-*/t10k-* files) or csv:FILE (a test set goes to FILE-test.csv)', outputDataSpec)
    .option('--gzip', 'gzip the IDX files (.gz), as MNIST is distributed')
    .option('--limit <n>', 'keep only the first N images of each set (default: all)', positiveInteger)
    .option('--skip-bad', SKIP_BAD_HELP)
    .option('--json', 'print one JSON object with the results as the last stdout line')
    .action((from: string, to: string, options: ConvertOptions) => {
      runConvert(from, to, options);
    });
}

function runConvert(from: string, to: string, options: ConvertOptions): void {
  const output = createOutput(options);
  if (options.gzip && parseDataSpec(to).kind !== 'idx') throw new UsageError(`--gzip applies to idx: output only, not ${to}`);
  assertWritableDataSpec(to, 'output', from);
  const data = limitData(loadData(from, { skipBad: options.skipBad }), options.limit);
  const files = writeDataSpec(to, data, { gzip: options.gzip });
  const integer = (value: number) => value.toLocaleString('en-US');
  output.line(
    `${from} → ${to}: ${integer(data.train.count)} training images` + (data.test ? ` and ${integer(data.test.count)} test images` : ''),
  );
  for (const path of files) output.line(`  wrote ${path}`);
  output.result({ command: 'convert', from, to, train: data.train.count, test: data.test?.count ?? null, files });
}
