import { createRng, jsKernels, type Kernels } from '@nnkit/tensor';
import { fillBatch, type Dataset, type Sequential } from './nnkit-base.js';
export function evaluate(model: Sequential, dataset: Dataset, options: { kernels?: Kernels; batchSize?: number } = {}) {
  const batchSize = options.batchSize ?? 250;
  const context = { kernels: options.kernels ?? jsKernels, training: false, rng: createRng('e') };
  const predictions = new Uint8Array(dataset.count);
  let lossSum = 0, correct = 0;
  const order = Int32Array.from({ length: dataset.count }, (_, i) => i);
  for (let start = 0; start < dataset.count; start += batchSize) {
    const end = Math.min(dataset.count, start + batchSize);
    const input = new Float32Array((end - start) * 784);
    fillBatch(dataset, order, start, end, input);
    const output = model.forward({ shape: [end - start, 28, 28, 1], data: input }, context);
    const labels = dataset.labels.subarray(start, end);
    lossSum += model.loss.compute(output, labels, null) * (end - start);
    for (let i = 0; i < end - start; i++) {
      let best = 0;
      for (let c = 1; c < 10; c++) if (output.data[i * 10 + c] > output.data[i * 10 + best]) best = c;
      predictions[start + i] = best;
      if (best === labels[i]) correct++;
    }
  }
  return { loss: lossSum / dataset.count, accuracy: correct / dataset.count, predictions };
}
