import type { Normalization } from '@nnkit/datasets';
import type { Shape } from '@nnkit/tensor';

/**
 * The kernels a worker thread builds for itself (kernels cannot cross threads): 'js' is
 * `jsKernels`, 'wasm' is `createWasmKernelsSync({relaxedSimd})` from `@nnkit/wasm`.
 */
export type WorkerKernelsSpec = { readonly backend: 'js' } | { readonly backend: 'wasm'; readonly relaxedSimd?: boolean };

/** The main thread's end of one worker: messages both ways, failures, and stopping it. */
export interface WorkerEndpoint {
  postMessage(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called when the worker dies (an uncaught error, or it exited without being asked to). */
  onFailure(listener: (error: Error) => void): void;
  terminate(): void | Promise<unknown>;
}

/**
 * How `fit` starts the worker threads of data parallelism: `nodeWorkers()` from
 * `@nnkit/train/node` (worker_threads) or `webWorkers(create)` (Web Workers). Each worker runs
 * `serveTrainWorker` from `@nnkit/train/worker`.
 */
export interface WorkerTransport {
  readonly name: string;
  /** Called once before the first `spawn` of a run (e.g. to load the worker script). */
  prepare?(): Promise<void>;
  spawn(index: number): WorkerEndpoint;
}

/** The worker's end: messages to and from the main thread. */
export interface WorkerPort {
  postMessage(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
}

/** A dataset as sent to workers once: bytes and labels in shared memory. */
export interface SharedDataset {
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
  readonly count: number;
  readonly imageShape: Shape;
  readonly name: string;
}

/** The one message the main thread sends a worker; everything after it goes through shared memory. */
export interface InitMessage {
  readonly type: 'nnkit-train-init';
  readonly thread: number;
  readonly threads: number;
  /** A `ModelDefinition` of `@nnkit/layers`. */
  readonly definition: unknown;
  readonly kernels: WorkerKernelsSpec;
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
  readonly datasets: readonly (SharedDataset | null)[];
  /** Index lists: [0] the epoch's training order, [1] the held-out validation indices (or empty). */
  readonly indexLists: readonly Int32Array[];
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

/** Slots of the shared control block (Int32Array). */
export const Control = {
  /** Bumped by the main thread for every command; workers wait on it. */
  generation: 0,
  command: 1,
  epoch: 2,
  batch: 3,
  /** Training: first position in the index list; evaluation: the dataset id. */
  start: 4,
  /** Training: rows of the batch; evaluation: images to score. */
  rows: 5,
  /** Training: 1 when the images come from the augmented buffer; evaluation: index list id or −1 (all images in order). */
  source: 6,
  /** Evaluation: 1 to write predictions and probabilities. */
  outputs: 7,
  /** Per worker w: the last generation it finished, then its status (0 ok, 1 failed). */
  header: 8,
} as const;

/** Commands in `Control.command`. */
export const Command = { train: 1, evaluate: 2, exit: 3 } as const;

/** Length of the control block for `threads` threads. */
export function controlLength(threads: number): number {
  return Control.header + 2 * threads;
}

/** Float64 slots per thread in the results block: Σ loss, right answers. */
export const resultStride = 2;
