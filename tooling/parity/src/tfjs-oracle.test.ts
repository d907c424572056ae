import type { Tensor4D } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { forwardAndGradients, loadTensorFlow, type TensorFlow } from './tfjs-oracle.js';

// Pins down the TensorFlow.js conventions the parity tests rely on, with hand-computed values.
let tf: TensorFlow;
beforeAll(async () => {
  tf = await loadTensorFlow();
});

describe('loadTensorFlow', () => {
  it("runs on the pure-JavaScript 'cpu' backend", () => {
    expect(tf.getBackend()).toBe('cpu');
  });
});

describe('forwardAndGradients', () => {
  it('returns f and the gradients of Σ w·f', () => {
    // f(a, b) = a·b elementwise; d(Σ w·a·b)/da = w·b, /db = w·a.
    const result = forwardAndGradients(
      tf,
      (a, b) => tf.mul(a, b),
      [
        { shape: [2], data: Float32Array.of(2, 3) },
        { shape: [2], data: Float32Array.of(5, 7) },
      ],
      Float32Array.of(1, -2),
    );
    expect([...result.output.data]).toEqual([10, 21]);
    expect([...result.gradients[0].data]).toEqual([5, -14]);
    expect([...result.gradients[1].data]).toEqual([2, -6]);
  });

  it('leaves no tensor behind', () => {
    const before = tf.memory().numTensors;
    forwardAndGradients(tf, (a) => tf.square(a), [{ shape: [3], data: Float32Array.of(1, 2, 3) }], Float32Array.of(1, 1, 1));
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('TensorFlow.js conventions', () => {
  it('conv2d filters are HWIO [kh, kw, inC, outC] over NHWC input', () => {
    // Input 1×1×1 with two channels (1, 10); filter 1×1×2×3 with filter[0,0,c,o] = c*3+o+1, so
    // output o = 1·(o+1) + 10·(o+4) = [41, 52, 63].
    const output = tf.tidy(() =>
      tf.conv2d(tf.tensor4d([1, 10], [1, 1, 1, 2]), tf.tensor4d([1, 2, 3, 4, 5, 6], [1, 1, 2, 3]), 1, 'valid').dataSync(),
    );
    expect([...output]).toEqual([41, 52, 63]);
  });

  it("'same' padding with an even kernel puts the extra row and column at the bottom and right", () => {
    // Input [[1, 2], [3, 4]] with a 2×2 kernel of ones: total padding 1 per axis. Bottom/right
    // padding gives [[1+2+3+4, 2+4], [3+4, 4]] = [[10, 6], [7, 4]] (top/left would give [[1, 3], [4, 10]]).
    const output = tf.tidy(() => tf.conv2d(tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]), tf.ones([2, 2, 1, 1]) as Tensor4D, 1, 'same').dataSync());
    expect([...output]).toEqual([10, 6, 7, 4]);
  });

  it("'same' with stride 2 gives ceil(size / stride) outputs", () => {
    const shape = tf.tidy(() => tf.conv2d(tf.ones([1, 5, 6, 1]) as Tensor4D, tf.ones([3, 3, 1, 1]) as Tensor4D, 2, 'same').shape);
    expect(shape).toEqual([1, 3, 3, 1]);
  });
});
