// nnkit on a workload: `Sequential` + `@nnkit/optim`, stepped by the same per-batch sequence
// as `fit` in `@nnkit/train` (fill batch, forward, loss, backward, optimizer step, zero
// gradients), but for an exact number of steps rather than whole epochs.
import { fillBatch, fillLabels, subset } from '@nnkit/datasets';
import { Sequential, type Context } from '@nnkit/layers';
import { createOptimizer } from '@nnkit/optim';
import { createRng, jsKernels, sizeOf, zeroGrads, type Kernels, type Rng } from '@nnkit/tensor';
import { fit, ParallelEvaluator, placeParams } from '@nnkit/train';
import { nodeWorkers } from '@nnkit/train/node';
import type { WorkerTransport } from '@nnkit/train';
import { createWasmKernels, type WasmKernels } from '@nnkit/wasm';
import { inferenceOrder, trainingOrder, type BenchData } from './data.js';
import { timeSteps, type PhaseTiming } from './measure.js';
import type { ChildSpec, NnkitBackend } from './protocol.js';
import type { RunnerOutcome } from './runner.js';
import { totalSteps, type Schedule, type Workload } from './workloads.js';

/** The kernels nnkit runs on, and how the table names them. */
export interface NnkitEngine {
  readonly kernels: Kernels;
  readonly threads: number;
  readonly description: string;
}

/**
 * Builds nnkit's compute engine for `backend` on `threads` threads. This is the one place that
 * knows how nnkit parallelises: when multi-threaded training exists, `threads > 1` builds it
 * here and the rest of the harness (option parsing, table, JSON) already carries the count.
 */
export async function createNnkitEngine(backend: NnkitBackend, threads: number): Promise<NnkitEngine> {
  const threadText = `${threads} thread${threads === 1 ? '' : 's'}`;
  if (backend === 'js') return { kernels: jsKernels, threads, description: `js, ${threadText}` };
  const kernels = await createWasmKernels();
  return { kernels, threads, description: `wasm (${kernels.features}), ${threadText}` };
}

/** Times nnkit training and inference on `workload`. */
export async function runNnkit(spec: ChildSpec, workload: Workload, data: BenchData): Promise<RunnerOutcome> {
  const engine = await createNnkitEngine(spec.nnkitBackend, spec.threads);
  if (engine.threads > 1) return runNnkitThreaded(spec, workload, data, engine);
  const root = createRng(spec.seed);
  const model = new Sequential(workload.model, root.fork('init'));
  const inputSize = sizeOf(model.inputShape);
  const classes = sizeOf(model.outputShape);

  let train: PhaseTiming | null = null;
  if (spec.train) {
    const { batchSize } = workload;
    const order = trainingOrder(data.train.count, batchSize, totalSteps(spec.train), spec.seed);
    const optimizer = createOptimizer(workload.optimizer);
    const context: Context = { kernels: engine.kernels, training: true, rng: root.fork('dropout') };
    // As `fit` does: weights, gradients and the input batch in the kernels' own memory.
    placeParams(model.params, engine.kernels);
    const input = engine.kernels.allocate?.(batchSize * inputSize) ?? new Float32Array(batchSize * inputSize);
    const labels = new Uint8Array(batchSize);
    const outputGrad = new Float32Array(batchSize * classes);
    const params = model.params;
    zeroGrads(params);
    train = await timeSteps(spec.train, batchSize, (step) => {
      const start = step * batchSize;
      fillBatch(data.train, order, start, start + batchSize, input, undefined, engine.kernels);
      fillLabels(data.train, order, start, start + batchSize, labels);
      const output = model.forward({ shape: [batchSize, ...model.inputShape], data: input }, context);
      const loss = model.loss.compute(output, labels, outputGrad);
      if (!Number.isFinite(loss)) throw new Error(`nnkit ${workload.name} (${engine.description}): training loss is ${loss} at step ${step + 1}`);
      model.backward({ shape: output.shape, data: outputGrad }, context, { inputGrad: false });
      optimizer.step(params, engine.kernels);
      zeroGrads(params);
      return loss;
    });
  }

  const inferThreads = spec.inferThreads ?? engine.threads;
  if (!spec.infer) return { library: 'nnkit', backend: engine.description, train, infer: null };
  if (inferThreads === 1) return { library: 'nnkit', backend: engine.description, train, infer: await timeInference(spec.infer, workload, data, model, engine.kernels, root) };
  const infer = await timeParallelInference(spec.infer, workload, data, model, engine, workerOptions(engine, inferThreads));
  return { library: 'nnkit', backend: `${engine.description} (inference: ${inferThreads} threads)`, train, infer };
}

/** `fit`'s and `ParallelEvaluator`'s thread options: workers running nnkit-worker.ts (built beside this bundle) with the same kernels. */
function workerOptions(engine: NnkitEngine, threads: number): { threads: number; parallel: WorkerTransport } {
  const kernels = engine.kernels.name === 'wasm' ? { backend: 'wasm', relaxedSimd: (engine.kernels as WasmKernels).features === 'relaxed-simd' } : { backend: 'js' };
  return { threads, parallel: nodeWorkers({ workerUrl: new URL('./nnkit-worker.js', import.meta.url), kernels }) };
}

