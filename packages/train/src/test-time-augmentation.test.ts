import { createDataset } from '@nnkit/datasets';
import { Sequential } from '@nnkit/layers';
import { createRng } from '@nnkit/tensor';
import { describe, expect, it } from 'vitest';
import { quadrantDataset, TinyModel } from '../test/tiny-model.js';
import { testWorkers } from '../test/worker-bundle.js';
import { evaluate } from './evaluate.js';
import { evaluateMembersWithTta, evaluateMembersWithTtaParallel, evaluateWithTta, evaluateWithTtaParallel, sharedMistakes, ttaViews } from './test-time-augmentation.js';

const test = quadrantDataset(60, 'test');
const shape = test.imageShape;
/** A small dense network for the quadrant images: members of the ensembles below differ by their seed. */
const definition = {
  inputShape: shape,
  layers: [{ kind: 'flatten' }, { kind: 'dense', units: 8, init: 'he' }, { kind: 'relu' }, { kind: 'dense', units: 4 }],
  loss: { kind: 'softmaxCrossEntropy' },
} as const;

describe('test-time augmentation', () => {
  it('views are the image, then whole-pixel shifts (hand-computed on a 3×3 image)', () => {
    const dataset = createDataset({ images: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]), labels: Uint8Array.from([0]), imageShape: [3, 3, 1], name: 'tiny' });
    const [same, right, left] = ttaViews(dataset, 3);
    expect(same).toBe(dataset);
    expect([...right.images]).toEqual([0, 1, 2, 0, 4, 5, 0, 7, 8]);
    expect([...left.images]).toEqual([2, 3, 0, 5, 6, 0, 8, 9, 0]);
    expect(() => ttaViews(dataset, 10)).toThrow('views must be an integer in [1, 9], got 10');
  });

  it('averages the probabilities of every view and scores their argmax', () => {
    const model = new TinyModel(shape, 4, 1);
    const one = evaluateWithTta(model, test, { views: 1 });
    expect(one).toEqual(evaluate(model, test));
    const three = evaluateWithTta(model, test, { views: 3 });
    const perView = ttaViews(test, 3).map((view) => evaluate(model, view).probabilities);
    for (let i = 0; i < three.probabilities.length; i += 37) expect(three.probabilities[i]).toBeCloseTo((perView[0][i] + perView[1][i] + perView[2][i]) / 3, 6);
    let correct = 0;
    for (let r = 0; r < test.count; r++) {
      const row = Array.from(three.probabilities.subarray(r * 4, r * 4 + 4));
      const best = row.indexOf(Math.max(...row));
      expect(three.predictions[r]).toBe(best);
      if (best === test.labels[r]) correct++;
    }
    expect(three.accuracy).toBe(correct / test.count);
    expect(three.loss).toBeGreaterThan(0);
  });

  it('scores the views on several threads as on one, for one model and an ensemble, all images or some', async () => {
    const models = [new Sequential(definition, createRng(1)), new Sequential(definition, createRng(2))];
    const parallel = await testWorkers();
    const indices = [9, 3, 41, 0, 17, 58, 22];
    for (const [members, options] of [
      [models[0], { views: 5, batchSize: 7 }],
      [models, { views: 3, indices }],
      [models[1], { views: 1 }],
    ] as const) {
      const one = evaluateWithTta(members, test, options);
      const many = await evaluateWithTtaParallel(members, test, { ...options, threads: 2, parallel });
      expect(many.count).toBe(one.count);
      expect(many.predictions).toEqual(one.predictions);
      expect(many.accuracy).toBe(one.accuracy);
      expect(many.loss).toBeCloseTo(one.loss, 6);
      many.probabilities.forEach((p, i) => expect(Math.abs(p - one.probabilities[i])).toBeLessThan(1e-6));
    }
    // One thread is the single-threaded function itself.
    expect(await evaluateWithTtaParallel(models[0], test, { views: 3 })).toEqual(evaluateWithTta(models[0], test, { views: 3 }));
  });

  it('scores each member of an ensemble over its views beside the ensemble, from the same passes, on one thread or several', async () => {
    const models = [1, 2, 3].map((seed) => new Sequential(definition, createRng(seed)));
    const parallel = await testWorkers();
    for (const views of [1, 3]) {
      const scored = evaluateMembersWithTta(models, test, { views });
      expect(scored.combined).toEqual(evaluateWithTta(models, test, { views }));
      expect(scored.members).toHaveLength(3);
      scored.members.forEach((member, index) => {
        const alone = evaluateWithTta(models[index], test, { views });
        expect(member.predictions).toEqual(alone.predictions);
        expect(member.probabilities).toEqual(alone.probabilities);
        expect(member.accuracy).toBe(alone.accuracy);
      });
      const threaded = await evaluateMembersWithTtaParallel(models, test, { views, threads: 2, parallel });
      expect(threaded.combined.predictions).toEqual(scored.combined.predictions);
      threaded.members.forEach((member, index) => {
        expect(member.predictions).toEqual(scored.members[index].predictions);
        expect(member.accuracy).toBe(scored.members[index].accuracy);
      });
    }
    // One model: its result is the ensemble's.
    const single = evaluateMembersWithTta(models[0], test, { views: 3 });
    expect(single.members).toEqual([single.combined]);
  });

  it('finds the images every member gets wrong', () => {
    const result = (predictions: number[]) => ({ count: predictions.length, loss: NaN, accuracy: NaN, predictions: Uint8Array.from(predictions), probabilities: new Float32Array(0) });
    const labels = [0, 1, 2, 3, 4];
    expect(sharedMistakes([result([0, 9, 9, 3, 9]), result([9, 9, 2, 3, 9]), result([0, 9, 9, 9, 9])], labels)).toEqual([1, 4]);
    expect(sharedMistakes([result([0, 1, 2, 3, 4])], labels)).toEqual([]);
    expect(sharedMistakes([], labels)).toEqual([]);
  });
});
