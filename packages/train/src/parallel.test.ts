import { Sequential, type ModelDefinition } from '@nnkit/layers';
import { createRng } from '@nnkit/tensor';
import { describe, expect, it } from 'vitest';
import { quadrantDataset } from '../test/tiny-model.js';
import { parseCheckpoint, serializeCheckpoint } from './checkpoint.js';
import { evaluate } from './evaluate.js';
import { evaluateParallel, ParallelEvaluator } from './parallel/evaluate-parallel.js';
import type { FitOptions } from './fit-options.js';
import { fit } from './fit.js';
import type { WorkerEndpoint, WorkerTransport } from './parallel/protocol.js';
import { testWorkers } from '../test/worker-bundle.js';

const train = quadrantDataset(290, 'parallel-train');
const test = quadrantDataset(100, 'parallel-test');

const plain: ModelDefinition = {
  inputShape: [4, 4, 1],
  layers: [{ kind: 'flatten' }, { kind: 'dense', units: 12, init: 'he' }, { kind: 'relu' }, { kind: 'dense', units: 4 }],
  loss: { kind: 'softmaxCrossEntropy' },
};

// Every stochastic and stateful piece: dropout masks, batch-norm statistics, augmentation,
// momentum, a schedule, a shuffled validation split.
const noisy: ModelDefinition = {
  inputShape: [4, 4, 1],
  layers: [
    { kind: 'flatten' },
    { kind: 'dense', units: 12, init: 'he' },
    { kind: 'batchNorm' },
    { kind: 'relu' },
    { kind: 'dropout', rate: 0.25 },
    { kind: 'dense', units: 4 },
  ],
  loss: { kind: 'softmaxCrossEntropy' },
};

const noisyOptions: FitOptions = {
  epochs: 3,
  batchSize: 15,
  seed: 5,
  optimizer: { kind: 'momentum', learningRate: 0.1, l2: 0.5 },
  schedule: 'step:2,0.5',
  validationSplit: { count: 40, shuffle: true },
  augment: (images, rng) => {
    for (let i = 0; i < images.length; i++) if (rng.next() < 0.05) images[i] = 255 - images[i];
  },
};

function bytesOf(model: Sequential): Uint8Array[] {
  return [...model.params.map((p) => p.value.data), ...model.state.map((s) => s.value.data)].map((d) => new Uint8Array(d.slice().buffer));
}

/** nodeWorkers, recording every worker it starts and whether it was terminated. */
async function recordingWorkers(prelude?: string): Promise<WorkerTransport & { endpoints: { terminated: boolean }[] }> {
  const inner = await testWorkers(prelude);
  const endpoints: { terminated: boolean }[] = [];
  return {
    name: 'recording',
    endpoints,
    spawn(index): WorkerEndpoint {
      const endpoint = inner.spawn(index);
      const record = { terminated: false };
      endpoints.push(record);
      return {
        ...endpoint,
        terminate() {
          record.terminated = true;
          return endpoint.terminate();
        },
      };
    },
  };
}

