import { createLayer } from '@nnkit/layers';
import { createRng } from '@nnkit/tensor';
import type { Tensor4D } from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, it } from 'vitest';
import { assertLayerParity } from './layer-parity.js';
import { distinctValues } from './random-values.js';
import { loadTensorFlow, type TensorFlow } from './tfjs-oracle.js';

// MaxPool2d and AvgPool2d (NHWC, 'valid': windows that do not fit are dropped) against
// tf.maxPool / tf.avgPool with 'valid' padding: output and dx (pooling has no parameters).
let tf: TensorFlow;
beforeAll(async () => {
  tf = await loadTensorFlow();
});

interface PoolCase {
  kind: 'maxPool2d' | 'avgPool2d';
  batch: number;
  height: number;
  width: number;
  channels: number;
  size: [number, number];
  /** Omitted: nnkit's default, the window size (tfjs is then given the size explicitly). */
  stride: [number, number] | null;
  seed: number;
}

function pair([height, width]: [number, number]): number | [number, number] {
  return height === width ? height : [height, width];
}

function checkPool(tfjs: TensorFlow, c: PoolCase, input?: Float32Array): void {
  const rng = createRng(c.seed);
  const spec = c.stride === null ? { kind: c.kind, size: pair(c.size) } : { kind: c.kind, size: pair(c.size), stride: pair(c.stride) };
  const stride = c.stride ?? c.size;
  const pool = c.kind === 'maxPool2d' ? tfjs.maxPool : tfjs.avgPool;
  const shape = [c.batch, c.height, c.width, c.channels];
  assertLayerParity(
    tfjs,
    {
      label: `${c.kind} input [${shape.join(', ')}] ${JSON.stringify(spec)}`,
      layer: createLayer(spec, [c.height, c.width, c.channels], rng.fork('init')),
      // Distinct values, so every window has one maximum (ties are tested separately below).
      input: { shape, data: input ?? distinctValues(rng, c.batch * c.height * c.width * c.channels) },
      params: {},
      oracle: (x) => pool(x as Tensor4D, c.size, stride, 'valid'),
    },
    rng,
  );
}

const poolCase = (kind: PoolCase['kind']): fc.Arbitrary<PoolCase> =>
  fc
    .record({
      batch: fc.integer({ min: 1, max: 3 }),
      channels: fc.integer({ min: 1, max: 3 }),
      size: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
      stride: fc.option(fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })), { nil: null }),
      extraHeight: fc.nat(6),
      extraWidth: fc.nat(6),
      seed: fc.integer({ min: 0, max: 1_000_000 }),
    })
    .map(({ extraHeight, extraWidth, ...rest }) => ({
      ...rest,
      kind,
      height: rest.size[0] + extraHeight,
      width: rest.size[1] + extraWidth,
    }));

describe('pooling matches TensorFlow.js', () => {
  it('maxPool2d forward and input gradient on random shapes, strides 1–3 (overlapping and gapped windows)', () => {
    fc.assert(
      fc.property(poolCase('maxPool2d'), (c) => checkPool(tf, c)),
      { seed: 7003, numRuns: 50 },
    );
  });

  it('avgPool2d forward and input gradient on random shapes, strides 1–3', () => {
    fc.assert(
      fc.property(poolCase('avgPool2d'), (c) => checkPool(tf, c)),
      { seed: 7004, numRuns: 50 },
    );
  });

  it('maxPool2d sends a tied gradient to the same element as tfjs (the first maximum in row-major window order)', () => {
    // Values from {0, 1, 2} make ties common; tfjs's CPU backward picks the first maximum
    // scanning the window row by row, and nnkit documents "the first one on ties".
    fc.assert(
      fc.property(poolCase('maxPool2d'), (c) => {
        const rng = createRng(c.seed + 1);
        const size = c.batch * c.height * c.width * c.channels;
        checkPool(tf, c, Float32Array.from({ length: size }, () => rng.int(3)));
      }),
      { seed: 7005, numRuns: 30 },
    );
  });
});
