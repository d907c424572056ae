import { type Rng, createRng } from '@nnkit/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mnistSample } from '../test/mnist-sample.js';
import {
  type AugmentSpec,
  augmentBatch,
  augmentDataset,
  augmentPreview,
  augmentHook,
  distortImage,
  expandByShifts,
  formatAugmentSpec,
  parseAugmentSpec,
  shiftImage,
} from './distortions.js';

/** An Rng whose uniform draws are always the top of their range: distortions become fixed maps. */
function extremeRng(): Rng {
  const rng = createRng(0);
  return { ...rng, uniform: (_low = 0, high = 1) => high, int: (n: number) => n - 1 };
}

function centreOfMass(image: Uint8Array, width = 28): [number, number] {
  let total = 0;
  let sumX = 0;
  let sumY = 0;
  image.forEach((value, i) => {
    total += value;
    sumX += value * (i % width);
    sumY += value * Math.floor(i / width);
  });
  return [sumX / total, sumY / total];
}

describe('parseAugmentSpec', () => {
  it('parses the CLI example', () => {
    expect(parseAugmentSpec('rotate:12,scale:0.1,elastic:34/4,shift:1,noise:0.1')).toEqual({
      rotate: 12,
      scale: 0.1,
      elastic: { alpha: 34, sigma: 4 },
      shift: 1,
      noise: 0.1,
    });
    expect(parseAugmentSpec('none')).toEqual({});
    expect(parseAugmentSpec(' shear:5 , stretch:.2 ')).toEqual({ shear: 5, stretch: 0.2 });
  });

  it('names the bad part', () => {
    expect(() => parseAugmentSpec('rotat:12')).toThrow(
      'augment "rotat:12": "rotat:12": unknown distortion "rotat" (expected one of rotate, scale, stretch, shear, translate, shift, elastic, noise)',
    );
    expect(() => parseAugmentSpec('rotate:abc')).toThrow('"rotate:abc": rotate (degrees) must be a non-negative number, got "abc"');
    expect(() => parseAugmentSpec('rotate:-3')).toThrow('got "-3"');
    expect(() => parseAugmentSpec('shift:1.5')).toThrow('shift must be a whole number of pixels');
    expect(() => parseAugmentSpec('elastic:34')).toThrow('expected elastic:ALPHA/SIGMA');
    expect(() => parseAugmentSpec('elastic:34/0')).toThrow('sigma must be positive');
    expect(() => parseAugmentSpec('noise')).toThrow('expected noise:NUMBER');
    expect(() => parseAugmentSpec('noise:1,noise:2')).toThrow('noise is given twice');
    expect(() => parseAugmentSpec('scale:1.5')).toThrow('scale must be below 1');
  });

  it('round-trips through formatAugmentSpec', () => {
    const number = fc.double({ min: 0, max: 0.99, noNaN: true });
    fc.assert(
      fc.property(
        fc.record({ rotate: number, scale: number, noise: number, shift: fc.integer({ min: 0, max: 3 }), elastic: fc.record({ alpha: number, sigma: fc.double({ min: 0.1, max: 9, noNaN: true }) }) }, { requiredKeys: [] }),
        (spec) => {
          expect(parseAugmentSpec(formatAugmentSpec(spec))).toEqual(spec);
        },
      ),
    );
  });
});

describe('distortImage', () => {
  const [digit] = [mnistSample(1).images];

  it('copies the image for an empty spec', () => {
    const out = new Uint8Array(784);
    distortImage(digit, out, {}, createRng(1));
    expect(out).toEqual(digit);
  });

  it('translates by whole pixels exactly, like shiftImage', () => {
    const translated = new Uint8Array(784);
    const shifted = new Uint8Array(784);
    distortImage(digit, translated, { translate: 2 }, extremeRng());
    shiftImage(digit, shifted, 2, 2);
    expect(translated).toEqual(shifted);
    distortImage(digit, translated, { shift: 3 }, extremeRng());
    shiftImage(digit, shifted, 3, 3);
    expect(translated).toEqual(shifted);
  });

  it('shiftImage moves a float image as it moves its bytes', () => {
    for (const [dx, dy] of [[1, 0], [-1, 1], [0, -3], [5, 2]]) {
      const bytes = new Uint8Array(784);
      shiftImage(digit, bytes, dx, dy);
      const floats = new Float32Array(784);
      shiftImage(Float32Array.from(digit, (value) => value / 255), floats, dx, dy);
      expect(floats).toEqual(Float32Array.from(bytes, (value) => value / 255));
      expect(bytes).not.toEqual(digit);
    }
  });

  it('rotates about the centre: a dot at (18.5, 13.5) turned by 30° lands at 13.5 + 5·(cos 30°, sin 30°)', () => {
    // A 2×2 dot centred 5 pixels right of the image centre (13.5, 13.5).
    const dot = new Uint8Array(784);
    for (const [x, y] of [[18, 13], [19, 13], [18, 14], [19, 14]]) dot[y * 28 + x] = 200;
    const out = new Uint8Array(784);
    distortImage(dot, out, { rotate: 30 }, extremeRng());
    const [x, y] = centreOfMass(out);
    expect(x).toBeCloseTo(13.5 + 5 * Math.cos(Math.PI / 6), 1);
    expect(y).toBeCloseTo(13.5 + 5 * Math.sin(Math.PI / 6), 1);
  });

  it('scales about the centre: zoom 1.2 moves that dot to 13.5 + 6', () => {
    const dot = new Uint8Array(784);
    for (const [x, y] of [[18, 13], [19, 13], [18, 14], [19, 14]]) dot[y * 28 + x] = 200;
    const out = new Uint8Array(784);
    distortImage(dot, out, { scale: 0.2 }, extremeRng());
    const [x, y] = centreOfMass(out);
    expect(x).toBeCloseTo(19.5, 1);
    expect(y).toBeCloseTo(13.5, 1);
  });

  it('is reproducible from the seed, changes with it, and keeps ink roughly in place', () => {
    const spec: AugmentSpec = { rotate: 15, scale: 0.1, stretch: 0.1, shear: 10, translate: 1, elastic: { alpha: 34, sigma: 4 }, noise: 0.05 };
    const first = new Uint8Array(784);
    const again = new Uint8Array(784);
    const other = new Uint8Array(784);
    distortImage(digit, first, spec, createRng('a'));
    distortImage(digit, again, spec, createRng('a'));
    distortImage(digit, other, spec, createRng('b'));
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
    const [x0, y0] = centreOfMass(digit);
    const [x1, y1] = centreOfMass(first);
    expect(Math.hypot(x1 - x0, y1 - y0)).toBeLessThan(4);
  });

  it('elastic with alpha 0 is the identity; alpha 34, sigma 4 moves pixels by about a pixel', () => {
    const out = new Uint8Array(784);
    distortImage(digit, out, { elastic: { alpha: 0, sigma: 4 } }, createRng(3));
    expect(out).toEqual(digit);
    distortImage(digit, out, { elastic: { alpha: 34, sigma: 4 } }, createRng(3));
    const changed = out.reduce((n, v, i) => n + (v !== digit[i] ? 1 : 0), 0);
    expect(changed).toBeGreaterThan(20);
  });
});

