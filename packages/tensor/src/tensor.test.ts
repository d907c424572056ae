import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { conv2dGeometry, outputSize, pool2dGeometry } from './geometry.js';
import { createParam, zeroGrads } from './param.js';
import { assertShape, formatShape, shapesEqual, sizeOf } from './shape.js';
import { cloneTensor, tensor, zeros } from './tensor.js';

describe('shapes', () => {
  it('sizeOf multiplies the dimensions; the empty shape is a scalar of size 1', () => {
    expect(sizeOf([28, 28, 1])).toBe(784);
    expect(sizeOf([64, 24, 24, 20])).toBe(737_280);
    expect(sizeOf([])).toBe(1);
  });

  it('shapesEqual compares rank and every dimension', () => {
    expect(shapesEqual([2, 3], [2, 3])).toBe(true);
    expect(shapesEqual([2, 3], [3, 2])).toBe(false);
    expect(shapesEqual([6], [2, 3])).toBe(false);
  });

  it('formatShape writes the dimensions in brackets', () => {
    expect(formatShape([28, 28, 1])).toBe('[28, 28, 1]');
  });

  it('assertShape names its owner and rejects empty, fractional, zero and negative dimensions', () => {
    expect(() => assertShape([2, 3], 'dense')).not.toThrow();
    for (const bad of [[], [2, 0], [2.5], [-1], [Number.NaN]]) {
      expect(() => assertShape(bad, 'dense')).toThrow(/^dense: shape must be a non-empty list of positive integers, got /);
    }
  });
});

describe('tensors', () => {
  it('tensor() zero-fills, wraps a Float32Array without copying, and copies a number list', () => {
    expect([...tensor([2, 2]).data]).toEqual([0, 0, 0, 0]);
    const data = new Float32Array([1, 2, 3, 4, 5, 6]);
    const wrapped = tensor([2, 3], data);
    expect(wrapped.data).toBe(data);
    expect(wrapped.shape).toEqual([2, 3]);
    expect([...tensor([3], [1.5, 2.5, 3.5]).data]).toEqual([1.5, 2.5, 3.5]);
  });

  it('tensor() rejects data of the wrong length with one line naming both sizes', () => {
    expect(() => tensor([2, 3], new Float32Array(5))).toThrow('tensor: shape [2, 3] needs 6 values, got 5');
    expect(() => tensor([0, 3])).toThrow(/^tensor: shape must be/);
  });

  it('tensor() keeps its own copy of the shape', () => {
    const shape = [2, 3];
    const t = tensor(shape);
    shape[0] = 99;
    expect(t.shape).toEqual([2, 3]);
  });

  it('zeros() and cloneTensor(): a deep copy shares neither shape nor data', () => {
    const original = zeros([3, 2]);
    original.data[4] = 7;
    const copy = cloneTensor(original);
    expect(copy).toEqual(original);
    copy.data[4] = 8;
    expect(original.data[4]).toBe(7);
    expect(copy.shape).not.toBe(original.shape);
  });

  it('data length always equals sizeOf(shape)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 4 }), (shape) => {
        expect(tensor(shape).data.length).toBe(sizeOf(shape));
      }),
      { seed: 3, numRuns: 100 },
    );
  });
});

describe('params', () => {
  it('createParam holds a value and a zero gradient of the same shape; zeroGrads clears gradients only', () => {
    const weights = createParam('weights', [2, 2], new Float32Array([1, 2, 3, 4]));
    const bias = createParam('bias', [2], undefined, false);
    expect(weights.regularize).toBe(true);
    expect(bias.regularize).toBe(false);
    expect(weights.grad.shape).toEqual([2, 2]);
    weights.grad.data.fill(5);
    bias.grad.data.fill(6);
    zeroGrads([weights, bias]);
    expect([...weights.grad.data, ...bias.grad.data]).toEqual([0, 0, 0, 0, 0, 0]);
    expect([...weights.value.data]).toEqual([1, 2, 3, 4]);
  });
});

describe('geometry', () => {
  it('outputSize is floor((size + pad - window) / stride) + 1, or 0 when the window does not fit', () => {
    expect(outputSize(28, 5, 1, 0)).toBe(24);
    expect(outputSize(24, 2, 2, 0)).toBe(12);
    expect(outputSize(7, 3, 2, 0)).toBe(3);
    expect(outputSize(2, 3, 1, 0)).toBe(0);
  });

  it('conv2dGeometry: the bench-cnn layers and a "same" padding', () => {
    // 28×28×1 → 5×5 valid → 24×24; 12×12×20 → 5×5 valid → 8×8 (BENCHMARKS.md bench-cnn).
    const first = conv2dGeometry({ batch: 64, inputHeight: 28, inputWidth: 28, inputChannels: 1, kernelHeight: 5, kernelWidth: 5 });
    expect([first.outputHeight, first.outputWidth, first.strideHeight, first.padTop]).toEqual([24, 24, 1, 0]);
    const second = conv2dGeometry({ batch: 64, inputHeight: 12, inputWidth: 12, inputChannels: 20, kernelHeight: 5, kernelWidth: 5 });
    expect([second.outputHeight, second.outputWidth]).toEqual([8, 8]);
    // 'same' with a 5×5 kernel pads 2 on every side and keeps 28×28.
    const same = conv2dGeometry({ batch: 1, inputHeight: 28, inputWidth: 28, inputChannels: 1, kernelHeight: 5, kernelWidth: 5, pads: [2, 2, 2, 2] });
    expect([same.outputHeight, same.outputWidth, same.padTop, same.padLeft]).toEqual([28, 28, 2, 2]);
  });

  it('pool2dGeometry strides by the pool size unless told otherwise', () => {
    const tiled = pool2dGeometry({ batch: 1, inputHeight: 24, inputWidth: 24, channels: 20, poolHeight: 2, poolWidth: 2 });
    expect([tiled.outputHeight, tiled.outputWidth, tiled.strideHeight, tiled.strideWidth]).toEqual([12, 12, 2, 2]);
    const overlapping = pool2dGeometry({ batch: 1, inputHeight: 5, inputWidth: 5, channels: 1, poolHeight: 3, poolWidth: 3, strideHeight: 2, strideWidth: 2 });
    expect([overlapping.outputHeight, overlapping.outputWidth]).toEqual([2, 2]);
  });
});
