import { createRng } from '@nnkit/tensor';
import { describe, expect, it } from 'vitest';
import { quadrantDataset, TinyModel } from '../test/tiny-model.js';
import { parseCheckpoint, serializeCheckpoint, type CheckpointState } from './checkpoint.js';
import { evaluate } from './evaluate.js';
import { TrainingDivergedError, type FitOptions } from './fit-options.js';
import { fit } from './fit.js';
import type { EpochRecord } from './history.js';

const train = quadrantDataset(300, 'train');
const test = quadrantDataset(100, 'test');
const shape = train.imageShape;

function bytesOf(model: TinyModel): Uint8Array[] {
  return [...model.params.map((p) => p.value.data), ...model.state.map((s) => s.value.data)].map((d) => new Uint8Array(d.slice().buffer));
}

const withoutSeconds = (history: EpochRecord[]) => history.map(({ seconds: _seconds, ...rest }) => rest);

// A run that exercises every random stream and every piece of state: dropout, augmentation,
// momentum buffers, a stateful schedule, early stopping with best-parameter snapshots.
const fullOptions: FitOptions = {
  epochs: 4,
  batchSize: 16,
  seed: 7,
  optimizer: { kind: 'momentum', learningRate: 0.5, l2: 1 },
  schedule: 'step:2,0.5',
  validationSplit: { count: 60, shuffle: true },
  earlyStopping: { nIterNoChange: 5 },
  augment: (images, rng) => {
    for (let i = 0; i < images.length; i++) if (rng.next() < 0.05) images[i] = 255 - images[i];
  },
};

