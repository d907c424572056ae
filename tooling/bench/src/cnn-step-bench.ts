// bench-cnn (BENCHMARKS.md) training steps: forward, softmax cross-entropy, backward and an SGD
// momentum step on real MNIST batches of 64, timed per kernel backend.
import { fillBatch, fillLabels } from '@nnkit/datasets';
import { loadMnist } from '@nnkit/datasets/node';
import { Sequential } from '@nnkit/layers';
import { createOptimizer } from '@nnkit/optim';
import { createRng, jsKernels, zeroGrads, type Kernels } from '@nnkit/tensor';
import { presets } from '@nnkit/train';
import { timeIt } from './timing.js';

/** bench-cnn: ≈ 3.27 MFLOP forward per image, ≈ 9.2 with backward (BENCHMARKS.md). */
const trainFlopPerImage = 9.2e6;
const batchSize = 64;

export interface CnnStepBenchRow {
  readonly backend: string;
  readonly imagesPerSecond: number;
  readonly cpuImagesPerSecond: number;
  readonly gflops: number;
}

/** Times `steps` training steps per backend (median of `runs` after a warm-up). */
export function runCnnStepBench(backends: readonly { name: string; kernels: Kernels }[], options: { steps?: number; runs?: number } = {}): CnnStepBenchRow[] {
  const steps = options.steps ?? 10;
  const { train } = loadMnist({ limit: batchSize * steps });
  const preset = presets.cnn;
  const input = new Float32Array(batchSize * 784);
  const labels = new Uint8Array(batchSize);
  const order = Int32Array.from({ length: train.count }, (_, i) => i);
  return backends.map(({ name, kernels }) => {
    const model = new Sequential(preset.model, createRng(1).fork('init'));
    const optimizer = createOptimizer(preset.optimizer);
    const context = { kernels, training: true, rng: createRng(1).fork('dropout') };
    const gradient = new Float32Array(batchSize * 10);
    const workload = (): void => {
      for (let step = 0; step < steps; step++) {
        const start = step * batchSize;
        fillBatch(train, order, start, start + batchSize, input);
        fillLabels(train, order, start, start + batchSize, labels);
        const output = model.forward({ shape: [batchSize, 28, 28, 1], data: input }, context);
        model.loss.compute(output, labels, gradient);
        model.backward({ shape: output.shape, data: gradient }, context, { inputGrad: false });
        optimizer.step(model.params);
        zeroGrads(model.params);
      }
    };
    const timing = timeIt(workload, { warmup: 1, runs: options.runs ?? 3 });
    const images = steps * batchSize;
    const imagesPerSecond = images / (timing.medianMilliseconds / 1000);
    return {
      backend: name,
      imagesPerSecond,
      cpuImagesPerSecond: images / (timing.medianCpuMilliseconds / 1000),
      gflops: (imagesPerSecond * trainFlopPerImage) / 1e9,
    };
  });
}

export function formatCnnStepBench(rows: readonly CnnStepBenchRow[]): string {
  const lines = ['backend            train img/s   (by CPU time)   GFLOP/s'];
  for (const row of rows) {
    lines.push(
      `${row.backend.padEnd(18)} ${row.imagesPerSecond.toFixed(0).padStart(11)}   ${row.cpuImagesPerSecond.toFixed(0).padStart(13)}   ${row.gflops.toFixed(1).padStart(7)}`,
    );
  }
  return lines.join('\n');
}


