import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import alea from './alea.js';
import { createRng } from './rng.js';

function draws(rng: { next(): number }, count: number): number[] {
  return Array.from({ length: count }, () => rng.next());
}

describe('createRng', () => {
  it('is deterministic: the same seed gives the same stream, a different seed another', () => {
    expect(draws(createRng(42), 50)).toEqual(draws(createRng(42), 50));
    expect(draws(createRng('42'), 50)).toEqual(draws(createRng(42), 50));
    expect(draws(createRng(43), 50)).not.toEqual(draws(createRng(42), 50));
  });

  it('next() and uniform() stay in their half-open ranges; int(n) hits every value of [0, n)', () => {
    const rng = createRng('ranges');
    const seen = new Set<number>();
    const outOfRange: number[] = [];
    for (let i = 0; i < 10_000; i++) {
      const x = rng.next();
      if (!(x >= 0 && x < 1)) outOfRange.push(x);
      const u = rng.uniform(-3, 5);
      if (!(u >= -3 && u < 5)) outOfRange.push(u);
      const k = rng.int(7);
      if (!(Number.isInteger(k) && k >= 0 && k < 7)) outOfRange.push(k);
      seen.add(k);
    }
    expect(outOfRange).toEqual([]);
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('forks are independent of the parent position and of each other', () => {
    const parent = createRng(7);
    const early = draws(parent.fork('init'), 20);
    draws(parent, 1000); // moving the parent must not shift its forks
    expect(draws(parent.fork('init'), 20)).toEqual(early);
    expect(draws(parent.fork('shuffle'), 20)).not.toEqual(early);
    expect(draws(createRng(7), 20)).not.toEqual(early);
    // A fork of a fork is named by its path, so it is reproducible too.
    expect(draws(createRng(7).fork('a').fork('b'), 5)).toEqual(draws(createRng(7).fork('a').fork('b'), 5));
  });

  it('getState() resumes the exact continuation, also after a JSON round trip (checkpoints)', () => {
    const rng = createRng('resume');
    draws(rng, 123);
    const state = rng.getState();
    const continuation = [rng.next(), rng.normal(), rng.int(1000), ...rng.permutation(10)];
    for (const saved of [state, JSON.parse(JSON.stringify(state))]) {
      const resumed = createRng(saved.seed, saved);
      expect([resumed.next(), resumed.normal(), resumed.int(1000), ...resumed.permutation(10)]).toEqual(continuation);
      expect(resumed.seed).toBe('resume');
    }
  });

  it('normal() has the requested mean and standard deviation (10⁵ draws, fixed seed)', () => {
    // Standard errors at n = 10⁵: mean σ/√n ≈ 0.0032·σ, standard deviation ≈ σ/√(2n) ≈ 0.0022·σ;
    // the bounds below are about 6 standard errors, loose enough for any seed yet tight enough
    // to catch a wrong scale (e.g. variance instead of deviation) or a biased transform.
    for (const [mean, std] of [[0, 1], [3, 0.5]] as const) {
      const rng = createRng(`normal/${mean}/${std}`);
      const n = 100_000;
      let sum = 0;
      let sumSquares = 0;
      for (let i = 0; i < n; i++) {
        const x = rng.normal(mean, std);
        sum += x;
        sumSquares += x * x;
      }
      const sampleMean = sum / n;
      const sampleStd = Math.sqrt(sumSquares / n - sampleMean * sampleMean);
      expect(Math.abs(sampleMean - mean)).toBeLessThan(0.02 * std);
      expect(Math.abs(sampleStd - std)).toBeLessThan(0.015 * std);
    }
  });

  it('shuffle() permutes in place and returns its argument; permutation(n) holds 0..n-1 once each', () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), fc.string(), (items, seed) => {
        const copy = [...items];
        const result = createRng(seed).shuffle(copy);
        expect(result).toBe(copy);
        expect([...copy].sort((x, y) => x - y)).toEqual([...items].sort((x, y) => x - y));
      }),
      { seed: 1, numRuns: 100 },
    );
    fc.assert(
      fc.property(fc.nat(300), fc.string(), (n, seed) => {
        const order = createRng(seed).permutation(n);
        expect(order).toBeInstanceOf(Int32Array);
        expect([...order].sort((x, y) => x - y)).toEqual(Array.from({ length: n }, (_, i) => i));
      }),
      { seed: 2, numRuns: 100 },
    );
  });

  it('shuffle() reaches every ordering of three items, about equally often', () => {
    // 6 orderings × ~1000 draws each; a biased shuffle (e.g. swapping with any index) skews this.
    const counts = new Map<string, number>();
    const rng = createRng('orderings');
    for (let i = 0; i < 6000; i++) {
      const key = rng.shuffle(['a', 'b', 'c']).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    for (const count of counts.values()) expect(Math.abs(count - 1000)).toBeLessThan(150);
  });

  it("draws seedrandom's Alea numbers and saves its state, bit for bit, through next() and fill()", () => {
    fc.assert(
      fc.property(fc.string(), fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 8 }), (seed, chunks) => {
        const reference = alea(seed, { state: true });
        const rng = createRng(seed);
        for (const [index, size] of chunks.entries()) {
          const expected = Array.from({ length: size }, () => reference());
          if (index % 2 === 0) {
            expect(draws(rng, size)).toEqual(expected);
          } else {
            // A larger array than asked for: only `size` numbers are drawn, the rest untouched.
            const out = new Float64Array(size + 3).fill(-1);
            rng.fill(out, size);
            expect([...out.subarray(0, size)]).toEqual(expected);
            expect([...out.subarray(size)]).toEqual([-1, -1, -1]);
          }
          expect(rng.getState().alea).toEqual(reference.state());
        }
        // A stream continued from a saved state goes on as seedrandom's continued from it.
        const resumed = createRng(seed, rng.getState());
        const out = new Float64Array(5);
        resumed.fill(out);
        const continued = alea('', { state: reference.state() });
        expect([...out]).toEqual(draws({ next: continued }, 5));
      }),
      { seed: 3, numRuns: 100 },
    );
  });

  it('fill() refuses a count outside the array', () => {
    const rng = createRng(1);
    expect(() => rng.fill(new Float64Array(4), 5)).toThrow(/^rng\.fill: count must be an integer in \[0, 4\], got 5$/);
    expect(() => rng.fill(new Float64Array(4), 1.5)).toThrow(/got 1\.5$/);
    expect(() => rng.fill(new Float64Array(4), -1)).toThrow(/got -1$/);
  });
});