describe('noise', () => {
  it('adds N(0, (0.05 · 255)²) to a mid-gray image: sample mean ≈ 128, std ≈ 12.75', () => {
    const gray = new Uint8Array(784).fill(128);
    const out = new Uint8Array(784);
    distortImage(gray, out, { noise: 0.05 }, createRng(9));
    const mean = out.reduce((a, b) => a + b, 0) / 784;
    const std = Math.sqrt(out.reduce((a, b) => a + (b - mean) ** 2, 0) / 784);
    // 784 samples: the std of the sample mean is 12.75/28 ≈ 0.46, of the sample std about 2.5 %.
    expect(Math.abs(mean - 128)).toBeLessThan(2);
    expect(Math.abs(std / 12.75 - 1)).toBeLessThan(0.1);
  });
});

describe('datasets of distortions', () => {
  const sample = mnistSample(4);

  it('expandByShifts makes five images per image: original, down, up, right, left', () => {
    const expanded = expandByShifts(sample);
    expect(expanded.count).toBe(20);
    expect([...expanded.labels.subarray(0, 10)]).toEqual([5, 5, 5, 5, 5, 0, 0, 0, 0, 0]);
    const original = sample.images.subarray(0, 784);
    const image = (k: number) => expanded.images.subarray(k * 784, (k + 1) * 784);
    expect(image(0)).toEqual(original);
    expect(image(1)[5 * 28 + 10]).toBe(original[4 * 28 + 10]); // down: row 5 shows row 4
    expect(image(2)[4 * 28 + 10]).toBe(original[5 * 28 + 10]); // up
    expect(image(3)[9 * 28 + 11]).toBe(original[9 * 28 + 10]); // right
    expect(image(4)[9 * 28 + 9]).toBe(original[9 * 28 + 10]); // left
    expect(image(1).subarray(0, 28).every((v) => v === 0)).toBe(true);
  });

  it('augmentBatch keeps labels and order, augmentDataset appends copies', () => {
    const batch = augmentBatch(sample, [3, 1], 0, 2, { rotate: 10 }, createRng(5));
    expect([...batch.labels]).toEqual([sample.labels[3], sample.labels[1]]);
    expect(batch.count).toBe(2);
    const grown = augmentDataset(sample, { shift: 2 }, createRng(5), 2);
    expect(grown.count).toBe(12);
    expect(grown.images.subarray(0, 4 * 784)).toEqual(sample.images);
    expect([...grown.labels.subarray(8)]).toEqual([...sample.labels]);
  });

  it('augmentHook distorts a batch in place exactly as augmentBatch does', () => {
    const bytes = sample.images.slice();
    augmentHook({ rotate: 10, elastic: { alpha: 20, sigma: 3 } })(bytes, createRng(4), [28, 28, 1]);
    const batch = augmentBatch(sample, [0, 1, 2, 3], 0, 4, { rotate: 10, elastic: { alpha: 20, sigma: 3 } }, createRng(4));
    expect(bytes).toEqual(batch.images);
  });

  it('augmentPreview puts each original before its variants', () => {
    const preview = augmentPreview(sample, { rotate: 10 }, createRng(2), { images: 2, variants: 3 });
    expect(preview.length).toBe(8);
    expect(preview[4]).toEqual(sample.images.subarray(784, 1568));
    expect(preview[5]).not.toEqual(preview[4]);
  });
});
