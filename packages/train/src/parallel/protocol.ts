import type { Dataset, Normalization } from '@nnkit/datasets';
import type { DatasetId } from '../replicas.js';

/** The main thread's end of one worker: messages both ways, failures, and stopping it. */
export interface WorkerEndpoint {
  postMessage(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called when the worker dies (an uncaught error, or it exited without being asked to). */
  onFailure(listener: (error: Error) => void): void;
  terminate(): void | Promise<unknown>;
}

/**
 * How `fit` starts the worker threads of data parallelism: `nodeWorkers({workerUrl})` from
 * `@nnkit/train/node` (worker_threads) or `webWorkers(create)` (Web Workers). Each worker runs
 * the app's script, which calls `serveTrainWorker(port, {createKernels})` from
 * `@nnkit/train/worker`: the app, not this package, knows how to build its kernels.
 */
export interface WorkerTransport {
  readonly name: string;
  /**
   * What each worker's `createKernels` receives: opaque, JSON-able app data naming the kernels
   * to build (structured-cloned to every worker). Default: the main thread's `kernels.name`.
   */
  readonly kernels?: unknown;
  /** Called once before the first `spawn` of a run (e.g. to load the worker script). */
  prepare?(): Promise<void>;
  spawn(index: number): WorkerEndpoint;
}

/** The worker's end: messages to and from the main thread. */
export interface WorkerPort {
  postMessage(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
}

/** A dataset as sent to workers once: its images and labels in shared memory. */
export type SharedDataset = Dataset;

/** The one message the main thread sends a worker; everything after it goes through shared memory. */
export interface InitMessage {
  readonly type: 'nnkit-train-init';
  readonly thread: number;
  readonly threads: number;
  /** A `ModelDefinition` of `@nnkit/layers`. */
  readonly definition: unknown;
  /** Indices of the frozen layers (`Sequential.freeze`): the worker freezes them too, so a frozen batch norm runs in inference mode there as well. */
  readonly frozenLayers: readonly number[];
  /** The app's description of the kernels to build (`WorkerTransport.kernels`). */
  readonly kernels: unknown;
  readonly normalization: Normalization | undefined;
  readonly batchSize: number;
  readonly evaluationBatchSize: number;
  readonly dropoutSeed: string;
  readonly control: Int32Array;
  readonly results: Float64Array;
  /** All parameters, concatenated in `model.params` order (written by the main thread before each command). */
  readonly params: Float32Array;
  /** All layer state (batch-norm statistics), concatenated in `model.state` order. */
  readonly state: Float32Array;
  /** This worker's gradient, laid out like `params`. */
  readonly grad: Float32Array;
  /** This worker's layer state after its share of a step. */
  readonly stateOut: Float32Array;
  readonly datasets: Partial<Record<DatasetId, SharedDataset>>;
  /** The epoch's training order and the held-out validation indices (or empty). */
  readonly indexLists: { readonly order: Int32Array; readonly heldOut: Int32Array };
  /** The batch's images after augmentation, `batchSize · imageSize` bytes. */
  readonly augmented: Uint8Array;
  /** Where evaluations that keep their outputs write them (sized for the largest evaluation). */
  readonly predictions: Uint8Array;
  readonly probabilities: Float32Array;
}

/** Worker → main: ready (with the model's sizes, to check the replica matches) or failed. */
export type WorkerReply =
  | { readonly type: 'nnkit-train-ready'; readonly thread: number; readonly paramSizes: readonly number[]; readonly stateSizes: readonly number[] }
  | { readonly type: 'nnkit-train-error'; readonly thread: number; readonly message: string };

/**
 * Slots of the shared control block (Int32Array). Named ids travel as their position in
 * `datasetIds`, `indexListIds` and `imageSources` (see `replicas.ts` and `batch-source.ts`).
 */
export const Control = {
  /** Bumped by the main thread for every command; workers wait on it. */
  generation: 0,
  command: 1,
  /** Training: the 0-based epoch and batch (they seed the share's dropout masks). */
  epoch: 2,
  batch: 3,
  /** Training: first position of the batch in the epoch's order. */
  position: 4,
  /** Training: rows of the batch; evaluation: images to score. */
  rows: 5,
  /** Training: an `ImageSource`. */
  images: 6,
  /** Evaluation: a `DatasetId` and an `IndexListId`. */
  dataset: 7,
  indexList: 8,
  /** Evaluation: 1 to write predictions and probabilities. */
  outputs: 9,
  /** Per worker w: the last generation it finished, then its status (0 ok, 1 failed). */
  header: 10,
} as const;

/** Commands in `Control.command`. */
export const Command = { train: 1, evaluate: 2, exit: 3 } as const;

/** Length of the control block for `threads` threads. */
export function controlLength(threads: number): number {
  return Control.header + 2 * threads;
}

/** Float64 slots per thread in the results block: Σ loss · rows, right answers. */
export const resultStride = 2;

/** The seed of the dropout stream of one thread in one step: independent of the position in any other stream, so resume is exact. */
export function shareDropoutSeed(dropoutSeed: string, epoch: number, batch: number, thread: number): string {
  return `${dropoutSeed}/epoch ${epoch + 1} batch ${batch + 1} thread ${thread}`;
}
