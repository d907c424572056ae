import { createDataset, type Dataset } from '@nnkit/datasets';
import { createParam, createRng, type Param, type Shape, type Tensor } from '@nnkit/tensor';
import type { ModelLoss, RunContext, TrainableModel } from '../src/model.js';

/** Softmax cross-entropy on logits, written out: mean over the batch, gradient (p − y)/m. */
const softmaxCrossEntropy: ModelLoss = {
  config: { kind: 'softmaxCrossEntropy' },
  compute(output, labels, outputGrad) {
    const [batch, classes] = output.shape;
    const p = this.probabilities(output);
    let total = 0;
    for (let i = 0; i < batch; i++) {
      total -= Math.log(Math.max(p[i * classes + labels[i]], 1e-30));
      if (outputGrad) {
        for (let c = 0; c < classes; c++) outputGrad[i * classes + c] = (p[i * classes + c] - (c === labels[i] ? 1 : 0)) / batch;
      }
    }
    return total / batch;
  },
  probabilities(output, out) {
    const [batch, classes] = output.shape;
    const p = out ?? new Float32Array(batch * classes);
    for (let i = 0; i < batch; i++) {
      let max = -Infinity;
      for (let c = 0; c < classes; c++) max = Math.max(max, output.data[i * classes + c]);
      let sum = 0;
      for (let c = 0; c < classes; c++) sum += Math.exp(output.data[i * classes + c] - max);
      for (let c = 0; c < classes; c++) p[i * classes + c] = Math.exp(output.data[i * classes + c] - max) / sum;
    }
    return p;
  },
};

/**
 * A hand-written softmax regression with inverted input dropout (so the dropout stream matters
 * for determinism and resume tests), independent of `@nnkit/layers`.
 */
export class TinyModel implements TrainableModel {
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  readonly params: Param[];
  readonly state = [{ name: 'calls', value: { shape: [1], data: new Float32Array(1) } }];
  readonly loss = softmaxCrossEntropy;
  private readonly weights: Param;
  private readonly bias: Param;
  private readonly dropout: number;
  private lastInput: Float32Array = new Float32Array(0);
  private batch = 0;

  constructor(inputShape: Shape, classes: number, seed: number | string, dropout = 0) {
    const inputs = inputShape.reduce((a, b) => a * b, 1);
    const rng = createRng(seed).fork('init');
    this.inputShape = inputShape;
    this.outputShape = [classes];
    this.weights = createParam('weights', [inputs, classes], Float32Array.from({ length: inputs * classes }, () => rng.normal(0, 0.1)));
    this.bias = createParam('bias', [classes], undefined, false);
    this.params = [this.weights, this.bias];
    this.dropout = dropout;
  }

  forward(input: Tensor, context: RunContext): Tensor {
    const inputs = this.weights.value.shape[0];
    const classes = this.weights.value.shape[1];
    const batch = input.shape[0];
    const x = input.data.slice();
    if (context.training) {
      this.state[0].value.data[0]++; // non-trainable state that checkpoints must carry
      if (this.dropout > 0) {
        for (let i = 0; i < x.length; i++) x[i] = context.rng.next() < this.dropout ? 0 : x[i] / (1 - this.dropout);
      }
    }
    const out = new Float32Array(batch * classes);
    context.kernels.matmul(x, this.weights.value.data, out, { m: batch, k: inputs, n: classes });
    context.kernels.addRowVector(out, this.bias.value.data, batch, classes);
    this.lastInput = x;
    this.batch = batch;
    return { shape: [batch, classes], data: out };
  }

  backward(outputGrad: Tensor, context: RunContext): Tensor {
    const inputs = this.weights.value.shape[0];
    const classes = this.weights.value.shape[1];
    context.kernels.matmul(this.lastInput, outputGrad.data, this.weights.grad.data, { m: inputs, k: this.batch, n: classes, transposeA: true, accumulate: true });
    context.kernels.sumRows(outputGrad.data, this.bias.grad.data, this.batch, classes, true);
    return { shape: [this.batch, ...this.inputShape], data: new Float32Array(this.batch * inputs) };
  }
}

/** 4×4 images of random bytes; the label is the quadrant (0–3) with the largest sum. */
export function quadrantDataset(count: number, seed: string): Dataset {
  const rng = createRng(seed);
  const images = new Uint8Array(count * 16);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const sums = [0, 0, 0, 0];
    for (let p = 0; p < 16; p++) {
      const value = rng.int(256);
      images[i * 16 + p] = value;
      sums[(p >= 8 ? 2 : 0) + (p % 4 >= 2 ? 1 : 0)] += value;
    }
    labels[i] = sums.indexOf(Math.max(...sums));
  }
  return createDataset({ images, labels, imageShape: [4, 4, 1], name: `quadrants:${seed}` });
}
