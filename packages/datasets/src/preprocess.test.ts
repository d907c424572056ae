import { describe, expect, it } from 'vitest';
import { mnistSample } from '../test/mnist-sample.js';
import { photographDigit } from '../test/photo.js';
import { preprocessDigit, toGray } from './preprocess.js';

function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let meanA = 0;
  let meanB = 0;
  for (let i = 0; i < n; i++) {
    meanA += a[i] / n;
    meanB += b[i] / n;
  }
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    ab += (a[i] - meanA) * (b[i] - meanB);
    aa += (a[i] - meanA) ** 2;
    bb += (b[i] - meanB) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

function centreOfMass(image: Uint8Array): [number, number] {
  let total = 0;
  let x = 0;
  let y = 0;
  image.forEach((v, i) => {
    total += v;
    x += v * (i % 28);
    y += v * Math.floor(i / 28);
  });
  return [x / total, y / total];
}

describe('preprocessDigit', () => {
  it('recovers MNIST digits photographed as dark ink on paper, 3× larger, off-centre', () => {
    const sample = mnistSample(20, 't10k');
    for (let k = 0; k < sample.count; k++) {
      const digit = sample.images.subarray(k * 784, (k + 1) * 784);
      // A 120×100 "photo": light paper (230), the digit 3× enlarged in dark ink, placed at (7, 11).
      const photo = new Uint8Array(120 * 100).fill(230);
      for (let y = 0; y < 84; y++) for (let x = 0; x < 84; x++) photo[(y + 11) * 120 + x + 7] = 230 - Math.round((digit[Math.floor(y / 3) * 28 + Math.floor(x / 3)] * 200) / 255);
      const result = preprocessDigit(photo, 120, 100);
      expect(correlation(result, digit)).toBeGreaterThan(0.85);
      const [cx, cy] = centreOfMass(result);
      expect(Math.abs(cx - 14)).toBeLessThanOrEqual(0.5);
      expect(Math.abs(cy - 14)).toBeLessThanOrEqual(0.5);
    }
  });

  it('reads digits small and off-centre on unevenly lit, noisy paper with a speck and a ruled line', () => {
    const sample = mnistSample(20, 't10k');
    const off = { background: false, threshold: false, components: false };
    let robust = 0;
    let plain = 0;
    for (let k = 0; k < sample.count; k++) {
      const digit = sample.images.subarray(k * 784, (k + 1) * 784);
      const photo = photographDigit(digit, { width: 150, height: 120, scale: 2, left: 20 + 3 * k, top: 40, noise: 8, clutter: true, seed: k });
      const reference = preprocessDigit(digit, 28, 28);
      robust += correlation(preprocessDigit(photo, 150, 120), reference) / sample.count;
      plain += correlation(preprocessDigit(photo, 150, 120, { steps: off }), reference) / sample.count;
    }
    expect(robust).toBeGreaterThan(0.8);
    expect(plain).toBeLessThan(0.5); // what the robust steps add: the light gradient and the line defeat a single background level
  });

  it('the background step is what removes a light gradient across the page', () => {
    // Digit 0 on a gray ramp: the background step is what removes the ramp.
    const digit = mnistSample(1, 't10k').images;
    const photo = photographDigit(digit, { width: 84, height: 84, scale: 2, left: 14, top: 14 });
    const reference = preprocessDigit(digit, 28, 28);
    expect(correlation(preprocessDigit(photo, 84, 84), reference)).toBeGreaterThan(0.85);
    expect(correlation(preprocessDigit(photo, 84, 84, { steps: { background: false } }), reference)).toBeLessThan(0.8);
  });

  it('fits a wide bar into 20 pixels keeping its aspect, centred', () => {
    // A 40×10 white bar on black, Float32 input in [0, 1]: becomes 20×5 at full strength.
    const image = new Float32Array(60 * 30);
    for (let y = 10; y < 20; y++) for (let x = 5; x < 45; x++) image[y * 60 + x] = 1;
    const result = preprocessDigit(image, 60, 30);
    const lit = [...result].map((v, i) => (v > 0 ? i : -1)).filter((i) => i >= 0);
    const xs = lit.map((i) => i % 28);
    const ys = lit.map((i) => Math.floor(i / 28));
    expect([Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)]).toEqual([5, 24, 12, 16]); // offsets round(14 − 9.5) = 5 and round(14 − 2) = 12
    expect(lit.every((i) => result[i] === 255)).toBe(true);
  });

  it('returns zeros for an empty drawing and checks its arguments', () => {
    expect(preprocessDigit(new Uint8Array(50 * 50).fill(255), 50, 50).every((v) => v === 0)).toBe(true);
    expect(() => preprocessDigit(new Uint8Array(10), 5, 5)).toThrow('preprocessDigit: 10 values do not hold a 5×5 gray image');
  });

  it('toGray composites transparent pixels over white', () => {
    expect([...toGray([0, 0, 0, 0, 0, 0, 0, 255, 255, 0, 0, 255], 3, 1)]).toEqual([255, 0, 76]);
  });
});
