import { createRng } from '@nnkit/tensor';
import { describe, expect, it } from 'vitest';
import { initBiases, initWeights, type InitName } from './init.js';

function moments(values: Float32Array): { mean: number; std: number; maxAbs: number } {
  let sum = 0;
  let squares = 0;
  let maxAbs = 0;
  for (const v of values) {
    sum += v;
    squares += v * v;
    maxAbs = Math.max(maxAbs, Math.abs(v));
  }
  const mean = sum / values.length;
  return { mean, std: Math.sqrt(squares / values.length - mean * mean), maxAbs };
}

describe('initialisers', () => {
  // 120 000 draws: the sample std is within about 0.5 % of the true one.
  const fanIn = 400;
  const fanOut = 300;
  const expectedStd: Record<InitName, number> = {
    normal: 1,
    scaledNormal: 1 / Math.sqrt(fanIn), // Nielsen ch. 3: N(0, 1/n_in)
    glorot: Math.sqrt(6 / (fanIn + fanOut)) / Math.sqrt(3), // uniform ±limit has std limit/√3
    he: Math.sqrt(2 / fanIn),
  };

  for (const init of Object.keys(expectedStd) as InitName[]) {
    it(`${init}: zero mean, std ${expectedStd[init].toFixed(4)}`, () => {
      const { mean, std, maxAbs } = moments(initWeights(init, fanIn * fanOut, fanIn, fanOut, createRng(init)));
      expect(Math.abs(mean)).toBeLessThan(0.02 * expectedStd[init]);
      expect(std / expectedStd[init]).toBeGreaterThan(0.98);
      expect(std / expectedStd[init]).toBeLessThan(1.02);
      if (init === 'glorot') expect(maxAbs).toBeLessThanOrEqual(Math.sqrt(6 / (fanIn + fanOut)));
    });
  }

  it('gives biases N(0, 1) for normal and scaledNormal (Nielsen) and zeros for glorot and he', () => {
    expect(moments(initBiases('normal', 20000, createRng(1))).std).toBeCloseTo(1, 1);
    expect(moments(initBiases('scaledNormal', 20000, createRng(1))).std).toBeCloseTo(1, 1);
    expect(initBiases('glorot', 10, createRng(1)).every((b) => b === 0)).toBe(true);
    expect(initBiases('he', 10, createRng(1)).every((b) => b === 0)).toBe(true);
  });

  it('draws everything from the given stream', () => {
    expect(initWeights('he', 50, 10, 5, createRng(3))).toEqual(initWeights('he', 50, 10, 5, createRng(3)));
    expect(initWeights('he', 50, 10, 5, createRng(3))).not.toEqual(initWeights('he', 50, 10, 5, createRng(4)));
  });
});
