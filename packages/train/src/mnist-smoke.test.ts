import { sliceDataset } from '@nnkit/datasets';
import { loadMnist } from '@nnkit/datasets/node';
import { Sequential } from '@nnkit/layers';
import { createRng } from '@nnkit/tensor';
import { describe, expect, it } from 'vitest';
import { parseCheckpoint, serializeCheckpoint } from './checkpoint.js';
import { evaluate } from './evaluate.js';
import { fit } from './fit.js';
import { createPresetModel, getPreset, presetFitOptions } from './presets.js';

// The real MNIST files (@nnkit/mnist), cut to a slice that trains in a few seconds.
const mnist = loadMnist();
const train = sliceDataset(mnist.train, 0, 2000);
const test = sliceDataset(mnist.test, 0, 500);

const paramBytes = (model: Sequential) => model.params.map((param) => new Uint8Array(param.value.data.slice().buffer));

describe('end to end on MNIST', () => {
  it('the smoke preset reaches its accuracy floor on 2000 / 500 images', async () => {
    const preset = getPreset('smoke');
    const model = createPresetModel(preset, 1);
    const result = await fit(model, { train, test }, { ...presetFitOptions(preset), seed: 1 });
    const accuracy = evaluate(model, test).accuracy;
    // Measured 0.89 (seeds 1 and 2); the floor leaves room for harmless numeric changes.
    expect(accuracy).toBeGreaterThanOrEqual(0.85);
    expect(result.history.at(-1)?.testAccuracy).toBe(accuracy);
    expect(result.history.at(-1)!.trainLoss).toBeLessThan(result.history[0].trainLoss);
  });

  const dropoutModel = () =>
    new Sequential(
      {
        inputShape: [28, 28, 1],
        layers: [{ kind: 'flatten' }, { kind: 'dense', units: 16, init: 'he' }, { kind: 'relu' }, { kind: 'dropout', rate: 0.2 }, { kind: 'dense', units: 10 }],
        loss: { kind: 'softmaxCrossEntropy' },
      },
      createRng(5).fork('init'),
    );
  const small = sliceDataset(mnist.train, 0, 600);
  const options = { epochs: 2, batchSize: 20, seed: 3, optimizer: { kind: 'nesterov', learningRate: 0.05, l2: 1 } as const };

  it('two runs with one seed give identical parameters', async () => {
    const first = dropoutModel();
    const second = dropoutModel();
    await fit(first, { train: small }, options);
    await fit(second, { train: small }, options);
    expect(paramBytes(second)).toEqual(paramBytes(first));
  });

  it('a run resumed from a mid-epoch checkpoint ends with byte-identical parameters', async () => {
    const uninterrupted = dropoutModel();
    const saved: string[] = [];
    await fit(uninterrupted, { train: small }, { ...options, checkpoint: { every: 13, save: (state) => void saved.push(serializeCheckpoint(state)) } });
    const checkpoint = parseCheckpoint(saved[1], 'checkpoint.json'); // epoch 1, batch 26 of 30
    expect(checkpoint.position).toEqual({ epoch: 0, batch: 26 });
    const resumed = new Sequential(dropoutModel().definition, createRng('other').fork('init'));
    await fit(resumed, { train: small }, { ...options, resume: checkpoint });
    expect(paramBytes(resumed)).toEqual(paramBytes(uninterrupted));
  });
});
