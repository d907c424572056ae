import type { Command } from 'commander';
import { encodeSubmissionCsv, parseKaggleCsv } from '@nnkit/datasets';
import { readCsvBytes } from '@nnkit/datasets/node';
import { jsKernels } from '@nnkit/tensor';
import { evaluate } from '@nnkit/train';
import { assertModelFits, classCount, modelNormalization, readModelFile } from '../model-file.js';
import { createOutput } from '../output.js';
import { writeOutputFile } from '../write-file.js';
import { assertOutputFile, assertReadableFile } from '../paths.js';

interface SubmitOptions {
  test: string;
  out: string;
  json?: boolean;
}

export function registerSubmit(program: Command): void {
  program
    .command('submit')
    .description("write a Kaggle Digit Recognizer submission (ImageId,Label) for test.csv")
    .argument('<model>', 'model file written by `nnkit train --out`')
    .requiredOption('--test <file>', "Kaggle's test.csv (pixel0,…,pixel783 rows, no labels) (required)")
    .requiredOption('--out <file>', 'where to write the submission CSV, - for standard output (required)')
    .option('--json', 'print one JSON object with the results as the last stdout line')
    .action((modelPath: string, options: SubmitOptions) => {
      runSubmit(modelPath, options);
    });
}

function runSubmit(modelPath: string, options: SubmitOptions): void {
  const output = createOutput(options);
  assertReadableFile(options.test, '--test');
  assertOutputFile(options.out, '--out', [modelPath, options.test], { allowStdout: true });
  const file = readModelFile(modelPath);
  const test = parseKaggleCsv(readCsvBytes(options.test), options.test, { layout: 'test' });
  assertModelFits(file, test);
  const normalization = modelNormalization(file);
  const { predictions } = evaluate(file.model, test, { kernels: jsKernels, ...(normalization ? { normalization } : {}) });
  writeOutputFile(options.out, encodeSubmissionCsv(predictions));

  // How often each digit was predicted: a lopsided spread is the first sign of a broken model.
  const counts = new Array<number>(classCount(file.model)).fill(0);
  for (const digit of predictions) counts[digit]++;
  output.line(`wrote ${output.color('green', test.count.toLocaleString('en-US'))} predictions to ${options.out} (ImageId,Label; ImageId from 1)`);
  output.line(`predicted digits: ${counts.map((count, digit) => `${digit}: ${count.toLocaleString('en-US')}`).join(' · ')}`);
  output.result({ command: 'submit', model: file.path, test: options.test, out: options.out, count: test.count, labelCounts: counts });
}
