import { type Command, InvalidArgumentError } from 'commander';
import { type Dataset, createDataset, parseKaggleCsv, subset } from '@nnkit/datasets';
import { readCsvBytes, readDigitImage } from '@nnkit/datasets/node';
import { modelClassNames } from '../classes.js';
import { digitArt } from '../digit-art.js';
import { UsageError } from '../errors.js';
import { limit } from '../limits.js';
import { readScoringModels, scoreModels, scoringViews } from '../evaluation.js';
import { classCount } from '../model-file.js';
import { oneOf } from '../options.js';
import { createOutput } from '../output.js';
import { assertReadableFile } from '../paths.js';
import { addScoringOptions, scoringSetup, sizedThreadsHelp, type ScoringFlags, viewsNote } from '../scoring-options.js';

interface PredictOptions extends ScoringFlags {
  csv?: string;
  rows?: RowRange;
  invert: 'auto' | 'always' | 'never';
  explain?: boolean;
  json?: boolean;
}

/** Data rows `first..last` of a CSV, 1-based and inclusive (Kaggle's ImageId numbering). */
export interface RowRange {
  readonly first: number;
  readonly last: number;
}

/** Commander parser for `--rows A-B` or `--rows N`. */
export function rowRange(value: string): RowRange {
  const match = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(value);
  const first = match ? Number(match[1]) : Number.NaN;
  const last = match ? Number(match[2] ?? match[1]) : Number.NaN;
  if (!(Number.isSafeInteger(first) && Number.isSafeInteger(last) && first >= 1 && last >= first)) {
    throw new InvalidArgumentError(`expected rows A-B with 1 <= A <= B (or one row N), got '${value}'`);
  }
  return { first, last };
}

/** One input image: where it came from, and its true label when the source has one. */
interface Source {
  readonly name: string;
  readonly row?: number;
  readonly label?: number;
  /** The 28×28 bytes the network read, for images given as files. */
  readonly input?: Uint8Array;
}

export function registerPredict(program: Command): void {
  const predictCommand = program
    .command('predict')
    .description('classify digit images (PNG or JPEG, any size: ink found, fitted and centred like MNIST) or rows of a Kaggle CSV')
    .argument('<model>', 'model file written by `nnkit train --out`, or an ensemble file (its members\' probabilities averaged, as `nnkit eval` scores them)')
    .argument('[images...]', 'PNG or JPEG files, one digit each (dark ink on light paper, photographed or drawn, or the reverse)')
    .option('--csv <file>', 'also classify rows of a Kaggle CSV (test.csv or train.csv layout) (default: none)')
    .option('--rows <a-b>', 'with --csv: only data rows A to B, counted from 1 like ImageId (default: all)', rowRange)
    .option('--invert <when>', 'PNG colours: auto (light border = dark ink on paper), always or never', oneOf(['auto', 'always', 'never'] as const), 'auto')
    .option('--explain', 'show the 28×28 image the network read for each image file (and its pixels in --json)');
  addScoringOptions(predictCommand, sizedThreadsHelp())
    .option('--json', 'print one JSON object with the results as the last stdout line')
    .action(async (modelPath: string, images: string[], options: PredictOptions) => {
      await runPredict(modelPath, images, options);
    });
}

