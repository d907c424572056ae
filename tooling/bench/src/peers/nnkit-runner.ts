// nnkit on a workload: `Sequential` + `@nnkit/optim`, stepped by the same per-batch sequence
// as `fit` in `@nnkit/train` (fill batch, forward, loss, backward, optimizer step, zero
// gradients), but for an exact number of steps rather than whole epochs.
import { fillBatch, fillLabels } from '@nnkit/datasets';
import { Sequential, type Context } from '@nnkit/layers';
import { createOptimizer } from '@nnkit/optim';
import { createRng, jsKernels, sizeOf, zeroGrads, type Kernels } from '@nnkit/tensor';
import { createWasmKernels } from '@nnkit/wasm';
import { inferenceOrder, trainingOrder, type BenchData } from './data.js';
import { timeSteps, type PhaseTiming } from './measure.js';
import type { ChildSpec, NnkitBackend } from './protocol.js';
import type { RunnerOutcome } from './runner.js';
import { totalSteps, type Workload } from './workloads.js';

/** The kernels nnkit runs on, and how the table names them. */
export interface NnkitEngine {
  readonly kernels: Kernels;
  readonly description: string;
}

/**
 * Builds nnkit's compute engine for `backend` on `threads` threads. This is the one place that
 * knows how nnkit parallelises: when multi-threaded training exists, `threads > 1` builds it
 * here and the rest of the harness (option parsing, table, JSON) already carries the count.
 */
export async function createNnkitEngine(backend: NnkitBackend, threads: number): Promise<NnkitEngine> {
  if (threads !== 1) throw new Error(`--threads ${threads}: nnkit trains on one thread in this version`);
  if (backend === 'js') return { kernels: jsKernels, description: 'js, 1 thread' };
  const kernels = await createWasmKernels();
  return { kernels, description: `wasm (${kernels.features}), 1 thread` };
}

/** Times nnkit training and inference on `workload`. */
export async function runNnkit(spec: ChildSpec, workload: Workload, data: BenchData): Promise<RunnerOutcome> {
  const engine = await createNnkitEngine(spec.nnkitBackend, spec.threads);
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
    const input = new Float32Array(batchSize * inputSize);
    const labels = new Uint8Array(batchSize);
    const outputGrad = new Float32Array(batchSize * classes);
    const params = model.params;
    zeroGrads(params);
    train = await timeSteps(spec.train, batchSize, (step) => {
      const start = step * batchSize;
      fillBatch(data.train, order, start, start + batchSize, input);
      fillLabels(data.train, order, start, start + batchSize, labels);
      const output = model.forward({ shape: [batchSize, ...model.inputShape], data: input }, context);
      const loss = model.loss.compute(output, labels, outputGrad);
      if (!Number.isFinite(loss)) throw new Error(`nnkit ${workload.name} (${engine.description}): training loss is ${loss} at step ${step + 1}`);
      model.backward({ shape: output.shape, data: outputGrad }, context, { inputGrad: false });
      optimizer.step(params);
      zeroGrads(params);
      return loss;
    });
  }

  let infer: PhaseTiming | null = null;
  if (spec.infer) {
    const batchSize = workload.inferBatchSize;
    const order = inferenceOrder(data.test.count, batchSize, totalSteps(spec.infer));
    const context: Context = { kernels: engine.kernels, training: false, rng: root.fork('inference') };
    const input = new Float32Array(batchSize * inputSize);
    let checksum = 0;
    infer = await timeSteps(spec.infer, batchSize, (step) => {
      const start = step * batchSize;
      fillBatch(data.test, order, start, start + batchSize, input);
      const output = model.forward({ shape: [batchSize, ...model.inputShape], data: input }, context);
      checksum += output.data[0];
    });
    if (!Number.isFinite(checksum)) throw new Error(`nnkit ${workload.name}: inference produced ${checksum}`);
  }

  return { library: 'nnkit', backend: engine.description, train, infer };
}
