import { createRng, jsKernels, tensor } from '@nnkit/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Conv2d, resolvePadding, type Padding } from './conv2d.js';
import { checkLayer } from './test.js';

const training = { kernels: jsKernels, training: true, rng: createRng(0) };
const inference = { ...training, training: false };

/** Direct convolution in float64, straight from the definition: the oracle for im2col + matmul. */
function directConv(layer: Conv2d, input: Float32Array, batch: number): Float64Array {
  const [h, w, c] = layer.inputShape;
  const [oh, ow, f] = layer.outputShape;
  const [kh, kw] = layer.weights.value.shape;
  const stride = typeof layer.config.stride === 'number' ? [layer.config.stride, layer.config.stride] : (layer.config.stride as readonly number[]);
  const [top, , left] = layer.pads;
  const out = new Float64Array(batch * oh * ow * f);
  const weights = layer.weights.value.data;
  for (let b = 0; b < batch; b++)
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++)
        for (let o = 0; o < f; o++) {
          let sum = layer.bias.value.data[o];
          for (let ky = 0; ky < kh; ky++)
            for (let kx = 0; kx < kw; kx++) {
              const y = oy * stride[0] - top + ky;
              const x = ox * stride[1] - left + kx;
              if (y < 0 || y >= h || x < 0 || x >= w) continue;
              for (let i = 0; i < c; i++) sum += input[((b * h + y) * w + x) * c + i] * weights[((ky * kw + kx) * c + i) * f + o];
            }
          out[((b * oh + oy) * ow + ox) * f + o] = sum;
        }
  return out;
}

