import alea from './alea.js';

/** The serialisable state of an `Rng`: enough to continue its stream exactly (checkpoints). */
export interface RngState {
  readonly seed: string;
  readonly alea: unknown;
}

/**
 * A seeded random stream (seedrandom's Alea; never the global `Math.random`).
 * One seed fixes initialisation, shuffling, dropout and distortions: each of them takes its
 * own `fork(label)`, so adding draws to one stream never shifts the others.
 */
export interface Rng {
  /** The seed this stream was created from. */
  readonly seed: string;
  /** Uniform float in [0, 1). */
  next(): number;
  /**
   * Fills `out[0..count)` (default: all of it) with the next uniform floats in [0, 1): the same
   * numbers, in the same order, as `count` calls of `next()`, without a call per number (dropout
   * masks draw one per activation).
   */
  fill(out: Float64Array, count?: number): void;
  /** Uniform float in [low, high). */
  uniform(low?: number, high?: number): number;
  /** Normal N(mean, std²) by the Box–Muller transform. */
  normal(mean?: number, std?: number): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<T extends { length: number; [index: number]: unknown }>(items: T): T;
  /** A new array holding a random permutation of 0..n-1. */
  permutation(n: number): Int32Array;
  /** An independent stream derived from this seed and `label` (not from the current position). */
  fork(label: string): Rng;
  /** The current position, to resume with `createRng(seed, state)`. */
  getState(): RngState;
}

type AleaPrng = (() => number) & { state(): AleaState };

/** Alea's state, as seedrandom saves and restores it. */
interface AleaState {
  c: number;
  s0: number;
  s1: number;
  s2: number;
}

/** 2⁻³², Alea's scale. */
const twoToMinus32 = 2.3283064365386963e-10;

/**
 * Creates a stream from `seed`, or continues one from a saved `state`. seedrandom's Alea seeds
 * it (its Mash hash of the seed); the draws then run Alea's recurrence here, on local numbers,
 * so that `fill` can draw many in one loop. The numbers and the saved state are seedrandom's, bit
 * for bit (rng.test.ts draws both side by side).
 */
export function createRng(seed: number | string, state?: RngState): Rng {
  const seedText = String(seed);
  const start = state === undefined ? (alea(seedText, { state: true }) as unknown as AleaPrng).state() : (state.alea as AleaState);
  let { c, s0, s1, s2 } = start;
  const next = (): number => {
    const t = 2091639 * s0 + c * twoToMinus32;
    s0 = s1;
    s1 = s2;
    return (s2 = t - (c = t | 0));
  };
  const rng: Rng = {
    seed: seedText,
    next,
    fill(out, count = out.length) {
      if (!Number.isInteger(count) || count < 0 || count > out.length) throw new RangeError(`rng.fill: count must be an integer in [0, ${out.length}], got ${String(count)}`);
      let a = s0;
      let b = s1;
      let d = s2;
      let k = c;
      for (let i = 0; i < count; i++) {
        const t = 2091639 * a + k * twoToMinus32;
        a = b;
        b = d;
        d = t - (k = t | 0);
        out[i] = d;
      }
      s0 = a;
      s1 = b;
      s2 = d;
      c = k;
    },
    uniform(low = 0, high = 1) {
      return low + (high - low) * next();
    },
    normal(mean = 0, std = 1) {
      // 1 - u keeps the logarithm's argument in (0, 1].
      const u = 1 - next();
      const v = next();
      return mean + std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    int(n) {
      return Math.floor(next() * n);
    },
    shuffle(items) {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const swap = items[i];
        items[i] = items[j];
        items[j] = swap;
      }
      return items;
    },
    permutation(n) {
      const order = new Int32Array(n);
      for (let i = 0; i < n; i++) order[i] = i;
      return rng.shuffle(order);
    },
    fork(label) {
      return createRng(`${seedText}/${label}`);
    },
    getState() {
      return { seed: seedText, alea: { c, s0, s1, s2 } };
    },
  };
  return rng;
}