async function runPredict(modelPath: string, imagePaths: readonly string[], options: PredictOptions): Promise<void> {
  const output = createOutput(options);
  if (imagePaths.length === 0 && options.csv === undefined) throw new UsageError('nothing to classify: give PNG or JPEG files or --csv FILE');
  if (options.rows !== undefined && options.csv === undefined) throw new UsageError('--rows needs --csv FILE');
  for (const path of imagePaths) assertReadableFile(path, 'image');
  if (options.csv !== undefined) assertReadableFile(options.csv, '--csv');
  const models = readScoringModels([modelPath]);
  const file = models.files[0];

  const parts: Dataset[] = [];
  const sources: Source[] = [];
  if (imagePaths.length > 0) {
    const invert = options.invert === 'auto' ? 'auto' : options.invert === 'always';
    const pixels = imagePaths.map((path) => readDigitImage(path, { invert, maxPixels: limit('NNKIT_MAX_PIXELS') }));
    const images = new Uint8Array(pixels.length * 784);
    pixels.forEach((image, index) => images.set(image, index * 784));
    parts.push(createDataset({ images, labels: new Uint8Array(pixels.length), name: 'images', unlabelled: true }));
    sources.push(...imagePaths.map((name, index) => ({ name, input: pixels[index] })));
  }
  if (options.csv !== undefined) {
    const csv = parseKaggleCsv(readCsvBytes(options.csv), options.csv);
    const first = options.rows?.first ?? 1;
    const last = options.rows?.last ?? csv.count;
    if (last > csv.count) throw new UsageError(`--rows ${first}-${last}: ${options.csv} has ${csv.count} data rows`);
    const rows = Array.from({ length: last - first + 1 }, (_, index) => first - 1 + index);
    parts.push(subset(csv, rows, options.csv));
    sources.push(...rows.map((index) => ({ name: `${options.csv} row ${index + 1}`, row: index + 1, ...(csv.unlabelled ? {} : { label: csv.labels[index] }) })));
  }

  const classes = classCount(file.model);
  const names = modelClassNames(file);
  const named = names.some((name, label) => name !== String(label));
  const views = scoringViews(models, options.tta);
  const scoring = { ...(await scoringSetup(options, sources.length * views)), views };
  const predictions: number[] = [];
  const probabilities: number[][] = [];
  for (const part of parts) {
    const result = (await scoreModels(models, { ...part, unlabelled: true }, scoring)).combined;
    for (let i = 0; i < result.count; i++) {
      predictions.push(result.predictions[i]);
      probabilities.push(Array.from(result.probabilities.subarray(i * classes, (i + 1) * classes)));
    }
  }

  // One row per image: the digit, then the ten probabilities; the winning one highlighted.
  const labelled = sources.some((source) => source.label !== undefined);
  const nameWidth = Math.max(5, ...sources.map((source) => source.name.length));
  const classWidth = Math.max(5, ...names.map((name) => name.length));
  const trueWidth = Math.max(4, ...names.map((name) => name.length));
  const column = named ? 'class' : 'digit';
  const header =
    `${'image'.padEnd(nameWidth)}  ${column.padStart(classWidth)}${labelled ? `  ${'true'.padStart(trueWidth)}` : ''}  ` +
    names.map((name) => `p(${name})`.padStart(6)).join(' ');
  if (models.files.length > 1 || views > 1) {
    const scoredBy = [
      ...(models.files.length > 1 ? [`an ensemble of ${models.files.length}: ${models.files.map((member) => member.path).join(', ')} (probabilities averaged)`] : [file.path]),
      viewsNote(views, options) ?? [],
    ].flat();
    output.line(output.color('dim', scoredBy.join(' · ')));
  }
  output.line(output.color('bold', header));
  let correct = 0;
  sources.forEach((source, index) => {
    const digit = predictions[index];
    const wrong = source.label !== undefined && source.label !== digit;
    if (source.label !== undefined && !wrong) correct++;
    const cells = probabilities[index].map((p, c) => {
      const text = p.toFixed(3).padStart(6);
      return c === digit ? output.color('bold', text) : p < 0.0005 ? output.color('dim', text) : text;
    });
    output.line(
      `${source.name.padEnd(nameWidth)}  ${output.color(wrong ? 'red' : 'green', names[digit].padStart(classWidth))}` +
        (labelled ? `  ${(source.label === undefined ? '' : names[source.label] ?? String(source.label)).padStart(trueWidth)}` : '') +
        `  ${cells.join(' ')}${wrong ? output.color('red', '  ✗') : ''}`,
    );
  });
  const scored = sources.filter((source) => source.label !== undefined).length;
  if (scored > 0) output.line(`${correct} of ${scored} labelled images right (${((correct / scored) * 100).toFixed(1)}%)`);
  if (options.explain) {
    sources.forEach((source, index) => {
      if (source.input === undefined) return;
      output.line('');
      output.line(`${source.name}: the 28×28 the network read (ink found, fitted into 20×20, centred by mass) → ${names[predictions[index]]}`);
      for (const line of digitArt(source.input)) output.line(line);
    });
  }
  output.result({
    command: 'predict',
    model: file.path,
    ...(models.files.length > 1 ? { members: models.files.map((member) => member.path) } : {}),
    ...(views > 1 ? { tta: views } : {}),
    predictions: sources.map((source, index) => ({
      source: source.row === undefined ? source.name : options.csv,
      ...(source.row === undefined ? {} : { row: source.row }),
      digit: predictions[index],
      ...(named ? { className: names[predictions[index]] } : {}),
      ...(source.label === undefined ? {} : { label: source.label }),
      probabilities: probabilities[index],
      ...(options.explain && source.input !== undefined ? { input: Array.from(source.input) } : {}),
    })),
  });
}
