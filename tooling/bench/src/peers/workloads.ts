// The reference workloads of BENCHMARKS.md, unchanged, and how many steps each library is
// timed for. Every runner (nnkit, TensorFlow.js, PyTorch) reads its network, batch size and
// optimizer from here, so the comparison cannot drift apart.
import type { ModelDefinition } from '@nnkit/layers';
import { presetNetwork, presets } from '@nnkit/train';

/** The workload names of BENCHMARKS.md. */
export type WorkloadName = 'bench-mlp' | 'bench-cnn' | 'bench-record';

/** Every workload, in the order they run. */
export const workloadNames: readonly WorkloadName[] = ['bench-mlp', 'bench-cnn', 'bench-record'];

/** Optimizer of a workload, in the fields every library understands. */
export type WorkloadOptimizer =
  | { readonly kind: 'adam'; readonly learningRate: number; readonly beta1: number; readonly beta2: number; readonly epsilon: number }
  | { readonly kind: 'momentum'; readonly learningRate: number; readonly momentum: number };

/** One layer's share of the arithmetic: multiply-adds per image × 2, in FLOP. */
export interface LayerFlop {
  readonly name: string;
  readonly flop: number;
}

/** A reference workload: the network, its training recipe and its arithmetic per image. */
export interface Workload {
  readonly name: WorkloadName;
  readonly description: string;
  /** Training mini-batch size. */
  readonly batchSize: number;
  /** Inference batch size (BENCHMARKS.md measures inference at batch 1000). */
  readonly inferBatchSize: number;
  readonly optimizer: WorkloadOptimizer;
  /** The nnkit model: he init before a ReLU, glorot on the output layer (as the peers do). */
  readonly model: ModelDefinition;
  /** The layers that do the arithmetic (convolutions and dense layers), first to last. */
  readonly layerFlop: readonly LayerFlop[];
}

const mnistShape = [28, 28, 1] as const;

