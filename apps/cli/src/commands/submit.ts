import type { Command } from 'commander';
import { encodeSubmissionCsv, parseKaggleCsv } from '@nnkit/datasets';
import { readCsvBytes } from '@nnkit/datasets/node';
import { classCount } from '../model-file.js';
import { createOutput } from '../output.js';
import { readScoringModels, scoreModels, scoringInputFiles, scoringViews } from '../evaluation.js';
import { writeOutputFile } from '../write-file.js';
import { assertOutputFile, assertReadableFile } from '../paths.js';
import { addScoringOptions, scoringSetup, sizedThreadsHelp, type ScoringFlags, viewsNote } from '../scoring-options.js';

interface SubmitOptions extends ScoringFlags {
  test: string;
  out: string;
  json?: boolean;
}

export function registerSubmit(program: Command): void {
  const submitCommand = program
    .command('submit')
    .description("write a Kaggle Digit Recognizer submission (ImageId,Label) for test.csv")
    .argument('<models...>', 'model file written by `nnkit train --out`; several files, or an ensemble file, are an ensemble (their probabilities averaged, as `nnkit eval` scores them)')
    .requiredOption('--test <file>', "Kaggle's test.csv (pixel0,…,pixel783 rows, no labels) (required)")
    .requiredOption('--out <file>', 'where to write the submission CSV, - for standard output (required)');
  addScoringOptions(submitCommand, sizedThreadsHelp())
    .option('--json', 'print one JSON object with the results as the last stdout line')
    .action(async (modelPaths: string[], options: SubmitOptions) => {
      await runSubmit(modelPaths, options);
    });
}

async function runSubmit(modelPaths: readonly string[], options: SubmitOptions): Promise<void> {
  const output = createOutput(options);
  assertReadableFile(options.test, '--test');
  assertOutputFile(options.out, '--out', [...scoringInputFiles(modelPaths), options.test], { allowStdout: true });
  const models = readScoringModels(modelPaths);
  const file = models.files[0];
  const test = parseKaggleCsv(readCsvBytes(options.test), options.test, { layout: 'test' });
  const views = scoringViews(models, options.tta);
  const { combined } = await scoreModels(models, test, { ...(await scoringSetup(options, test.count * views)), views });
  const { predictions } = combined;
  writeOutputFile(options.out, encodeSubmissionCsv(predictions));

  // How often each digit was predicted: a lopsided spread is the first sign of a broken model.
  const counts = new Array<number>(classCount(file.model)).fill(0);
  for (const digit of predictions) counts[digit]++;
  const scoredBy = [
    ...(models.files.length > 1 ? [`an ensemble of ${models.files.length} (probabilities averaged)`] : []),
    viewsNote(views, options) ?? [],
  ].flat();
  output.line(`wrote ${output.color('green', test.count.toLocaleString('en-US'))} predictions to ${options.out} (ImageId,Label; ImageId from 1)${scoredBy.length > 0 ? output.color('dim', ` · ${scoredBy.join(' · ')}`) : ''}`);
  output.line(`predicted digits: ${counts.map((count, digit) => `${digit}: ${count.toLocaleString('en-US')}`).join(' · ')}`);
  output.result({
    command: 'submit',
    model: file.path,
    ...(models.files.length > 1 ? { members: models.files.map((member) => member.path) } : {}),
    ...(views > 1 ? { tta: views } : {}),
    test: options.test,
    out: options.out,
    count: test.count,
    labelCounts: counts,
  });
}
