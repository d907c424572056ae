import type { Dataset, Normalization } from '@nnkit/datasets';
import { sizeOf, type Kernels, type Rng } from '@nnkit/tensor';
import { batchSource, identityOrder, type BatchRequest } from './batch-source.js';
import { Evaluator } from './evaluate.js';
import type { TrainableModel } from './model.js';
import { TrainingStep, type ShareResult } from './training-step.js';

/** The datasets of a run, by name: 'train' (held-out validation images are read from it too), a separate 'validation' set, 'test'. */
export const datasetIds = ['train', 'validation', 'test'] as const;
/** See `datasetIds`. */
export type DatasetId = (typeof datasetIds)[number];

/** Which images of a dataset, in which order: the epoch's training 'order', the 'heldOut' validation indices, or 'all' in order. */
export const indexListIds = ['order', 'heldOut', 'all'] as const;
/** See `indexListIds`. */
export type IndexListId = (typeof indexListIds)[number];

/** A set of images to score by name, e.g. `{dataset: 'train', indexList: 'heldOut'}` for a validation split. */
export interface ScoreTarget {
  readonly dataset: DatasetId;
  readonly indexList: IndexListId;
}

/** A score: mean loss and accuracy over the target's images. */
export interface Score {
  readonly loss: number;
  readonly accuracy: number;
}

/** What a run's replicas are built from: model, kernels, buffers' sizes, the named datasets and the held-out indices. */
export interface ReplicaSetup {
  readonly model: TrainableModel;
  readonly kernels: Kernels;
  readonly normalization: Normalization | undefined;
  readonly batchSize: number;
  readonly evaluationBatchSize: number;
  readonly datasets: Partial<Record<DatasetId, Dataset>>;
  /** Held-out validation indices into the training set, when split from it. */
  readonly heldOut: Int32Array | null;
}

/**
 * The threads `fit` trains on: one (`LocalReplica`, the calling thread) or several
 * (`ParallelTrainer`, the calling thread plus workers); the loop does not know which.
 */
export interface Replicas {
  /** Where `fit` copies a batch's bytes for the augmentation hook (`batchSize` images; shared memory when workers read it). */
  readonly augmented: Uint8Array;
  /** Publishes the epoch's training order. */
  setOrder(order: Int32Array): void;
  /**
   * Back-propagates one mini-batch over all threads: param.grad (zero before) receives the
   * batch-mean gradient, the model's layer state the batch's state. Returns the mean loss and
   * right answers over the batch.
   */
  step(request: BatchRequest): Promise<ShareResult> | ShareResult;
  /** Scores the target's images in inference mode. */
  score(target: ScoreTarget): Promise<Score> | Score;
  close(): Promise<void>;
}

/** The images `target` names: its dataset and index list. */
export function resolveTarget(target: ScoreTarget, datasets: Partial<Record<DatasetId, Dataset>>, lists: { readonly order: ArrayLike<number>; readonly heldOut: ArrayLike<number> | null }): { dataset: Dataset; indices: ArrayLike<number> } {
  const dataset = datasets[target.dataset];
  if (!dataset) throw new RangeError(`score: the run has no ${target.dataset} dataset`);
  const indices = target.indexList === 'all' ? identityOrder(dataset.count) : lists[target.indexList];
  if (!indices) throw new RangeError(`score: the run has no ${target.indexList} index list`);
  return { dataset, indices };
}

/** One thread: the whole batch is its share, masks come from the run's dropout stream. */
export class LocalReplica implements Replicas {
  readonly augmented: Uint8Array;
  private readonly setup: ReplicaSetup;
  private readonly training: TrainingStep;
  private readonly evaluator: Evaluator;
  private readonly dropout: () => Rng;
  private order: Int32Array = new Int32Array(0);

  /** `dropout` gives the run's dropout stream (it changes on resume). */
  constructor(setup: ReplicaSetup, dropout: () => Rng) {
    this.setup = setup;
    this.dropout = dropout;
    this.training = new TrainingStep(setup.model, setup.kernels, setup);
    this.evaluator = new Evaluator(setup.model, { batchSize: setup.evaluationBatchSize, kernels: setup.kernels, normalization: setup.normalization });
    this.augmented = new Uint8Array(setup.batchSize * sizeOf(setup.model.inputShape));
  }

  setOrder(order: Int32Array): void {
    this.order = order;
  }

  step(request: BatchRequest): ShareResult {
    const batch = batchSource(request, { train: this.setup.datasets.train!, order: this.order, augmented: this.augmented });
    return this.training.run(batch, 0, batch.rows, this.dropout());
  }

  score(target: ScoreTarget): Score {
    const { dataset, indices } = resolveTarget(target, this.setup.datasets, { order: this.order, heldOut: this.setup.heldOut });
    const count = indices.length;
    const tally = this.evaluator.score(dataset, indices, 0, count);
    return { loss: tally.lossSum / count, accuracy: tally.correct / count };
  }

  async close(): Promise<void> {}
}
