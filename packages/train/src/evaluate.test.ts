import * as datasets from '@nnkit/datasets';
import { createRng, jsKernels } from '@nnkit/tensor';
import { describe, expect, it } from 'vitest';
import { quadrantDataset, TinyModel } from '../test/tiny-model.js';
import fc from 'fast-check';
import { combinationCount, combinePredictions, evaluateEnsemble, maxSubsets, predictEnsemble, scoreSubsets } from './ensemble.js';
import { evaluate, evenPieceRows, predict } from './evaluate.js';

const data = quadrantDataset(250, 'evaluate');

describe('evaluate and predict', () => {
  it('scores in batches as in one pass', () => {
    const model = new TinyModel(data.imageShape, 4, 2);
    const whole = evaluate(model, data, { batchSize: 250 });
    const batched = evaluate(model, data, { batchSize: 7 });
    expect(batched.predictions).toEqual(whole.predictions);
    // A backend may sum in another order for another batch size: equal up to float rounding.
    batched.probabilities.forEach((p, i) => expect(Math.abs(p - whole.probabilities[i])).toBeLessThan(1e-6));
    expect(batched.accuracy).toBe(whole.accuracy);
    expect(batched.loss).toBeCloseTo(whole.loss, 6);
    expect(whole.count).toBe(250);
    expect(whole.probabilities).toHaveLength(1000);
    let correct = 0;
    whole.predictions.forEach((p, i) => (correct += p === data.labels[i] ? 1 : 0));
    expect(whole.accuracy).toBe(correct / 250);
  });

  it('sizes the forward pieces by the activations the model\'s layers declare, with the same outputs', () => {
    const owning = { ...jsKernels, allocate: (length: number) => new Float32Array(length) };
    const runs = (layers: { outputShape: number[] }[] | undefined): { rows: number[]; result: ReturnType<typeof evaluate> } => {
      const model = new TinyModel(data.imageShape, 4, 2);
      const rows: number[] = [];
      const forward = model.forward.bind(model);
      model.forward = (input, context) => {
        rows.push(input.shape[0]);
        return forward(input, context);
      };
      if (layers !== undefined) Object.assign(model, { layers });
      return { rows, result: evaluate(model, data, { batchSize: 230, kernels: owning }) };
    };
    const small = runs([{ outputShape: [1000] }]); // 2 000 images fit the budget: whole batches
    expect(small.rows).toEqual([230, 20]);
    const large = runs([{ outputShape: [12, 12, 64] }, { outputShape: [12, 12, 64] }]); // 18 432 floats: 108 a piece
    expect(large.rows).toEqual([108, 108, 14, 20]);
    // At most 50 a piece (never fewer is asked), cut evenly: 230 = 5 × 46, one piece size.
    const huge = runs([{ outputShape: [100_000] }]);
    expect(huge.rows).toEqual([46, 46, 46, 46, 46, 20]);
    const undeclared = runs(undefined);
    expect(undeclared.rows).toEqual([46, 46, 46, 46, 46, 20]);
    for (const run of [large, huge, undeclared]) {
      expect(run.result.predictions).toEqual(small.result.predictions);
      // The JavaScript matmul may sum small products in another order: equal up to rounding
      // (WebAssembly gives the same bits, checked by the same-bytes evaluation hashes).
      run.result.probabilities.forEach((p, i) => expect(Math.abs(p - small.result.probabilities[i])).toBeLessThan(1e-6));
    }
  });

  it('runs a large batch forward in even pieces of at most 50 images on a backend that owns its memory, its loss still the whole batch\'s', () => {
    const model = new TinyModel(data.imageShape, 4, 2);
    const forwardRows: number[] = [];
    const forward = model.forward.bind(model);
    model.forward = (input, context) => {
      forwardRows.push(input.shape[0]);
      return forward(input, context);
    };
    const owning = { ...jsKernels, allocate: (length: number) => new Float32Array(length) };
    const result = evaluate(model, data, { batchSize: 230, kernels: owning });
    expect(forwardRows).toEqual([46, 46, 46, 46, 46, 20]);
    forwardRows.length = 0;
    evaluate(model, data, { batchSize: 230 });
    expect(forwardRows).toEqual([230, 20]);
    // The pieces' outputs, gathered, and the loss summed per batch of 230 over them.
    const pieces = [[0, 46], [46, 92], [92, 138], [138, 184], [184, 230], [230, 250]];
    const input = new Float32Array(50 * 16);
    const order = Int32Array.from({ length: 250 }, (_, i) => i);
    const context = { kernels: owning, training: false, rng: createRng('evaluate') };
    const probabilities = new Float32Array(250 * 4);
    const logits = new Float32Array(250 * 4);
    for (const [start, end] of pieces) {
      datasets.fillBatch(data, order, start, end, input);
      logits.set(forward({ shape: [end - start, ...data.imageShape], data: input.subarray(0, (end - start) * 16) }, context).data.subarray(0, (end - start) * 4), start * 4);
    }
    let lossSum = 0;
    for (const [start, end] of [[0, 230], [230, 250]]) {
      const labels = new Uint8Array(end - start);
      datasets.fillLabels(data, order, start, end, labels);
      const output = { shape: [end - start, 4], data: logits.subarray(start * 4, end * 4) };
      lossSum += model.loss.compute(output, labels, null) * (end - start);
      model.loss.probabilities(output, probabilities.subarray(start * 4, end * 4));
    }
    expect(result.loss).toBe(lossSum / 250);
    expect(Array.from(result.probabilities)).toEqual(Array.from(probabilities));
  });

  it('cuts a batch into pieces of one size where a divisor allows', () => {
    expect(evenPieceRows(250, 76)).toBe(50);
    expect(evenPieceRows(1000, 76)).toBe(50);
    expect(evenPieceRows(250, 50)).toBe(50);
    expect(evenPieceRows(230, 108)).toBe(108); // 230 = 2 · 5 · 23: no divisor from 54 to 108
    expect(evenPieceRows(60, 76)).toBe(76); // one piece
    expect(evenPieceRows(97, 50)).toBe(50); // a prime
  });

  it('takes a subset of indices and returns NaN scores for unlabelled data', () => {
    const model = new TinyModel(data.imageShape, 4, 2);
    const all = evaluate(model, data);
    const some = evaluate(model, data, { indices: [5, 1] });
    expect(Array.from(some.predictions)).toEqual([all.predictions[5], all.predictions[1]]);
    const unlabelled = evaluate(model, datasets.createDataset({ images: data.images, labels: new Uint8Array(250), imageShape: [4, 4, 1], name: 'test.csv', unlabelled: true }));
    expect(unlabelled.accuracy).toBeNaN();
    expect(unlabelled.predictions).toEqual(all.predictions);
  });

  it('predict takes a batch or one example', () => {
    const model = new TinyModel(data.imageShape, 4, 2);
    const input = Float32Array.from(data.images.subarray(0, 32), (p) => p / 255);
    const batch = predict(model, { shape: [2, 4, 4, 1], data: input }, jsKernels);
    const one = predict(model, { shape: [4, 4, 1], data: input.subarray(16, 32) });
    expect(one.predictions[0]).toBe(batch.predictions[1]);
    one.probabilities.forEach((p, i) => expect(Math.abs(p - batch.probabilities[4 + i])).toBeLessThan(1e-6));
    expect(() => predict(model, { shape: [3, 5], data: new Float32Array(15) })).toThrow('predict: input [3, 5] is neither [batch, ...[4, 4, 1]] nor one example [4, 4, 1]');
  });
});

