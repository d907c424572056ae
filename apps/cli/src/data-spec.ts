import { InvalidArgumentError } from 'commander';
import { type Dataset, DatasetError, sliceDataset, trainTestSplit } from '@nnkit/datasets';
import { type LoadedData, loadDataSpec } from '@nnkit/datasets/node';
import { createRng } from '@nnkit/tensor';
import { UsageError, UserError } from './errors.js';

/** How `--data` is described in every command's help. */
export const DATA_SPEC_HELP = 'data to use: mnist (the embedded copy), idx:DIR (train-*/t10k-* IDX files) or csv:FILE (a labelled Kaggle CSV)';

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

/** Commander parser for `--data SPEC` / data arguments: `mnist`, `idx:DIR` or `csv:FILE`. */
export function dataSpec(value: string): string {
  if (value === 'mnist' || /^(idx|csv):.+$/.test(value)) return value;
  throw new InvalidArgumentError(`expected mnist, idx:DIR or csv:FILE, got '${value}'`);
}

/** Commander parser for output data specs: `idx:DIR` or `csv:FILE`. */
export function outputDataSpec(value: string): string {
  if (/^(idx|csv):.+$/.test(value)) return value;
  throw new InvalidArgumentError(`expected idx:DIR or csv:FILE, got '${value}'`);
}

/** Splits `idx:DIR` into `{kind: 'idx', target: 'DIR'}` (`mnist` has no target). */
export function parseDataSpec(spec: string): { kind: 'mnist' | 'idx' | 'csv'; target: string } {
  const colon = spec.indexOf(':');
  const kind = colon < 0 ? spec : spec.slice(0, colon);
  const target = colon < 0 ? '' : spec.slice(colon + 1);
  if ((kind === 'mnist' && target === '') || ((kind === 'idx' || kind === 'csv') && target !== '')) return { kind, target };
  throw new UsageError(`data '${spec}': expected mnist, idx:DIR or csv:FILE`);
}

/**
 * Loads `--data SPEC` (see `loadDataSpec`). A malformed file raises its one-line `DatasetError`
 * (exit 1); a malformed spec is a usage error (exit 2).
 */
export function loadData(spec: string): LoadedData {
  parseDataSpec(spec);
  try {
    return loadDataSpec(spec);
  } catch (error) {
    if (error instanceof DatasetError) throw error;
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