/**
 * Several threads: `fit` splits every mini-batch over worker threads. One `fit` call runs the
 * warm-up and all timed runs back to back over the same image order as one thread uses (no
 * reshuffling), and the run boundaries are timed from its per-batch callback, so the workers
 * start once, outside the timed runs. Inference splits each batch over the threads too.
 */
async function runNnkitThreaded(spec: ChildSpec, workload: Workload, data: BenchData, engine: NnkitEngine): Promise<RunnerOutcome> {
  const root = createRng(spec.seed);
  const model = new Sequential(workload.model, root.fork('init'));
  const parallel = workerOptions(engine, engine.threads);

  let train: PhaseTiming | null = null;
  if (spec.train) {
    const schedule = spec.train;
    const { batchSize } = workload;
    const order = trainingOrder(data.train.count, batchSize, totalSteps(schedule), spec.seed);
    const boundaries = new Map<number, number>(); // batch number → run that ends there
    for (let run = 0; run <= schedule.runs; run++) boundaries.set(schedule.warmup + run * schedule.steps, run);
    const marks: number[] = [];
    let firstLoss: number | undefined;
    let runLossSum = 0;
    let lastLoss: number | undefined;
    if (schedule.warmup === 0) marks.push(performance.now());
    await fit(model, { train: subset(data.train, order) }, {
      epochs: 1,
      batchSize,
      optimizer: workload.optimizer,
      seed: spec.seed,
      shuffle: false,
      kernels: engine.kernels,
      ...parallel,
      batchEndEvery: 1,
      onBatchEnd: (info) => {
        firstLoss ??= info.batchLoss;
        if (info.batch > schedule.warmup) runLossSum += info.batchLoss;
        if (boundaries.has(info.batch)) {
          marks.push(performance.now());
          if (info.batch > schedule.warmup) {
            lastLoss = runLossSum / schedule.steps;
            runLossSum = 0;
          }
        }
      },
    });
    const milliseconds = marks.slice(1).map((mark, run) => mark - marks[run]);
    train = { batchSize, warmup: schedule.warmup, steps: schedule.steps, milliseconds, ...(firstLoss === undefined ? {} : { firstLoss }), ...(lastLoss === undefined ? {} : { lastLoss }) };
  }

  const inferThreads = spec.inferThreads ?? engine.threads;
  const infer = spec.infer ? await (inferThreads === 1 ? timeInference(spec.infer, workload, data, model, engine.kernels, root) : timeParallelInference(spec.infer, workload, data, model, engine, workerOptions(engine, inferThreads))) : null;
  const backend = spec.infer && inferThreads !== engine.threads ? `${engine.description} (inference: ${inferThreads} thread${inferThreads === 1 ? '' : 's'})` : engine.description;
  return { library: 'nnkit', backend, train, infer };
}

/**
 * Inference over all threads at batch 1000: each step's images split into contiguous shares, the
 * workers started once before the timed steps (`ParallelEvaluator`) and parked in between.
 */
async function timeParallelInference(schedule: Schedule, workload: Workload, data: BenchData, model: Sequential, engine: NnkitEngine, parallel: { threads: number; parallel: WorkerTransport }): Promise<PhaseTiming> {
  const batchSize = workload.inferBatchSize;
  const order = inferenceOrder(data.test.count, batchSize, totalSteps(schedule));
  const evaluator = await ParallelEvaluator.start(model, data.test, { ...parallel, kernels: engine.kernels, batchSize, maxImages: batchSize });
  let checksum = 0;
  try {
    const timing = await timeSteps(schedule, batchSize, async (step) => {
      const result = await evaluator.evaluate(order.subarray(step * batchSize, (step + 1) * batchSize));
      checksum += result.probabilities[0];
    });
    if (!Number.isFinite(checksum)) throw new Error(`nnkit ${workload.name}: inference produced ${checksum}`);
    return timing;
  } finally {
    await evaluator.close();
  }
}

/** Inference on the calling thread at batch 1000: `model.forward` on the timed batches. */
async function timeInference(schedule: Schedule, workload: Workload, data: BenchData, model: Sequential, kernels: Kernels, root: Rng): Promise<PhaseTiming> {
  const batchSize = workload.inferBatchSize;
  const order = inferenceOrder(data.test.count, batchSize, totalSteps(schedule));
  const context: Context = { kernels, training: false, rng: root.fork('inference') };
  const input = kernels.allocate?.(batchSize * sizeOf(model.inputShape)) ?? new Float32Array(batchSize * sizeOf(model.inputShape));
  let checksum = 0;
  const timing = await timeSteps(schedule, batchSize, (step) => {
    const start = step * batchSize;
    fillBatch(data.test, order, start, start + batchSize, input, undefined, kernels);
    const output = model.forward({ shape: [batchSize, ...model.inputShape], data: input }, context);
    checksum += output.data[0];
  });
  if (!Number.isFinite(checksum)) throw new Error(`nnkit ${workload.name}: inference produced ${checksum}`);
  return timing;
}
