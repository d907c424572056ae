// What the parent process hands a child process and what the child prints back (one JSON line,
// the last on its stdout). Each library and workload runs in a child of its own, so one's
// memory, JIT state or global backend never colours another's figures.
import type { PhaseTiming } from './measure.js';
import type { Schedule, WorkloadName } from './workloads.js';

/** nnkit's kernel backend: plain JavaScript or WebAssembly SIMD (`@nnkit/wasm`). */
export type NnkitBackend = 'js' | 'wasm';

/** The runners that live in Node (PyTorch runs in Python with the same fields). */
export type NodeRunnerId = 'nnkit' | 'tfjs-cpu' | 'tfjs-wasm';

/** What one child process runs: one library on one workload, training then inference. */
export interface ChildSpec {
  readonly runner: NodeRunnerId;
  readonly workload: WorkloadName;
  /** `null`: the phase is skipped (the parent knows why). */
  readonly train: Schedule | null;
  readonly infer: Schedule | null;
  readonly nnkitBackend: NnkitBackend;
  /** Threads for nnkit's training. */
  readonly threads: number;
  /** Threads for nnkit's inference (default: `threads`): each batch split over them. */
  readonly inferThreads?: number;
  /** Seeds the initial weights and the order of the training images. */
  readonly seed: string;
}

/** What a runner measured; the JSON line a child prints (the Python runner prints the same). */
export interface ChildReport {
  /** Library and version, e.g. `@tensorflow/tfjs 4.22.0`. */
  readonly library: string;
  /** Backend as a person reads it, e.g. `wasm (relaxed-simd), 1 thread`. */
  readonly backend: string;
  readonly train: PhaseTiming | null;
  readonly infer: PhaseTiming | null;
  /** Why a phase that was asked for could not run (e.g. a kernel the backend lacks). */
  readonly trainReason?: string;
  readonly inferReason?: string;
  /** Peak resident set size of the whole process (ru_maxrss), MiB. */
  readonly peakRssMegabytes: number;
  /** Resident set size once MNIST is loaded, before any model exists, MiB. */
  readonly dataRssMegabytes: number;
}

/** The argument that makes `peers.js` run as a child. */
export const childFlag = '--child';