describe('Conv2d', () => {
  it('convolves a 3×3 image with a 2×2 kernel and back-propagates (hand-computed)', () => {
    const layer = new Conv2d({ kind: 'conv2d', filters: 1, kernelSize: 2 }, [3, 3, 1], createRng(1));
    layer.weights.value.data.set([1, 0, 0, -1]); // w[0,0] = 1, w[1,1] = −1
    layer.bias.value.data.set([0.5]);
    const input = tensor([1, 3, 3, 1], [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Every output is x[y, x] − x[y+1, x+1] + 0.5 = −4 + 0.5.
    expect([...layer.forward(input, training).data]).toEqual([-3.5, -3.5, -3.5, -3.5]);
    const inputGrad = layer.backward(tensor([1, 2, 2, 1], [1, 1, 1, 1]), training);
    // dx[y, x] = [y, x both < 2] − [y, x both ≥ 1].
    expect([...inputGrad.data]).toEqual([1, 1, 0, 1, 0, -1, 0, -1, -1]);
    // dW[ky, kx] = sum of the 2×2 block at (ky, kx): 1+2+4+5, 2+3+5+6, 4+5+7+8, 5+6+8+9.
    expect([...layer.weights.grad.data]).toEqual([12, 16, 24, 28]);
    expect([...layer.bias.grad.data]).toEqual([4]);
  });

  it('resolves padding like TensorFlow', () => {
    expect(resolvePadding('same', 5, 5, [3, 3], [2, 2])).toEqual([1, 1, 1, 1]);
    expect(resolvePadding('same', 6, 6, [3, 3], [2, 2])).toEqual([0, 1, 0, 1]); // odd pad goes bottom/right
    expect(resolvePadding('same', 28, 28, [5, 5], [1, 1])).toEqual([2, 2, 2, 2]);
    expect(resolvePadding('valid', 28, 28, [5, 5], [1, 1])).toEqual([0, 0, 0, 0]);
    expect(resolvePadding([1, 2, 3, 4], 28, 28, [5, 5], [1, 1])).toEqual([1, 2, 3, 4]);
  });

  it('passes checkLayer for several geometries', () => {
    checkLayer((rng) => new Conv2d({ kind: 'conv2d', filters: 3, kernelSize: 3 }, [5, 5, 2], rng));
    checkLayer((rng) => new Conv2d({ kind: 'conv2d', filters: 2, kernelSize: [2, 3], stride: 2, padding: 'same' }, [5, 6, 2], rng));
    checkLayer((rng) => new Conv2d({ kind: 'conv2d', filters: 2, kernelSize: 3, stride: [1, 2], padding: [1, 0, 2, 1], init: 'he' }, [4, 5, 1], rng));
  });

  it('infers the output shape and matches a direct convolution for random geometries', () => {
    const padding = fc.oneof(
      fc.constant<Padding>('valid'),
      fc.constant<Padding>('same'),
      fc.tuple(fc.nat(2), fc.nat(2), fc.nat(2), fc.nat(2)),
    );
    fc.assert(
      fc.property(
        fc.record({
          height: fc.integer({ min: 1, max: 8 }),
          width: fc.integer({ min: 1, max: 8 }),
          channels: fc.integer({ min: 1, max: 3 }),
          filters: fc.integer({ min: 1, max: 3 }),
          kernel: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })),
          stride: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
          padding,
          batch: fc.integer({ min: 1, max: 2 }),
        }),
        ({ height, width, channels, filters, kernel, stride, padding, batch }) => {
          const pads = resolvePadding(padding, height, width, kernel, stride);
          const expectedHeight = padding === 'same' ? Math.ceil(height / stride[0]) : Math.floor((height + pads[0] + pads[1] - kernel[0]) / stride[0]) + 1;
          const expectedWidth = padding === 'same' ? Math.ceil(width / stride[1]) : Math.floor((width + pads[2] + pads[3] - kernel[1]) / stride[1]) + 1;
          const config = { kind: 'conv2d', filters, kernelSize: kernel, stride, padding } as const;
          const fits = height + pads[0] + pads[1] >= kernel[0] && width + pads[2] + pads[3] >= kernel[1];
          if (!fits) {
            expect(() => new Conv2d(config, [height, width, channels], createRng(1))).toThrow('does not fit');
            return;
          }
          const layer = new Conv2d(config, [height, width, channels], createRng(1));
          expect(layer.outputShape).toEqual([expectedHeight, expectedWidth, filters]);
          const rng = createRng(2);
          const input = tensor([batch, height, width, channels], Float32Array.from({ length: batch * height * width * channels }, () => rng.normal()));
          const output = layer.forward(input, training).data;
          const expected = directConv(layer, input.data, batch);
          expected.forEach((value, i) => expect(output[i]).toBeCloseTo(value, 4));
        },
      ),
      { numRuns: 150, seed: 42 },
    );
  });

  it('gives the same results when large inference batches are unfolded in chunks', () => {
    // 36·36 output pixels × 100 patch values per image: 16 images per chunk, so 3 chunks (16, 16, 2).
    const layer = new Conv2d({ kind: 'conv2d', filters: 1, kernelSize: 5 }, [40, 40, 4], createRng(3));
    const rng = createRng(4);
    const batch = 34;
    const input = tensor([batch, 40, 40, 4], Float32Array.from({ length: batch * 6400 }, () => rng.uniform()));
    const outputGrad = tensor([batch, 36, 36, 1], Float32Array.from({ length: batch * 36 * 36 }, () => rng.normal()));
    const whole = layer.forward(input, training).data.slice();
    layer.backward(outputGrad, training);
    const weightsGrad = layer.weights.grad.data.slice();
    layer.weights.grad.data.fill(0);
    layer.bias.grad.data.fill(0);
    const chunked = layer.forward(input, inference).data;
    expect(chunked.findIndex((value, i) => value !== whole[i])).toBe(-1);
    layer.backward(outputGrad, inference); // unfolds the batch it did not keep
    expect(layer.weights.grad.data.findIndex((value, i) => value !== weightsGrad[i])).toBe(-1);
  });

  it('keeps no columns after an unchunked inference forward, and unfolds them again for a backward pass', () => {
    const layer = new Conv2d({ kind: 'conv2d', filters: 3, kernelSize: 3, padding: 'same' }, [7, 7, 2], createRng(5));
    const rng = createRng(6);
    const input = tensor([3, 7, 7, 2], Float32Array.from({ length: 3 * 98 }, () => rng.uniform()));
    const outputGrad = tensor([3, 7, 7, 3], Float32Array.from({ length: 3 * 147 }, () => rng.normal()));
    const trained = layer.forward(input, training).data.slice();
    layer.backward(outputGrad, training);
    const weightsGrad = layer.weights.grad.data.slice();
    layer.weights.grad.data.fill(0);
    // Another input through inference in between: a stale unfolding must not be used.
    layer.forward(tensor([3, 7, 7, 2], new Float32Array(3 * 98).fill(0.5)), training);
    expect(Array.from(layer.forward(input, inference).data)).toEqual(Array.from(trained));
    layer.backward(outputGrad, inference);
    expect(Array.from(layer.weights.grad.data)).toEqual(Array.from(weightsGrad));
  });

  it('rejects bad configs with one-line messages', () => {
    const make = (config: object, shape = [5, 5, 1]) => () => new Conv2d({ kind: 'conv2d', ...config } as never, shape, createRng(1));
    expect(make({ filters: 2, kernelSize: 7 })).toThrow('conv2d: kernelSize: a 7×7 kernel does not fit the input [5, 5, 1] with padding "valid"');
    expect(make({ filters: 2, kernelSize: 3, padding: 'full' })).toThrow('conv2d: padding: expected one of valid, same or [top, bottom, left, right] (integers ≥ 0), got "full"');
    expect(make({ filters: 0, kernelSize: 3 })).toThrow('conv2d: filters: expected a positive integer, got 0');
    expect(make({ filters: 2, kernelSize: 3 }, [25])).toThrow('conv2d: expected an input of shape [height, width, channels], got [25]');
  });
});
