// Messages between the page and the training worker, typed end to end: `WorkerRequest` is all
// the page may ask, `WorkerMessage` all the worker may answer, and `postRequest`/`postMessage`
// only accept them. The worker owns the data set, the network being trained and its optimizer;
// the page owns copies of the models for drawing. Messages about a run carry its `runId`, so
// a late message of a replaced run is never shown; evaluations and digit lists carry the
// `modelKey` of the weights they were computed with.
import type { PlaygroundConfig } from './config.js';
import type { BackendRequest } from './kernels.js';
import type { TuneSettings } from './tune.js';

/** What the page asks of the worker. */
export type WorkerRequest =
  | { type: 'configure'; runId: number; config: PlaygroundConfig; dataUrl: string; backend: BackendRequest }
  | { type: 'threads'; threads: number }
  | { type: 'learningRate'; learningRate: number }
  | { type: 'start' }
  | { type: 'pause' }
  | { type: 'step' }
  /** Scores a model on the test slice; `modelKey` names it in the answer and in later `misclassified` requests. */
  | { type: 'evaluate'; modelKey: string; modelText: string }
  | { type: 'misclassified'; modelKey: string; actual: number; predicted: number; limit: number }
  | { type: 'distortions'; spec: string; seed: number; index: number; count: number }
  | { type: 'sample'; index: number }
  /** Fine-tunes `baseText` on the user's training samples (`images`: count × 784 bytes) mixed with MNIST. */
  | { type: 'fineTune'; tuneId: number; baseText: string; images: Uint8Array; labels: Uint8Array; settings: TuneSettings; dataUrl: string };

/** The worker's run state. */
export type RunState = 'loading' | 'ready' | 'running' | 'paused' | 'done' | 'failed';

/** What the worker tells the page. */
export type WorkerMessage =
  | { type: 'status'; runId: number; text: string }
  | { type: 'state'; runId: number; state: RunState }
  | {
      type: 'ready';
      runId: number;
      backend: string;
      /** Why the backend is not WASM SIMD, or ''. */
      backendNote: string;
      trainCount: number;
      testCount: number;
      summary: string;
      parameterCount: number;
      batches: number;
    }
  | {
      type: 'progress';
      runId: number;
      epoch: number;
      batch: number;
      batches: number;
      /** Epochs done as a fraction (1.5 = half-way through the second epoch). */
      position: number;
      /** The last mini-batch's loss. */
      loss: number;
      /** Running mean of the loss over the current epoch. */
      meanLoss: number;
      /** Recent training speed, smoothed. */
      imagesPerSecond: number;
      imagesSeen: number;
      /** Images trained and seconds spent training them (evaluations and thread start-up left out), since the network was built. */
      trainImages: number;
      trainSeconds: number;
      /** Seconds since the first Start, pauses left out (evaluations included). */
      elapsedSeconds: number;
      threads: number;
      /** The optimizer's learning rate now: the last batch's under a schedule. */
      learningRate: number;
    }
  | { type: 'threads'; threads: number; note: string }
  | { type: 'trainPoint'; runId: number; position: number; loss: number; accuracy: number }
  | {
      type: 'evaluation';
      /** The run whose training made this evaluation; absent for a model the page asked about. */
      runId?: number;
      modelKey: string;
      position: number | null;
      loss: number;
      accuracy: number;
      /** How many test images were scored. */
      count: number;
      /** rows = true digit, columns = predicted digit; null for a quick partial evaluation. */
      confusion: number[][] | null;
    }
  | { type: 'model'; runId: number; modelKey: string; text: string }
  /** The run is diverging or stuck at chance: what happened and what to change (the run stops when `stopped`). */
  | { type: 'divergence'; runId: number; text: string; stopped: boolean }
  | { type: 'misclassified'; modelKey: string; actual: number; predicted: number; images: Float32Array; indices: number[] }
  | { type: 'distortions'; images: Float32Array; count: number }
  | { type: 'sample'; image: Float32Array; label: number; index: number }
  | { type: 'error'; runId?: number; message: string }
  /** A fine-tuning run: what it waits for, its progress, its model (nnkit-model text) or why it failed. */
  | { type: 'tuneStatus'; tuneId: number; text: string }
  | { type: 'tuneProgress'; tuneId: number; epoch: number; epochs: number; batch: number; batches: number; loss: number }
  | { type: 'tuned'; tuneId: number; text: string }
  | { type: 'tuneFailed'; tuneId: number; message: string };

/** The page's side of the channel: only `WorkerRequest`s go out, only `WorkerMessage`s come in. */
export interface PageChannel {
  send(request: WorkerRequest): void;
  onMessage(handler: (message: WorkerMessage) => void): void;
}

/** Wraps a `Worker` as the page's typed channel. */
export function workerChannel(worker: Worker, onFailure: (text: string) => void): PageChannel {
  worker.onerror = (event) => {
    event.preventDefault();
    onFailure(`The training worker failed: ${event.message}`);
  };
  return {
    send: (request) => worker.postMessage(request),
    onMessage: (handler) => {
      worker.onmessage = (event: MessageEvent<WorkerMessage>) => handler(event.data);
    },
  };
}

/** The worker's side: posts a `WorkerMessage`, moving the buffers in `transfer`. */
export function postToPage(message: WorkerMessage, transfer: Transferable[] = []): void {
  (self as unknown as { postMessage(message: WorkerMessage, transfer: Transferable[]): void }).postMessage(message, transfer);
}
