import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { type Dataset, DatasetError, DataSpecError, parseDataSpec, sliceDataset, trainTestSplit } from '@nnkit/datasets';
import { type LoadedData, loadDataSpec } from '@nnkit/datasets/node';
import { createRng } from '@nnkit/tensor';
import { UsageError, UserError } from './errors.js';
import { assertOutputFile, assertReadableFile, dataSpecFiles, realPath } from './paths.js';

/** How `--data` is described in every command's help. */
export const DATA_SPEC_HELP =
  'data to use: mnist (the embedded copy), idx:DIR (train-*/t10k-* IDX files), csv:FILE (a labelled Kaggle CSV) or folder:DIR (DIR/0/ … DIR/9/ of PNG/JPEG images, optional DIR/test/)';

/**
 * Share of a source without its own test set (a Kaggle `csv:FILE`, an `idx:DIR` holding only
 * train-* files) that is held out for evaluation: the seed notebook's
 * `train_test_split(..., random_state=0)` keeps 25 % apart.
 */
export const HELD_OUT_FRACTION = 0.25;

/**
 * Seed of the held-out split. The permutation is nnkit's (seeded `Rng`), not numpy's, so the same
 * proportion but not the same images as scikit-learn's split; it is fixed so that every command
 * (and every run) holds out the same images.
 */
export const HELD_OUT_SEED = 0;

/** Commander parser for `--data SPEC` / data arguments: `mnist`, `idx:DIR`, `csv:FILE` or `folder:DIR` (`parseDataSpec`'s grammar). */
export function dataSpec(value: string): string {
  return checkedSpec(value, false);
}

/** Commander parser for output data specs: `idx:DIR` or `csv:FILE`. */
export function outputDataSpec(value: string): string {
  return checkedSpec(value, true);
}

function checkedSpec(value: string, output: boolean): string {
  try {
    parseDataSpec(value, { output });
  } catch (error) {
    if (error instanceof DataSpecError) throw new InvalidArgumentError(`${error.problem}, got '${value}'`);
    throw error;
  }
  return value;
}

/** A data path on the command line that is not there is a usage error (exit 2), as for every file argument. */
function assertDataPresent(spec: string): void {
  let parsed;
  try {
    parsed = parseDataSpec(spec);
  } catch {
    return; // the loader reports a malformed spec
  }
  if (parsed.kind === 'csv') assertReadableFile(parsed.path, 'data');
  if (parsed.kind === 'idx' && !(existsSync(parsed.path) && statSync(parsed.path).isDirectory())) {
    throw new UsageError(`data ${spec}: ${existsSync(parsed.path) ? 'is a file, expected a folder of IDX files' : 'no such folder'}`);
  }
}

/** How `--skip-bad` is described in every command's help. */
export const SKIP_BAD_HELP = 'folder: data: list unreadable images on stderr and go on without them (default: the first one stops the run)';

/**
 * Loads `--data SPEC` (see `loadDataSpec`). A malformed file raises its one-line `DatasetError`
 * (exit 1); a malformed spec is a usage error (exit 2). With `skipBad`, the images a `folder:`
 * could not read are listed on stderr, one line each, and left out.
 */
export function loadData(spec: string, options: { skipBad?: boolean } = {}): LoadedData {
  assertDataPresent(spec);
  try {
    const data = loadDataSpec(spec, options.skipBad ? { skipBad: true } : {});
    for (const skipped of data.skipped ?? []) process.stderr.write(`skipped ${skipped.file}: ${skipped.reason}\n`);
    return data;
  } catch (error) {
    if (error instanceof DatasetError) throw error;
    if (error instanceof DataSpecError) throw new UsageError(error.message);
    if (error instanceof RangeError) throw new UserError(`data ${spec}: ${error.message}`);
    throw error;
  }
}

/** A training set and the images a model is scored on, with how the latter were chosen. */
export interface SplitData {
  readonly train: Dataset;
  readonly test: Dataset;
  /** What `test` is, for messages and reports: `"mnist test set"`, `"25 % held out of train.csv (seed 0)"`. */
  readonly testDescription: string;
  /** True when `test` was held out of the source's training images. */
  readonly heldOut: boolean;
}

/**
 * The training set and the evaluation set of loaded data: the source's own test set when it has
 * one (MNIST's 10 000 t10k images, an `idx:DIR`'s t10k-/test- pair), otherwise a seeded
 * `HELD_OUT_FRACTION` of its training images, the rest training (the seed notebook's split).
 */
export function splitData(spec: string, data: LoadedData): SplitData {
  if (data.test !== undefined) {
    return { train: data.train, test: data.test, testDescription: spec === 'mnist' ? 'MNIST test set' : `test set of ${spec}`, heldOut: false };
  }
  if (data.train.count < 2) throw new UserError(`data ${spec}: ${data.train.count} image(s) are too few to hold out a test part`);
  const split = trainTestSplit(data.train, HELD_OUT_FRACTION, createRng(HELD_OUT_SEED));
  return {
    train: split.train,
    test: split.test,
    testDescription: `${HELD_OUT_FRACTION * 100} % held out of ${spec} (seed ${HELD_OUT_SEED})`,
    heldOut: true,
  };
}

/** The first `limit` images of `dataset` (all of them without a limit). */
export function limitDataset(dataset: Dataset, limit: number | undefined): Dataset {
  return limit === undefined || limit >= dataset.count ? dataset : sliceDataset(dataset, 0, limit, dataset.name);
}

/**
 * Checks, before anything is read, that an output spec can be written: `csv:FILE` a writable
 * file path (and its `-test.csv` sibling), `idx:DIR` an existing folder or a new one inside an
 * existing writable folder.
 */
export function assertWritableDataSpec(spec: string, option: string, input: string): void {
  const parsed = parseDataSpec(spec, { output: true });
  if (parsed.kind === 'mnist') throw new UsageError(`${option} ${spec}: the embedded mnist cannot be written; expected idx:DIR or csv:FILE`);
  const target = parsed.path;
  const inputs = dataSpecFiles(input);
  if (parsed.kind === 'csv') {
    assertOutputFile(target, option, inputs);
    assertOutputFile(target.replace(/(\.csv)?$/i, '-test.csv'), option, inputs);
    return;
  }
  if (inputs.some((file) => realPath(file) === realPath(target))) throw new UsageError(`${option} ${spec}: is also the input (${input}); write to another folder`);
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
  return { ...data, train: limitDataset(data.train, limit), ...(data.test ? { test: limitDataset(data.test, limit) } : {}) };
}