describe('fit with threads', () => {
  it('agrees with one thread up to float rounding (T = 2 and 3, a partial last batch, parallel scoring)', async () => {
    const run = async (threads: number) => {
      const model = new Sequential(plain, createRng(1));
      const result = await fit(model, { train, test }, {
        epochs: 2,
        batchSize: 16, // 290 = 18·16 + 2: the last batch has fewer rows than some thread counts' shares
        optimizer: { kind: 'momentum', learningRate: 0.2 },
        validationSplit: 0.2,
        threads,
        ...(threads > 1 ? { parallel: await testWorkers() } : {}),
      });
      return { params: model.params.map((p) => p.value.data), history: result.history };
    };
    const one = await run(1);
    for (const threads of [2, 3]) {
      const many = await run(threads);
      // 36 steps of momentum SGD; the only difference is the order of float32 sums
      // (each share's gradient is added to the others' instead of one matmul over the batch).
      many.params.forEach((values, i) => {
        for (let j = 0; j < values.length; j++) expect(Math.abs(values[j] - one.params[i][j])).toBeLessThan(1e-5 * (1 + Math.abs(one.params[i][j])));
      });
      many.history.forEach((record, e) => {
        const reference = one.history[e];
        expect(record.trainLoss).toBeCloseTo(reference.trainLoss, 5);
        expect(record.validationLoss!).toBeCloseTo(reference.validationLoss!, 5);
        expect(record.testLoss!).toBeCloseTo(reference.testLoss!, 5);
        expect(record.testAccuracy).toBe(reference.testAccuracy);
      });
    }
  });

  it('gives the same bytes twice with dropout, batch norm and augmentation, and resumes exactly', async () => {
    const reference = new Sequential(noisy, createRng(3));
    const saved: string[] = [];
    const full = await fit(reference, { train, test }, {
      ...noisyOptions,
      threads: 2,
      parallel: await testWorkers(),
      checkpoint: { every: 7, save: (state) => void saved.push(serializeCheckpoint(state)) },
    });
    const again = new Sequential(noisy, createRng(3));
    await fit(again, { train, test }, { ...noisyOptions, threads: 2, parallel: await testWorkers() });
    expect(bytesOf(again)).toEqual(bytesOf(reference));

    const single = new Sequential(noisy, createRng(3));
    await fit(single, { train, test }, noisyOptions);
    expect(bytesOf(single)).not.toEqual(bytesOf(reference)); // other masks, per-share statistics

    // Resume in the middle of the second epoch.
    const middle = saved.map((text) => parseCheckpoint(text, 'middle.json')).find((state) => state.position.epoch === 1 && state.position.batch > 0)!;
    expect(middle.position.batch).toBeGreaterThan(0);
    const resumed = new Sequential(noisy, createRng(99));
    const rest = await fit(resumed, { train, test }, { ...noisyOptions, threads: 2, parallel: await testWorkers(), resume: middle });
    expect(bytesOf(resumed)).toEqual(bytesOf(reference));
    expect(rest.history.map(({ seconds: _s, ...r }) => r)).toEqual(full.history.map(({ seconds: _s, ...r }) => r));

    // The checkpoint records its thread count; resuming on another would not continue exactly.
    expect(middle.threads).toBe(2);
    await expect(fit(new Sequential(noisy, createRng(99)), { train, test }, { ...noisyOptions, resume: middle })).rejects.toThrow(
      'fit: resume: the checkpoint split its batches over 2 thread(s), this run over 1',
    );
  });

  it('without the per-epoch test scores (evaluateTest: false) or with validation every other epoch (validateEvery: 2), trains to the same bytes on one and two threads', async () => {
    // Scoring copies the weights to the workers and runs them in inference mode: it must not
    // draw a random number, move a batch-norm statistic or leave anything behind in a worker.
    for (const threads of [1, 2]) {
      const run = async (options: Pick<FitOptions, 'evaluateTest' | 'validateEvery'>) => {
        const model = new Sequential(noisy, createRng(3));
        const result = await fit(model, { train, test }, { ...noisyOptions, averaging: { kind: 'ema', decay: 0.9 }, ...options, ...(threads > 1 ? { threads, parallel: await testWorkers() } : {}) });
        return { bytes: bytesOf(model), result };
      };
      const scored = await run({ evaluateTest: true });
      const unscored = await run({ evaluateTest: false });
      expect(unscored.bytes).toEqual(scored.bytes);
      expect(scored.result.history.every((record) => record.testAccuracy !== undefined && record.validationAccuracy !== undefined)).toBe(true);
      expect(unscored.result.history.some((record) => 'testAccuracy' in record || 'testLoss' in record)).toBe(false);
      const without = (records: readonly object[], prefix: string) => records.map((record) => Object.fromEntries(Object.entries(record).filter(([key]) => key !== 'seconds' && !key.startsWith(prefix))));
      expect(without(unscored.result.history, 'test')).toEqual(without(scored.result.history, 'test'));
      expect(unscored.result.averaged).toEqual({ validationLoss: scored.result.averaged!.validationLoss, validationAccuracy: scored.result.averaged!.validationAccuracy });

      // Three epochs, validation after the second and the last; the averaged weights scored too.
      const sparse = await run({ evaluateTest: true, validateEvery: 2 });
      expect(sparse.bytes).toEqual(scored.bytes);
      expect(sparse.result.history.map((record) => 'validationAccuracy' in record && 'validationLoss' in record)).toEqual([false, true, true]);
      expect(sparse.result.history.filter((record) => record.epoch !== 1)).toEqual(scored.result.history.slice(1).map((record, i) => ({ ...record, seconds: sparse.result.history[i + 1].seconds })));
      expect(without(sparse.result.history.slice(0, 1), 'validation')).toEqual(without(scored.result.history.slice(0, 1), 'validation'));
      expect(sparse.result.averaged).toEqual(scored.result.averaged);
    }
  });

  it("combines the threads' batch-norm statistics weighted by their rows: the running mean is the batch's", async () => {
    // One step on 15 images: shares of 7 and 8 rows. The running mean moves toward the mean of
    // the batch, which is the rows-weighted mean of the shares' means (variances do not combine so).
    const definition: ModelDefinition = {
      inputShape: [4, 4, 1],
      layers: [{ kind: 'flatten' }, { kind: 'dense', units: 6, init: 'he' }, { kind: 'batchNorm' }, { kind: 'relu' }, { kind: 'dense', units: 4 }],
      loss: { kind: 'softmaxCrossEntropy' },
    };
    const runningMean = async (threads: number) => {
      const model = new Sequential(definition, createRng(8));
      await fit(model, { train }, { epochs: 1, batchSize: 15, optimizer: { kind: 'sgd', learningRate: 0.1 }, validationSplit: { count: train.count - 15 }, threads, ...(threads > 1 ? { parallel: await testWorkers() } : {}) });
      return model.state.find((entry) => entry.name.endsWith('runningMean'))!.value.data;
    };
    const one = await runningMean(1);
    const two = await runningMean(2);
    expect(one.some((value) => Math.abs(value) > 1e-3)).toBe(true);
    one.forEach((value, i) => expect(Math.abs(two[i] - value)).toBeLessThan(1e-6 * (1 + Math.abs(value))));
  });

  it('with an augmentation hook that changes nothing, trains to the same bytes as without one', async () => {
    const run = async (augment: boolean) => {
      const model = new Sequential(plain, createRng(2));
      await fit(model, { train }, { epochs: 2, batchSize: 16, seed: 3, optimizer: { kind: 'sgd', learningRate: 0.2 }, threads: 2, parallel: await testWorkers(), ...(augment ? { augment: () => {} } : {}) });
      return bytesOf(model);
    };
    expect(await run(true)).toEqual(await run(false));
  });

  it('terminates its workers on abort, on an error in a callback and when a worker dies', async () => {
    const signal = { aborted: false };
    const aborting = await recordingWorkers();
    const aborted = await fit(new Sequential(plain, createRng(1)), { train }, {
      epochs: 3,
      batchSize: 16,
      optimizer: { kind: 'sgd', learningRate: 0.1 },
      threads: 2,
      parallel: aborting,
      signal,
      onBatchEnd: ({ batch }) => void (batch === 3 && (signal.aborted = true)),
    });
    expect(aborted.stopReason).toBe('aborted');
    expect(aborting.endpoints).toEqual([{ terminated: true }]);

    const throwing = await recordingWorkers();
    await expect(
      fit(new Sequential(plain, createRng(1)), { train }, {
        epochs: 1,
        batchSize: 16,
        optimizer: { kind: 'sgd', learningRate: 0.1 },
        threads: 3,
        parallel: throwing,
        onBatchEnd: () => {
          throw new Error('callback failed');
        },
      }),
    ).rejects.toThrow('callback failed');
    expect(throwing.endpoints).toEqual([{ terminated: true }, { terminated: true }]);

    // A worker whose third wait throws: an uncaught error in the thread, reported by its 'error' event.
    const dying = await recordingWorkers(
      `(() => { const wait = Atomics.wait; let calls = 0; Atomics.wait = (...args) => { if (++calls === 3) throw new Error('injected failure'); return wait(...args); }; })();`,
    );
    await expect(
      fit(new Sequential(plain, createRng(1)), { train }, { epochs: 1, batchSize: 16, optimizer: { kind: 'sgd', learningRate: 0.1 }, threads: 2, parallel: dying }),
    ).rejects.toThrow(/fit: worker thread 1 failed: injected failure/);
    expect(dying.endpoints).toEqual([{ terminated: true }]);
  });

  it('evaluates in shares: the same predictions as one thread, probabilities and loss up to rounding', async () => {
    const model = new Sequential(noisy, createRng(4));
    await fit(model, { train }, { epochs: 1, batchSize: 16, optimizer: { kind: 'adam' } });
    const indices = [5, 3, 99, 42, 7, 0, 61, 12, 88, 17, 23];
    for (const options of [{ batchSize: 7 }, { batchSize: 1000, indices }]) {
      const one = evaluate(model, test, options);
      const many = await evaluateParallel(model, test, { ...options, threads: 3, parallel: await testWorkers() });
      expect(many.count).toBe(one.count);
      expect(many.predictions).toEqual(one.predictions);
      expect(many.accuracy).toBe(one.accuracy);
      expect(many.loss).toBeCloseTo(one.loss, 6);
      many.probabilities.forEach((p, i) => expect(Math.abs(p - one.probabilities[i])).toBeLessThan(1e-6));
    }
  });

  it('keeps its workers for many calls: each call scores the given images with the weights of the moment', async () => {
    const model = new Sequential(noisy, createRng(6));
    const recorded = await recordingWorkers();
    const evaluator = await ParallelEvaluator.start(model, test, { batchSize: 4, threads: 2, parallel: recorded, maxImages: 12 });
    try {
      for (const indices of [[5, 3, 99, 42, 7, 0, 61, 12, 88, 17, 23, 1], [60, 2, 4], Int32Array.of(9)]) {
        const one = evaluate(model, test, { batchSize: 4, indices });
        const many = await evaluator.evaluate(indices);
        expect(many.count).toBe(indices.length);
        expect(many.predictions).toEqual(one.predictions);
        many.probabilities.forEach((p, i) => expect(Math.abs(p - one.probabilities[i])).toBeLessThan(1e-6));
        // The next call sees weights changed in between.
        await fit(model, { train }, { epochs: 1, batchSize: 32, optimizer: { kind: 'adam', learningRate: 0.05 } });
      }
      const all = await evaluator.evaluate();
      expect(all.predictions).toEqual(evaluate(model, test, { batchSize: 4 }).predictions);
      await expect(evaluator.evaluate(Array.from({ length: 13 }, (_, i) => i))).rejects.toThrow('evaluate: 13 images, the evaluator was started for at most 12');
      await expect(evaluator.evaluate([0, 100])).rejects.toThrow('evaluate: index 100 is outside quadrants:parallel-test (100 images)');
    } finally {
      await evaluator.close();
    }
    expect(recorded.endpoints).toEqual([{ terminated: true }]);
    await evaluator.close();

    // A worker that dies between calls: the next call rejects with its message, and close still stops it.
    const dying = await recordingWorkers(
      `(() => { const wait = Atomics.wait; let calls = 0; Atomics.wait = (...args) => { if (++calls === 3) throw new Error('injected failure'); return wait(...args); }; })();`,
    );
    const failing = await ParallelEvaluator.start(model, test, { batchSize: 4, threads: 2, parallel: dying, maxImages: 12 });
    await expect((async () => {
      for (let call = 0; call < 5; call++) await failing.evaluate([1, 2, 3]);
    })()).rejects.toThrow(/worker thread 1 failed: injected failure/);
    await failing.close();
    expect(dying.endpoints).toEqual([{ terminated: true }]);
  });

  it('explains what is missing in one line', async () => {
    const model = new Sequential(plain, createRng(1));
    const options = { epochs: 1, batchSize: 16, optimizer: { kind: 'sgd', learningRate: 0.1 } } as const;
    await expect(fit(model, { train }, { ...options, threads: 2 })).rejects.toThrow('fit: threads 2 needs options.parallel: nodeWorkers({workerUrl}) from @nnkit/train/node');
    await expect(fit(model, { train }, { ...options, threads: 1.5 })).rejects.toThrow('fit: threads must be a positive integer, got 1.5');
    // The app's worker script decides which kernel descriptions it can build; its refusal reaches the caller.
    const custom = { ...(await import('@nnkit/tensor')).jsKernels, name: 'custom' };
    await expect(fit(model, { train }, { ...options, threads: 2, parallel: await testWorkers(), kernels: custom })).rejects.toThrow(
      `fit: worker thread 1: the test worker builds only the 'js' kernels, not "custom"`,
    );
    const { params, inputShape, outputShape, loss, forward, backward } = model;
    const withoutDefinition = { params, inputShape, outputShape, loss, forward: forward.bind(model), backward: backward.bind(model) };
    await expect(fit(withoutDefinition, { train }, { ...options, threads: 2, parallel: await testWorkers() })).rejects.toThrow(
      'fit: threads > 1 needs a model built from a definition (Sequential from @nnkit/layers)',
    );
  });
});
