import { Sequential, type ModelDefinition } from '@nnkit/layers';
import { createRng } from '@nnkit/tensor';
import { describe, expect, it } from 'vitest';
import { quadrantDataset } from '../test/tiny-model.js';
import { testWorkers } from '../test/worker-bundle.js';
import type { FitOptions } from './fit-options.js';
import { fit } from './fit.js';

const train = quadrantDataset(150, 'fine-tune-train');

// A batch norm among the frozen layers: its statistics must stay too.
const definition: ModelDefinition = {
  inputShape: [4, 4, 1],
  layers: [{ kind: 'flatten' }, { kind: 'dense', units: 12, init: 'he' }, { kind: 'batchNorm' }, { kind: 'relu' }, { kind: 'dense', units: 4 }],
  loss: { kind: 'softmaxCrossEntropy' },
};

const options: FitOptions = { epochs: 2, batchSize: 15, seed: 3, optimizer: { kind: 'adam', learningRate: 0.01, l2: 0.1 }, clipGradientNorm: 1 };

/** Every param's and state tensor's bytes, per layer. */
const layerBytes = (model: Sequential) =>
  model.layers.map((layer) => [...layer.params.map((param) => param.value.data), ...(layer.state ?? []).map((entry) => entry.value.data)].map((data) => Buffer.from(data.slice().buffer).toString('base64')));

async function fineTuned(threads: number, start: Sequential): Promise<Sequential> {
  const model = new Sequential(definition, createRng(9));
  await fit(model, { train }, { ...options, initFrom: start, freeze: ['dense_1', 2], threads, ...(threads > 1 ? { parallel: await testWorkers() } : {}) });
  return model;
}

describe('fit: initFrom and freeze', () => {
  it('starts from the given model, keeps frozen layers (and a frozen batch norm’s statistics) to the byte, trains the rest', async () => {
    const start = new Sequential(definition, createRng(1));
    await fit(start, { train }, options);
    for (const threads of [1, 2]) {
      const model = await fineTuned(threads, start);
      const [before, after] = [layerBytes(start), layerBytes(model)];
      expect(after[1]).toEqual(before[1]); // dense_1
      expect(after[2]).toEqual(before[2]); // batchNorm_1: gamma, beta and running statistics
      expect(after[4]).not.toEqual(before[4]); // dense_2 trained on from the start's weights
      expect(model.frozenLayers()).toEqual([1, 2]);
    }
  });

  it('the same seed gives the same bytes twice, with one thread and with two', async () => {
    const start = new Sequential(definition, createRng(1));
    for (const threads of [1, 2]) {
      const first = await fineTuned(threads, start);
      const second = await fineTuned(threads, start);
      expect(layerBytes(second)).toEqual(layerBytes(first));
    }
  });

  it('needs a Sequential for either option', async () => {
    const model = new Sequential(definition, createRng(1));
    const bare = { inputShape: model.inputShape, outputShape: model.outputShape, params: model.params, loss: model.loss, forward: model.forward.bind(model), backward: model.backward.bind(model) };
    await expect(fit(bare, { train }, { ...options, freeze: 1 })).rejects.toThrow('fit: initFrom and freeze need a Sequential model (@nnkit/layers)');
  });
});
