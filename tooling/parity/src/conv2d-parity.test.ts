import { createLayer } from '@nnkit/layers';
import { createRng } from '@nnkit/tensor';
import type { Tensor4D } from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertLayerParity } from './layer-parity.js';
import { uniformValues } from './random-values.js';
import { loadTensorFlow, type TensorFlow } from './tfjs-oracle.js';

// Conv2d (NHWC input, HWIO filters) against tf.conv2d + bias: output, dx, dW, db.
let tf: TensorFlow;
beforeAll(async () => {
  tf = await loadTensorFlow();
});

type Pads = [number, number, number, number];
type Padding = 'valid' | 'same' | Pads;

interface ConvCase {
  batch: number;
  height: number;
  width: number;
  channels: number;
  filters: number;
  kernel: [number, number];
  stride: [number, number];
  padding: Padding;
  seed: number;
  /** Training pass (the default) or inference, which unfolds large batches in chunks. */
  training?: boolean;
}

/** nnkit's spec form: a single number when both sides agree, else [height, width]. */
function pair([height, width]: [number, number]): number | [number, number] {
  return height === width ? height : [height, width];
}

/** tfjs's padding argument: 'valid', 'same', or explicit NHWC pairs [[0,0],[top,bottom],[left,right],[0,0]]. */
function tfjsPadding(padding: Padding): 'valid' | 'same' | [[number, number], [number, number], [number, number], [number, number]] {
  if (typeof padding === 'string') return padding;
  const [top, bottom, left, right] = padding;
  return [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ];
}

function checkConv(tfjs: TensorFlow, c: ConvCase): void {
  const rng = createRng(c.seed);
  const [kh, kw] = c.kernel;
  const spec = { kind: 'conv2d', filters: c.filters, kernelSize: pair(c.kernel), stride: pair(c.stride), padding: c.padding } as const;
  const layer = createLayer(spec, [c.height, c.width, c.channels], rng.fork('init'));
  const inputSize = c.batch * c.height * c.width * c.channels;
  const filterSize = kh * kw * c.channels * c.filters;
  assertLayerParity(
    tfjs,
    {
      label: `conv2d input [${c.batch}, ${c.height}, ${c.width}, ${c.channels}] ${JSON.stringify(spec)}`,
      layer,
      input: { shape: [c.batch, c.height, c.width, c.channels], data: uniformValues(rng, inputSize) },
      params: {
        weights: { shape: [kh, kw, c.channels, c.filters], data: uniformValues(rng, filterSize) },
        bias: { shape: [c.filters], data: uniformValues(rng, c.filters) },
      },
      oracle: (x, weights, bias) => tfjs.add(tfjs.conv2d(x as Tensor4D, weights as Tensor4D, c.stride, tfjsPadding(c.padding)), bias),
      training: c.training ?? true,
    },
    rng,
  );
}

const size = fc.integer({ min: 1, max: 4 });
const convCase: fc.Arbitrary<ConvCase> = fc
  .record({
    batch: fc.integer({ min: 1, max: 3 }),
    channels: fc.integer({ min: 1, max: 3 }),
    filters: fc.integer({ min: 1, max: 4 }),
    kernel: fc.tuple(size, size),
    stride: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
    padding: fc.oneof(
      fc.constant('valid' as const),
      fc.constant('same' as const),
      fc.tuple(fc.nat(2), fc.nat(2), fc.nat(2), fc.nat(2)),
    ) as fc.Arbitrary<Padding>,
    extraHeight: fc.nat(6),
    extraWidth: fc.nat(6),
    seed: fc.integer({ min: 0, max: 1_000_000 }),
  })
  .map(({ extraHeight, extraWidth, ...rest }) => {
    // The smallest input the kernel fits (with explicit padding counted), plus a random margin.
    const pads = Array.isArray(rest.padding) ? rest.padding : [0, 0, 0, 0];
    const height = Math.max(1, rest.kernel[0] - pads[0] - pads[1]) + extraHeight;
    const width = Math.max(1, rest.kernel[1] - pads[2] - pads[3]) + extraWidth;
    return { ...rest, height, width };
  });

describe('conv2d matches TensorFlow.js', () => {
  it('stores filters as HWIO [kernelHeight, kernelWidth, inChannels, filters], like tf.conv2d', () => {
    const layer = createLayer({ kind: 'conv2d', filters: 4, kernelSize: [3, 2] }, [6, 5, 2], createRng(1));
    expect(layer.params.map((param) => [param.name, param.value.shape])).toEqual([
      ['weights', [3, 2, 2, 4]],
      ['bias', [4]],
    ]);
  });

  it('forward and gradients on random shapes, strides 1–3, valid, same and explicit padding', () => {
    fc.assert(
      fc.property(convCase, (c) => checkConv(tf, c)),
      { seed: 7002, numRuns: 60 },
    );
  });

  it("'same' with even kernels and stride 2 pads like tfjs (the extra row and column at the bottom/right)", () => {
    // Fixed cases where top/left and bottom/right placement give different results.
    const base = { batch: 2, channels: 2, filters: 3, seed: 11 };
    checkConv(tf, { ...base, height: 4, width: 4, kernel: [2, 2], stride: [1, 1], padding: 'same' });
    checkConv(tf, { ...base, height: 7, width: 6, kernel: [4, 2], stride: [2, 2], padding: 'same' });
    checkConv(tf, { ...base, height: 8, width: 5, kernel: [3, 4], stride: [2, 3], padding: 'same' });
  });

  it('inference on a batch large enough to unfold in chunks, then backward', { timeout: 30_000 }, () => {
    // 16×16×4 input, 5×5 kernel, 'same': 256 rows × 100 columns per image, so 100 images exceed
    // the layer's 2²¹-float inference im2col budget and are unfolded in two chunks. One filter
    // keeps tfjs's slow CPU convolution near a second.
    checkConv(tf, { batch: 100, height: 16, width: 16, channels: 4, filters: 1, kernel: [5, 5], stride: [1, 1], padding: 'same', seed: 12, training: false });
  });
});
