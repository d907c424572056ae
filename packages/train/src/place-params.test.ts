import { Sequential } from '@nnkit/layers';
import { createRng, jsKernels, type Kernels } from '@nnkit/tensor';
import { describe, expect, it } from 'vitest';
import { quadrantDataset } from '../test/tiny-model.js';
import { fit } from './fit.js';
import { placeParams } from './place-params.js';

const train = quadrantDataset(200, 'train');
const definition = {
  inputShape: train.imageShape,
  layers: [{ kind: 'flatten' as const }, { kind: 'dense' as const, units: 24 }, { kind: 'relu' as const }, { kind: 'dropout' as const, rate: 0.2 }, { kind: 'dense' as const, units: 4 }],
  loss: { kind: 'softmaxCrossEntropy' as const },
};

function bytes(model: Sequential): number[][] {
  return model.params.map((param) => Array.from(new Uint8Array(param.value.data.slice().buffer)));
}

describe('placeParams', () => {
  it('moves values and gradients into the kernels’ memory once, keeping the numbers', () => {
    const pool: Float32Array[] = [];
    const kernels = { allocate: (length: number) => (pool[pool.length] = new Float32Array(length)) } as unknown as Kernels;
    const model = new Sequential(definition, createRng(1));
    const before = bytes(model);
    placeParams(model.params, kernels);
    expect(bytes(model)).toEqual(before);
    expect(pool).toHaveLength(2 * model.params.length);
    for (const param of model.params) {
      expect(pool).toContain(param.value.data);
      expect(pool).toContain(param.grad.data);
    }
    placeParams(model.params, kernels);
    expect(pool).toHaveLength(2 * model.params.length);
  });

  // A backend that owns its memory (the wasm kernels do) hands out arrays from one buffer.
  it.each([{ kind: 'momentum', learningRate: 0.1 }, { kind: 'sgd', learningRate: 0.03 }] as const)(
    'fit trains to the same bytes with the weights in the kernels’ memory or outside it (%j)',
    async (optimizer) => {
      const memory = new ArrayBuffer(1 << 20);
      let used = 0;
      const owning: Kernels = {
        ...jsKernels,
        name: 'owning',
        allocate: (length: number) => {
          const array = new Float32Array(memory, used, length);
          used += 4 * length;
          return array;
        },
      };
      const runs = [];
      for (const kernels of [owning, jsKernels]) {
        const model = new Sequential(definition, createRng(3));
        await fit(model, { train }, { epochs: 2, batchSize: 10, seed: 5, kernels, optimizer });
        const resident = model.params.every((param) => param.value.data.buffer === memory && param.grad.data.buffer === memory);
        expect(resident).toBe(kernels === owning);
        runs.push(bytes(model));
      }
      expect(runs[0]).toEqual(runs[1]);
    },
  );
});