describe('ensembles', () => {
  it('plurality vote, ties broken by mean probability; averaging takes the mean’s argmax', () => {
    const member = (predictions: number[], probabilities: number[]) => ({ predictions: Uint8Array.from(predictions), probabilities: Float32Array.from(probabilities) });
    // Three classes, two examples. Example 0: votes 2, 2, 0 → class 2. Example 1: votes 0, 1, 2 tie;
    // mean probabilities favour class 1.
    const members = [
      member([2, 0], [0.1, 0.2, 0.7, 0.5, 0.3, 0.2]),
      member([2, 1], [0.3, 0.1, 0.6, 0.1, 0.8, 0.1]),
      member([0, 2], [0.9, 0.05, 0.05, 0.2, 0.3, 0.5]),
    ];
    const vote = combinePredictions(members, 3, 'vote');
    expect(Array.from(vote.predictions)).toEqual([2, 1]);
    // Means: example 0 [0.433, 0.117, 0.45] → 2; example 1 [0.267, 0.467, 0.267] → 1.
    expect(Array.from(combinePredictions(members, 3, 'average').predictions)).toEqual([2, 1]);
    expect(vote.probabilities[0]).toBeCloseTo(1.3 / 3, 6);
    // Where vote and average disagree: two weak votes for 0 against one confident 1.
    const split = [member([0], [0.4, 0.35, 0.25]), member([0], [0.4, 0.35, 0.25]), member([1], [0.0, 1.0, 0.0])];
    expect(combinePredictions(split, 3, 'vote').predictions[0]).toBe(0);
    expect(combinePredictions(split, 3, 'average').predictions[0]).toBe(1);
  });

  it('evaluates members and their combination on a dataset', () => {
    const models = [1, 2, 3].map((seed) => new TinyModel(data.imageShape, 4, seed));
    const result = evaluateEnsemble(models, data, { method: 'average', batchSize: 64 });
    expect(result.memberAccuracies).toEqual(models.map((model) => evaluate(model, data).accuracy));
    const input = Float32Array.from(data.images, (p) => p / 255);
    expect(predictEnsemble(models, { shape: [250, 4, 4, 1], data: input }, 'average').predictions).toEqual(result.predictions);
    expect(() => evaluateEnsemble([], data)).toThrow('ensemble: needs at least one model');
  });
});