describe('fit', () => {
  it('learns a linearly separable rule and reports every epoch', async () => {
    const model = new TinyModel(shape, 4, 1);
    const records: EpochRecord[] = [];
    const result = await fit(model, { train, test }, { epochs: 8, batchSize: 10, optimizer: { kind: 'sgd', learningRate: 1 }, onEpochEnd: (r) => void records.push(r) });
    expect(result.stopReason).toBe('completed');
    expect(result.history).toHaveLength(8);
    expect(records).toEqual(result.history);
    const last = result.history[7];
    expect(last.testAccuracy).toBeGreaterThan(0.8);
    expect(last.trainLoss).toBeLessThan(result.history[0].trainLoss);
    expect(last.learningRate).toBe(1);
    expect(evaluate(model, test).accuracy).toBe(last.testAccuracy);
  });

  it('is deterministic: same seed, same bytes; another seed, other bytes; data untouched', async () => {
    const before = train.images.slice();
    const run = async (seed: number) => {
      const model = new TinyModel(shape, 4, 3, 0.2);
      await fit(model, { train }, { ...fullOptions, seed });
      return bytesOf(model);
    };
    const first = await run(7);
    expect(await run(7)).toEqual(first);
    expect(await run(8)).not.toEqual(first);
    expect(train.images).toEqual(before);
  });

  for (const every of ['epoch', 7] as const) {
    it(`resumes from a checkpoint (every ${every}) to byte-identical parameters`, async () => {
      const reference = new TinyModel(shape, 4, 3, 0.2);
      const saved: string[] = [];
      const full = await fit(reference, { train, test }, { ...fullOptions, checkpoint: { every, save: (state) => void saved.push(serializeCheckpoint(state)) } });
      expect(saved.length).toBeGreaterThan(3);
      // Resume from a middle checkpoint into a model initialised differently.
      const middle = parseCheckpoint(saved[Math.floor(saved.length / 2)], 'middle.json');
      const resumedModel = new TinyModel(shape, 4, 99, 0.2);
      const resumed = await fit(resumedModel, { train, test }, { ...fullOptions, resume: middle });
      expect(bytesOf(resumedModel)).toEqual(bytesOf(reference));
      expect(withoutSeconds(resumed.history)).toEqual(withoutSeconds(full.history));
      expect(resumed.optimizer.getState()).toEqual(full.optimizer.getState());
    });
  }

  it('stops on an abort request with a checkpoint that resumes exactly', async () => {
    const reference = new TinyModel(shape, 4, 3, 0.2);
    await fit(reference, { train }, fullOptions);
    const signal = { aborted: false };
    let checkpoint: CheckpointState | undefined;
    const interrupted = new TinyModel(shape, 4, 3, 0.2);
    const stopped = await fit(interrupted, { train }, {
      ...fullOptions,
      signal,
      onBatchEnd: (info) => {
        if (info.epoch === 2 && info.batch === 5) signal.aborted = true;
      },
      checkpoint: { save: (state) => void (checkpoint = state) },
    });
    expect(stopped.stopReason).toBe('aborted');
    expect(stopped.history).toHaveLength(1);
    expect(checkpoint?.position).toEqual({ epoch: 1, batch: 5 });
    const resumed = new TinyModel(shape, 4, 0, 0.2);
    await fit(resumed, { train }, { ...fullOptions, resume: parseCheckpoint(serializeCheckpoint(checkpoint!)) });
    expect(bytesOf(resumed)).toEqual(bytesOf(reference));
  });

  it('refuses a checkpoint from another setup, naming the difference', async () => {
    const saved: CheckpointState[] = [];
    await fit(new TinyModel(shape, 4, 1), { train }, { epochs: 1, batchSize: 10, optimizer: { kind: 'sgd', learningRate: 0.1 }, checkpoint: { save: (s) => void saved.push(s) } });
    const options: FitOptions = { epochs: 2, batchSize: 10, optimizer: { kind: 'sgd', learningRate: 0.1 }, resume: saved[0] };
    await expect(fit(new TinyModel(shape, 4, 1), { train }, { ...options, batchSize: 20 })).rejects.toThrow('fit: resume: the checkpoint used batchSize 10, not 20');
    await expect(fit(new TinyModel(shape, 5, 1), { train }, options)).rejects.toThrow(/params\[0\] \(weights\) has shape \[16, 4\] in the checkpoint but \[16, 5\]/);
    await expect(fit(new TinyModel(shape, 4, 1), { train }, { ...options, optimizer: { kind: 'adam' } })).rejects.toThrow(/kind: expected "adam", got "sgd"/);
  });

  it('stops with an error naming epoch and batch when the loss diverges', async () => {
    const model = new TinyModel(shape, 4, 1);
    let calls = 0;
    const compute = model.loss.compute.bind(model.loss);
    Object.assign(model, { loss: { ...model.loss, compute: (...args: Parameters<typeof compute>) => (++calls === 33 ? NaN : compute(...args)) } });
    const error = await fit(model, { train }, { epochs: 3, batchSize: 10, optimizer: { kind: 'sgd', learningRate: 0.1 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingDivergedError);
    expect((error as Error).message).toBe(
      'fit: the loss became NaN at epoch 2, batch 3 of 30 (learning rate 0.1): training diverged; lower the learning rate or clip gradients',
    );
  });

  it('early-stops on training loss like sklearn: after n_iter_no_change + 1 stalled epochs', async () => {
    // η = 0: the loss never moves, so epochs 2, 3, 4 are stalls and 3 > nIterNoChange = 2.
    const result = await fit(new TinyModel(shape, 4, 1), { train }, {
      epochs: 20,
      batchSize: 50,
      optimizer: { kind: 'sgd', learningRate: 0 },
      earlyStopping: { nIterNoChange: 2 },
    });
    expect(result.stopReason).toBe('earlyStopping');
    expect(result.history).toHaveLength(4);
    expect(result.bestEpoch).toBe(1);
    expect(result.restoredBest).toBe(false);
  });

  it('early-stops on validation accuracy and puts the best epoch’s parameters back', async () => {
    const model = new TinyModel(shape, 4, 1);
    const snapshots: Float32Array[] = [];
    const result = await fit(model, { train, validation: test }, {
      epochs: 30,
      batchSize: 10,
      optimizer: { kind: 'sgd', learningRate: 3 },
      earlyStopping: { nIterNoChange: 1, tol: 0.02 },
      onEpochEnd: () => void snapshots.push(model.params[0].value.data.slice()),
    });
    expect(result.stopReason).toBe('earlyStopping');
    expect(result.restoredBest).toBe(true);
    const accuracies = result.history.map((r) => r.validationAccuracy as number);
    expect(result.bestEpoch).toBe(accuracies.indexOf(Math.max(...accuracies)) + 1);
    expect(model.params[0].value.data).toEqual(snapshots[result.bestEpoch! - 1]);
  });

  it('splits validation off the training set and fills in trainingSize for L2', async () => {
    const result = await fit(new TinyModel(shape, 4, 1), { train }, { epochs: 1, batchSize: 10, optimizer: { kind: 'sgd', learningRate: 0.1, l2: 5 }, validationSplit: 0.2 });
    expect(result.optimizer.config).toMatchObject({ l2: 5, trainingSize: 240 });
    expect(result.history[0].validationAccuracy).toBeGreaterThan(0);
    await expect(fit(new TinyModel(shape, 4, 1), { train }, { epochs: 1, batchSize: 10, optimizer: { kind: 'sgd', learningRate: 0.1 }, schedule: 'plateau:10' })).rejects.toThrow(
      'fit: schedule plateau watches validation accuracy: give data.validation or validationSplit',
    );
  });

  it('applies the schedule epoch by epoch and stops when it asks to', async () => {
    const result = await fit(new TinyModel(shape, 4, 1), { train, validation: test }, {
      epochs: 30,
      batchSize: 100,
      optimizer: { kind: 'sgd', learningRate: 1e-9 },
      schedule: { kind: 'plateau', patience: 1, stopDivisor: 4 },
    });
    // Accuracy does not move at η = 1e-9: halve after epoch 2, stop when halving again would reach η₀/4.
    expect(result.history.map((r) => r.learningRate)).toEqual([1e-9, 1e-9, 5e-10]);
    expect(result.stopReason).toBe('schedule');
  });

  it('lets warm-up and one-cycle schedules set η before every mini-batch', async () => {
    const rates: number[] = [];
    // 300 images in batches of 100: 3 steps an epoch, the warm-up over the first 3.
    await fit(new TinyModel(shape, 4, 1), { train }, { epochs: 2, batchSize: 100, optimizer: { kind: 'sgd', learningRate: 0.3 }, schedule: 'warmup:1', onBatchEnd: (info) => void rates.push(info.learningRate) });
    expect(rates.map((rate) => Number(rate.toFixed(12)))).toEqual([0.1, 0.2, 0.3, 0.3, 0.3, 0.3]);
    const cycle: number[] = [];
    const result = await fit(new TinyModel(shape, 4, 1), { train }, { epochs: 2, batchSize: 100, optimizer: { kind: 'sgd', learningRate: 0.3 }, schedule: 'onecycle', onBatchEnd: (info) => void cycle.push(info.learningRate) });
    expect(cycle[0]).toBeCloseTo(0.3 / 25, 12);
    // The peak falls at step 0.3·6 − 1 = 0.8, between steps: step 1 is just past it.
    expect(cycle[1]).toBeGreaterThan(0.29);
    expect(cycle[1]).toBeLessThan(0.3);
    expect(cycle[5]).toBeCloseTo(0.3 / 25 / 1e4, 12);
    expect(result.history.map((record) => record.learningRate)).toEqual([cycle[2], cycle[5]]);
  });

  it('throttles onBatchEnd and reports running means', async () => {
    const options: FitOptions = { epochs: 1, batchSize: 8, optimizer: { kind: 'sgd', learningRate: 0.1 } }; // 38 batches, the last one of 4 images
    // Every batch once, as the reference: batch losses, and the running accuracy after each.
    const every: { loss: number; accuracy: number; batchLoss: number }[] = [];
    await fit(new TinyModel(shape, 4, 1), { train }, { ...options, onBatchEnd: ({ loss, accuracy, batchLoss }) => void every.push({ loss, accuracy, batchLoss }) });
    const calls: number[] = [];
    const result = await fit(new TinyModel(shape, 4, 1), { train }, {
      ...options,
      batchEndEvery: 10,
      onBatchEnd: (info) => {
        calls.push(info.batch);
        expect(info.batches).toBe(38);
        // The running mean loss weighs every batch so far by its images (8, the last 4).
        let lossSum = 0;
        let seen = 0;
        for (let b = 0; b < info.batch; b++) {
          const rows = b === 37 ? 4 : 8;
          lossSum += every[b].batchLoss * rows;
          seen += rows;
        }
        expect(info.loss).toBeCloseTo(lossSum / seen, 12);
        expect(info.batchLoss).toBe(every[info.batch - 1].batchLoss);
        expect(info.accuracy).toBe(every[info.batch - 1].accuracy);
      },
    });
    expect(calls).toEqual([10, 20, 30, 38]);
    expect(result.history[0].trainLoss).toBe(every[37].loss);
    expect(result.history[0].trainAccuracy).toBe(every[37].accuracy);
    // The batch losses vary, so a mean that ignored all but the latest batch would fail above.
    expect(new Set(every.map((batch) => batch.batchLoss)).size).toBeGreaterThan(30);
  });

  it('reshuffles the training order every epoch from the seed, and never reorders the caller\'s data', async () => {
    // Image i carries its own index in its first two pixels, so the model sees which images each batch holds.
    const count = 40;
    const images = new Uint8Array(count * 16);
    for (let i = 0; i < count; i++) {
      images[i * 16] = i >> 8;
      images[i * 16 + 1] = i & 255;
    }
    const indexed = { images, labels: Uint8Array.from({ length: count }, (_, i) => i % 4), count, imageShape: [4, 4, 1], name: 'indexed' };
    const ordersOf = async (options: Partial<FitOptions>) => {
      const model = new TinyModel(shape, 4, 1);
      const seen: number[] = [];
      const forward = model.forward.bind(model);
      model.forward = (input, context) => {
        if (context.training) for (let r = 0; r < input.shape[0]; r++) seen.push(input.data[r * 16] * 256 + input.data[r * 16 + 1]);
        return forward(input, context);
      };
      await fit(model, { train: indexed }, { epochs: 3, batchSize: 6, seed: 11, normalization: { kind: 'raw' }, optimizer: { kind: 'sgd', learningRate: 0.1 }, ...options });
      const epochs = options.epochs ?? 3;
      const perEpoch = seen.length / epochs;
      return Array.from({ length: epochs }, (_, e) => seen.slice(e * perEpoch, (e + 1) * perEpoch));
    };
    const range = Array.from({ length: count }, (_, i) => i);
    const orders = await ordersOf({});
    // Every image once per epoch, a different order each epoch, none of them the dataset's order.
    for (const order of orders) expect([...order].sort((a, b) => a - b)).toEqual(range);
    expect(new Set(orders.map((order) => order.join(','))).size).toBe(3);
    for (const order of orders) expect(order).not.toEqual(range);
    // The orders are the seed's 'shuffle' stream, drawn epoch after epoch.
    const shuffle = createRng('11').fork('shuffle');
    for (const order of orders) {
      const expected = Int32Array.from(range);
      shuffle.shuffle(expected);
      expect(order).toEqual([...expected]);
    }
    expect(await ordersOf({})).toEqual(orders);
    expect(await ordersOf({ shuffle: false })).toEqual([range, range, range]);
    // A held-out validation split is never trained on.
    const split = await ordersOf({ validationSplit: { count: 10 }, epochs: 2 });
    for (const order of split) expect([...order].sort((a, b) => a - b)).toEqual(range.slice(0, 30));
    expect(indexed.images[16 * 5 + 1]).toBe(5);
  });

  it('adds the L2 penalty (λ/2n)·Σw² to the reported loss', async () => {
    // A learning rate so small that the weights do not move: the loss is the data loss plus the penalty.
    const model = new TinyModel(shape, 4, 1);
    const weights = model.params[0].value.data.slice();
    const dataLoss = evaluate(model, train).loss;
    const result = await fit(model, { train }, { epochs: 1, batchSize: 300, optimizer: { kind: 'sgd', learningRate: 1e-12, l2: 30 } });
    let squares = 0;
    for (const w of weights) squares += w * w;
    const penalty = (30 / (2 * train.count)) * squares; // the bias is not regularized
    expect(penalty).toBeGreaterThan(1e-3);
    expect(result.history[0].trainLoss).toBeCloseTo(dataLoss + penalty, 5);
  });

  it("draws one thread's dropout masks from the seed's 'dropout' stream, continuing from batch to batch", async () => {
    const model = new TinyModel(shape, 4, 1, 0.3);
    const states: unknown[] = [];
    const forward = model.forward.bind(model);
    model.forward = (input, context) => {
      if (context.training) states.push(context.rng.getState());
      return forward(input, context);
    };
    await fit(model, { train }, { epochs: 1, batchSize: 100, seed: 9, optimizer: { kind: 'sgd', learningRate: 0.1 } });
    const stream = createRng('9').fork('dropout');
    for (const state of states) {
      expect(state).toEqual(stream.getState());
      for (let i = 0; i < 100 * 16; i++) stream.next(); // the masks of one batch
    }
    expect(states).toHaveLength(3);
  });

  it('clips the global gradient norm before each step', async () => {
    const model = new TinyModel(shape, 4, 1);
    const before = model.params.map((p) => p.value.data.slice());
    await fit(model, { train }, { epochs: 1, batchSize: 300, optimizer: { kind: 'sgd', learningRate: 1 }, clipGradientNorm: 1e-3 });
    let squares = 0;
    model.params.forEach((p, i) => p.value.data.forEach((v, j) => (squares += (v - before[i][j]) ** 2)));
    expect(Math.sqrt(squares)).toBeLessThanOrEqual(1e-3 * 1.0001);
    expect(Math.sqrt(squares)).toBeGreaterThan(1e-4);
  });

  it('rejects bad options and data in one line naming them', async () => {
    const options: FitOptions = { epochs: 1, batchSize: 10, optimizer: { kind: 'sgd', learningRate: 0.1 } };
    await expect(fit(new TinyModel([28, 28, 1], 10, 1), { train }, options)).rejects.toThrow(
      'fit: data.train: quadrants:train has images of [4, 4, 1] but the model takes [28, 28, 1]',
    );
    await expect(fit(new TinyModel(shape, 3, 1), { train }, options)).rejects.toThrow(/image \d+ has label 3, but the model has 3 outputs/);
    await expect(fit(new TinyModel(shape, 4, 1), { train }, { ...options, batchSize: 0 })).rejects.toThrow('fit: batchSize must be a positive integer, got 0');
    await expect(fit(new TinyModel(shape, 4, 1), { train: { ...train, unlabelled: true } }, options)).rejects.toThrow(/has no labels/);
    await expect(fit(new TinyModel(shape, 4, 1), { train }, { ...options, validateEvery: 1.5 })).rejects.toThrow('fit: validateEvery must be a positive integer, got 1.5');
    // What decides after every epoch from its validation score needs one every epoch.
    const validated = { ...options, validationSplit: 0.2, validateEvery: 2 };
    await expect(fit(new TinyModel(shape, 4, 1), { train }, { ...validated, schedule: 'plateau:10' })).rejects.toThrow(
      'fit: schedule plateau watches validation accuracy after every epoch: validateEvery must be 1, got 2',
    );
    await expect(fit(new TinyModel(shape, 4, 1), { train }, { ...validated, earlyStopping: true })).rejects.toThrow(
      'fit: earlyStopping watches validation accuracy after every epoch: validateEvery must be 1, got 2',
    );
    // Early stopping on the training loss does not look at validation.
    const result = await fit(new TinyModel(shape, 4, 1), { train }, { ...validated, epochs: 3, earlyStopping: { monitor: 'trainLoss', nIterNoChange: 5 } });
    expect(result.history.map((record) => record.validationAccuracy !== undefined)).toEqual([false, true, true]);
  });
});