/** BENCHMARKS.md bench-mlp: 784 → Dense 100 ReLU → Dense 10 softmax; Adam 1e-3; batch 200. */
const benchMlp: Workload = {
  name: 'bench-mlp',
  description: '784 → dense 100 ReLU → dense 10 softmax, cross-entropy, Adam 1e-3, batch 200',
  batchSize: 200,
  inferBatchSize: 1000,
  optimizer: { kind: 'adam', learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
  model: {
    inputShape: mnistShape,
    layers: [{ kind: 'flatten' }, { kind: 'dense', units: 100, init: 'he' }, { kind: 'relu' }, { kind: 'dense', units: 10, init: 'glorot' }],
    loss: { kind: 'softmaxCrossEntropy' },
  },
  layerFlop: [
    { name: 'dense 784→100', flop: 2 * 784 * 100 },
    { name: 'dense 100→10', flop: 2 * 100 * 10 },
  ],
};

/**
 * BENCHMARKS.md bench-cnn: conv 20@5×5 ReLU → max-pool 2 → conv 40@5×5 ReLU → max-pool 2 →
 * dense 100 ReLU → dense 10 softmax; SGD momentum 0.9, lr 0.01; batch 64.
 */
const benchCnn: Workload = {
  name: 'bench-cnn',
  description: 'conv 20@5×5 ReLU → pool 2 → conv 40@5×5 ReLU → pool 2 → dense 100 ReLU → dense 10 softmax, SGD momentum 0.9 lr 0.01, batch 64',
  batchSize: 64,
  inferBatchSize: 1000,
  optimizer: { kind: 'momentum', learningRate: 0.01, momentum: 0.9 },
  // The `cnn` preset is bench-cnn: one definition, so the benchmark and the CLI cannot drift apart.
  model: presets.cnn.model,
  layerFlop: [
    // 24×24 outputs × 20 filters × (5·5·1) taps
    { name: 'conv 5×5×1→20', flop: 2 * 24 * 24 * 20 * 25 },
    // 8×8 outputs × 40 filters × (5·5·20) taps
    { name: 'conv 5×5×20→40', flop: 2 * 8 * 8 * 40 * 500 },
    { name: 'dense 640→100', flop: 2 * 640 * 100 },
    { name: 'dense 100→10', flop: 2 * 100 * 10 },
  ],
};

/** FLOP per image of a convolution: output pixels × filters × taps × 2. */
function convFlop(outputSide: number, filters: number, kernel: number, inputChannels: number): number {
  return 2 * outputSide * outputSide * filters * kernel * kernel * inputChannels;
}

/**
 * BENCHMARKS.md bench-record: the record network with 3×3 'same' convolutions (batch norm,
 * strided 5×5 convolutions instead of pooling, dropout 0.4, conv 4×4, dense 10; softmax
 * cross-entropy with label smoothing 0.1), as issue 20 defines it; Adam 1e-3; batch 128. It is
 * `record-ensemble`'s `same` network, and was the `record` preset's until `record` took the
 * unpadded form at twice the epochs (docs/accuracy.md): the benchmark keeps the network its
 * figures and the PyTorch script's `record_layers` were measured on.
 */
const benchRecord: Workload = {
  name: 'bench-record',
  description:
    'conv 32@3×3 same ×2 → conv 32@5×5 s2 → drop → conv 64@3×3 same ×2 → conv 64@5×5 s2 → drop → conv 128@4×4 → drop → dense 10 (batch norm + ReLU after every conv), Adam 1e-3, batch 128',
  batchSize: 128,
  inferBatchSize: 1000,
  optimizer: { kind: 'adam', learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
  // The ensemble preset's own definition, so the benchmark and the preset cannot drift apart.
  model: presetNetwork(presets['record-ensemble'], 'same').model,
  layerFlop: [
    { name: 'conv 3×3×1→32 (28×28)', flop: convFlop(28, 32, 3, 1) },
    { name: 'conv 3×3×32→32 (28×28)', flop: convFlop(28, 32, 3, 32) },
    { name: 'conv 5×5×32→32 stride 2 (14×14)', flop: convFlop(14, 32, 5, 32) },
    { name: 'conv 3×3×32→64 (14×14)', flop: convFlop(14, 64, 3, 32) },
    { name: 'conv 3×3×64→64 (14×14)', flop: convFlop(14, 64, 3, 64) },
    { name: 'conv 5×5×64→64 stride 2 (7×7)', flop: convFlop(7, 64, 5, 64) },
    { name: 'conv 4×4×64→128 (4×4)', flop: convFlop(4, 128, 4, 64) },
    { name: 'dense 2048→10', flop: 2 * 2048 * 10 },
  ],
};

/** The workloads by name. */
export const workloads: Readonly<Record<WorkloadName, Workload>> = { 'bench-mlp': benchMlp, 'bench-cnn': benchCnn, 'bench-record': benchRecord };

/** FLOP per image of a forward pass: the sum over the layers that do arithmetic. */
export function forwardFlop(workload: Workload): number {
  return workload.layerFlop.reduce((sum, layer) => sum + layer.flop, 0);
}

/**
 * FLOP per image of a training step, BENCHMARKS.md's convention: forward + weight gradient of
 * every layer + input gradient of every layer but the first (nobody computes the gradient of
 * the images), i.e. 3 × forward − first layer. bench-mlp 0.32 MFLOP, bench-cnn 9.22 MFLOP
 * (PyTorch's 6 840 img/s × 9.22 MFLOP = the 63 GFLOP/s BENCHMARKS.md quotes). Pooling, ReLU,
 * the loss and the optimizer update are not counted.
 */
export function trainFlop(workload: Workload): number {
  const first = workload.layerFlop[0]?.flop ?? 0;
  return 3 * forwardFlop(workload) - first;
}

/** How one phase is timed: `warmup` untimed steps, then `runs` timings of `steps` steps each. */
export interface Schedule {
  readonly warmup: number;
  readonly steps: number;
  readonly runs: number;
}

/**
 * A row of the comparison: nnkit, PyTorch on 2 threads (BENCHMARKS.md's bar) and on 1 (the same
 * core count as nnkit today, and far less hurt by a busy machine), TensorFlow.js wasm and cpu.
 */
export type RunnerId = 'nnkit' | 'pytorch' | 'pytorch-1thread' | 'tfjs-wasm' | 'tfjs-cpu';

/** Every runner, in the order they run. */
export const runnerIds: readonly RunnerId[] = ['nnkit', 'pytorch', 'pytorch-1thread', 'tfjs-wasm', 'tfjs-cpu'];

/** `full`: the real measurement (a few minutes in all); `smoke`: one step of each, for CI. */
export type Profile = 'full' | 'smoke';

/** The two phases: training steps at the workload's batch size, inference at batch 1000. */
export type Phase = 'train' | 'infer';

/** A phase's schedule, or why the phase is skipped. */
export type PlannedPhase = { readonly schedule: Schedule } | { readonly skip: string };

/**
 * Every phase warms up for a tenth of a second or more before its timed runs: threads started for
 * the phase (nnkit's workers, which `fit` and `ParallelEvaluator` start) run V8's baseline
 * WebAssembly code until their hot functions are optimized in the background. With 2 warm-up
 * batches of bench-mlp inference (≈ 10 ms) the timed runs measured mostly that: 230 808 images/s
 * where 40 (≈ 0.1 s) give ≈ 425 000 (`pnpm bench:peers --workloads bench-mlp --peers nnkit`, load
 * < 1). The warm-up is the same for every library and never timed.
 */
const fullSchedules: Readonly<Record<WorkloadName, Record<Phase, Schedule>>> = {
  // 20 × 200 = 4 000 images a timing
  'bench-mlp': { train: { warmup: 100, steps: 20, runs: 5 }, infer: { warmup: 40, steps: 5, runs: 5 } },
  // 20 × 64 = 1 280 images a timing. Training warms up for 100 steps (≈ 1 s) and takes the median
  // of 9 timings: with 30 and 5, nnkit's two-thread training read 4 494–6 412 images/s over
  // seven runs in a few minutes at load ≈ 1 (one build, and an older one the same); with 100 and
  // 9, 5 589–6 557 over four, the timings within a run 186–271 ms.
  'bench-cnn': { train: { warmup: 100, steps: 20, runs: 9 }, infer: { warmup: 5, steps: 2, runs: 5 } },
  // 5 × 128 = 640 images a timing (≈ 60 MFLOP a forward image: a few seconds each)
  'bench-record': { train: { warmup: 3, steps: 5, runs: 3 }, infer: { warmup: 1, steps: 1, runs: 3 } },
};

/**
 * How long each phase runs. The schedule is the same for every library, except TensorFlow.js
 * `cpu` on bench-cnn: its naive convolution gradients manage ~4 images/s (16 s a batch) and
 * ~230 images/s inference, so it gets one step a timing: two timings of training, three of
 * inference (about 1½ minutes on a quiet machine).
 */
export function planPhase(profile: Profile, runner: RunnerId, workload: WorkloadName, phase: Phase): PlannedPhase {
  if (workload === 'bench-record' && (runner === 'tfjs-cpu' || runner === 'tfjs-wasm')) {
    return { skip: 'not run (TensorFlow.js wasm has no convolution gradients; cpu takes 16 s a bench-cnn batch)' };
  }
  const slow = runner === 'tfjs-cpu' && workload === 'bench-cnn';
  if (profile === 'smoke') {
    if (slow && phase === 'train') return { skip: 'skipped in --smoke (about 16 s a batch of 64)' };
    return { schedule: { warmup: slow ? 0 : 1, steps: 1, runs: 1 } };
  }
  if (slow) return { schedule: phase === 'train' ? { warmup: 1, steps: 1, runs: 2 } : { warmup: 1, steps: 1, runs: 3 } };
  return { schedule: fullSchedules[workload][phase] };
}

/** Training steps a schedule takes in all (warm-up included): how many batches to prepare. */
export function totalSteps(schedule: Schedule): number {
  return schedule.warmup + schedule.steps * schedule.runs;
}