describe('scoreSubsets', () => {
  /** Members with random probabilities over `classes` (rounded to tenths, so averages tie), each predicting its argmax. */
  const randomMembers = (members: number, count: number, classes: number, seed: number) => {
    const rng = createRng(seed);
    return Array.from({ length: members }, () => {
      const probabilities = Float32Array.from({ length: count * classes }, () => Math.round(rng.next() * 10) / 10);
      const predictions = Uint8Array.from({ length: count }, (_, r) => {
        let best = 0;
        for (let c = 1; c < classes; c++) if (probabilities[r * classes + c] > probabilities[r * classes + best]) best = c;
        return best;
      });
      return { predictions, probabilities };
    });
  };

  /** Every combination of `size` of 0..n−1, in lexicographic order (the naive recursion). */
  const combinations = (n: number, size: number, from = 0): number[][] =>
    size === 0 ? [[]] : Array.from({ length: Math.max(0, n - from) }, (_, i) => from + i).flatMap((first) => combinations(n, size - 1, first + 1).map((rest) => [first, ...rest]));

  it('scores every combination as combinePredictions averages it, the most accurate first, ties in lexicographic order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 2, max: 5 }), fc.integer(), (n, count, classes, seed) => {
        const members = randomMembers(n, count, classes, seed);
        const labels = Uint8Array.from({ length: count }, (_, r) => Math.abs(r * 7 + seed) % classes);
        for (let size = 1; size <= n; size++) {
          // The naive reference: the library's own average of exactly these members, sorted stably.
          const expected = combinations(n, size).map((chosen) => {
            const predictions = combinePredictions(chosen.map((m) => members[m]), classes, 'average').predictions;
            const correct = predictions.filter((p, r) => p === labels[r]).length;
            return { members: chosen, correct, accuracy: count === 0 ? NaN : correct / count };
          });
          expected.sort((a, b) => b.correct - a.correct);
          expect(expected).toHaveLength(combinationCount(n, size));
          expect(scoreSubsets(members, labels, size)).toEqual(expected);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('C(n, k) as expected; sizes outside 1..n and too many combinations are refused', () => {
    expect([combinationCount(9, 5), combinationCount(16, 8), combinationCount(20, 10), combinationCount(4, 4), combinationCount(4, 0)]).toEqual([126, 12_870, 184_756, 1, 1]);
    const members = randomMembers(3, 4, 2, 1);
    const labels = [0, 1, 0, 1];
    expect(() => scoreSubsets(members, labels, 0)).toThrow('subsets: size must be an integer in [1, 3] (the members given), got 0');
    expect(() => scoreSubsets(members, labels, 4)).toThrow('subsets: size must be an integer in [1, 3] (the members given), got 4');
    expect(() => scoreSubsets(members, labels.slice(0, 3), 2)).toThrow('subsets: every member must predict the 3 labelled examples');
    const many = Array.from({ length: 20 }, () => members[0]);
    expect(() => scoreSubsets(many, labels, 10)).toThrow(`subsets: 184,756 combinations of 10 of 20 members; at most ${maxSubsets.toLocaleString('en-US')} are scored`);
  });
});
