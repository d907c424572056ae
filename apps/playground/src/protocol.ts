// Messages between the page and the training worker. The worker owns the data set, the
// network being trained and its optimizer; the page owns a copy of the model for drawing.
import type { PlaygroundConfig } from './config.js';
import type { BackendRequest } from './kernels.js';

/** What the page asks of the worker. */
export type WorkerRequest =
  | { type: 'configure'; config: PlaygroundConfig; dataUrl: string; backend: BackendRequest }
  | { type: 'threads'; threads: number }
  | { type: 'start' }
  | { type: 'pause' }
  | { type: 'step' }
  | { type: 'evaluate'; modelText: string }
  | { type: 'misclassified'; actual: number; predicted: number; limit: number }
  | { type: 'distortions'; spec: string; seed: number; index: number; count: number }
  | { type: 'sample'; index: number };

/** The worker's run state. */
export type RunState = 'loading' | 'ready' | 'running' | 'paused' | 'done' | 'failed';

/** What the worker tells the page. */
export type WorkerMessage =
  | { type: 'status'; text: string }
  | { type: 'state'; state: RunState }
  | {
      type: 'ready';
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
      epoch: number;
      batch: number;
      batches: number;
      /** Epochs done as a fraction (1.5 = half-way through the second epoch). */
      position: number;
      loss: number;
      /** Recent training speed, smoothed. */
      imagesPerSecond: number;
      imagesSeen: number;
      /** Images trained and seconds spent training them (evaluations and thread start-up left out), since the network was built. */
      trainImages: number;
      trainSeconds: number;
      threads: number;
    }
  | { type: 'threads'; threads: number; note: string }
  | { type: 'trainPoint'; position: number; loss: number; accuracy: number }
  | {
      type: 'evaluation';
      position: number | null;
      loss: number;
      accuracy: number;
      /** How many test images were scored. */
      count: number;
      /** rows = true digit, columns = predicted digit; null for a quick partial evaluation. */
      confusion: number[][] | null;
    }
  | { type: 'model'; text: string; label: string }
  | { type: 'misclassified'; actual: number; predicted: number; images: Float32Array; indices: number[] }
  | { type: 'distortions'; images: Float32Array; count: number }
  | { type: 'sample'; image: Float32Array; label: number; index: number }
  | { type: 'error'; message: string };
