import { createRng } from '@nnkit/tensor';
import { describe, expect, it } from 'vitest';
import { quadrantDataset, TinyModel } from '../test/tiny-model.js';
import { parseCheckpoint, serializeCheckpoint } from './checkpoint.js';
import { evaluate } from './evaluate.js';
import type { FitOptions } from './fit-options.js';
import { fit } from './fit.js';
import { parseAveraging, WeightAveraging } from './weight-averaging.js';

const train = quadrantDataset(300, 'train');
const test = quadrantDataset(100, 'test');
const shape = train.imageShape;

describe('WeightAveraging', () => {
  it('EMA: the first update copies, then avg ← d·avg + (1 − d)·w, d = min(decay, (1 + n)/(10 + n)) (hand-computed)', () => {
    const tensor = { name: 'w', value: { shape: [2], data: Float32Array.from([1, 2]) } };
    const ema = new WeightAveraging({ kind: 'ema', decay: 0.1, startEpoch: 2 }, [tensor], 3);
    ema.afterStep(0); // epoch 1: before startEpoch 2, ignored
    expect(ema.updates).toBe(0);
    ema.afterStep(1); // copies [1, 2]
    tensor.value.data.set([5, -2]);
    ema.afterStep(1); // n = 1: d = min(0.1, 2/11) = 0.1: 0.1·[1, 2] + 0.9·[5, −2] = [4.6, −1.6]
    ema.afterEpoch(1); // SWA's hook: nothing for an EMA
    expect(ema.apply()).toBe(true);
    expect(tensor.value.data[0]).toBeCloseTo(4.6, 6);
    expect(tensor.value.data[1]).toBeCloseTo(-1.6, 6);
    // Early on the warm-up caps d: with decay 0.999, n = 2 gives d = 3/12.
    const early = { name: 'w', value: { shape: [1], data: Float32Array.from([0]) } };
    const warm = new WeightAveraging({ kind: 'ema', decay: 0.999 }, [early], 1);
    warm.afterStep(0); // copies 0
    early.value.data[0] = 11;
    warm.afterStep(0); // d = 2/11: 11·9/11 = 9
    early.value.data[0] = 21;
    warm.afterStep(0); // d = 3/12: 0.25·9 + 0.75·21 = 18
    warm.apply();
    expect(early.value.data[0]).toBeCloseTo(18, 5);
  });

  it('SWA: the plain mean of the weights at the end of the last K epochs', () => {
    const tensor = { name: 'w', value: { shape: [1], data: Float32Array.from([0]) } };
    const swa = new WeightAveraging({ kind: 'swa', epochs: 3 }, [tensor], 5);
    const ends = [10, 20, 1, 2, 6];
    ends.forEach((value, epoch) => {
      tensor.value.data[0] = value;
      swa.afterStep(epoch);
      swa.afterEpoch(epoch);
    });
    swa.apply();
    expect(tensor.value.data[0]).toBeCloseTo(3, 6); // (1 + 2 + 6)/3
  });

  it('applies nothing before its first update', () => {
    const tensor = { name: 'w', value: { shape: [1], data: Float32Array.from([7]) } };
    expect(new WeightAveraging({ kind: 'swa', epochs: 1 }, [tensor], 2).apply()).toBe(false);
    expect(tensor.value.data[0]).toBe(7);
  });

  it('reads the text forms and refuses bad ones in one line', () => {
    expect(parseAveraging('ema:0.999')).toEqual({ kind: 'ema', decay: 0.999 });
    expect(parseAveraging('ema:0.99,3')).toEqual({ kind: 'ema', decay: 0.99, startEpoch: 3 });
    expect(parseAveraging('swa:5')).toEqual({ kind: 'swa', epochs: 5 });
    expect(() => parseAveraging('swa:5,2')).toThrow('averaging "swa:5,2": expected ema:<decay>');
    expect(() => parseAveraging('mean:3')).toThrow('averaging "mean:3": expected');
    expect(() => new WeightAveraging({ kind: 'ema', decay: 1 }, [], 3)).toThrow('fit: averaging.decay must be a number in (0, 1), got 1');
    expect(() => new WeightAveraging({ kind: 'swa', epochs: 4 }, [], 3)).toThrow('averaging.epochs must be an integer in [1, 3]');
  });
});

describe('fit with weight averaging', () => {
  const options: FitOptions = { epochs: 4, batchSize: 16, seed: 3, optimizer: { kind: 'momentum', learningRate: 0.5 } };

  it('ends with the SWA mean of the last epochs in the model, scored as such', async () => {
    const model = new TinyModel(shape, 4, 1);
    const ends: Float32Array[] = [];
    const result = await fit(model, { train, test }, { ...options, averaging: { kind: 'swa', epochs: 2 }, onEpochEnd: () => void ends.push(model.params[0].value.data.slice()) });
    const weights = model.params[0].value.data;
    for (let i = 0; i < weights.length; i++) expect(weights[i]).toBeCloseTo((ends[2][i] + ends[3][i]) / 2, 6);
    expect(result.averaged?.testAccuracy).toBe(evaluate(model, test).accuracy);
    expect(result.history[3].testAccuracy).toBeDefined();
  });

  it('resumes an EMA run from a checkpoint to the same bytes', async () => {
    const averaging = { kind: 'ema', decay: 0.9 } as const;
    const reference = new TinyModel(shape, 4, 1);
    const saved: string[] = [];
    await fit(reference, { train }, { ...options, averaging, checkpoint: { every: 5, save: (state) => void saved.push(serializeCheckpoint(state)) } });
    const middle = parseCheckpoint(saved[Math.floor(saved.length / 2)]);
    expect(middle.averaging?.count).toBeGreaterThan(0);
    const resumed = new TinyModel(shape, 4, 2);
    await fit(resumed, { train }, { ...options, averaging, resume: middle });
    expect([...resumed.params[0].value.data]).toEqual([...reference.params[0].value.data]);
    // The average differs from the last weights of the same run without averaging.
    const plain = new TinyModel(shape, 4, 1);
    await fit(plain, { train }, options);
    expect([...plain.params[0].value.data]).not.toEqual([...reference.params[0].value.data]);
  });

  it('refuses averaging together with early stopping', async () => {
    await expect(fit(new TinyModel(shape, 4, createRng(1).seed), { train }, { ...options, averaging: { kind: 'swa', epochs: 1 }, earlyStopping: true })).rejects.toThrow(
      'fit: give either averaging or earlyStopping, not both',
    );
  });
});
