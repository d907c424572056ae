import { createDataset } from '@nnkit/datasets';
import { describe, expect, it } from 'vitest';
import { quadrantDataset, TinyModel } from '../test/tiny-model.js';
import { evaluate } from './evaluate.js';
import { evaluateWithTta, ttaViews } from './test-time-augmentation.js';

const test = quadrantDataset(60, 'test');
const shape = test.imageShape;

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
});
