import type seedrandom from 'seedrandom';
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

type AleaPrng = (() => number) & { state(): unknown };

/** Creates a stream from `seed`, or continues one from a saved `state`. */
export function createRng(seed: number | string, state?: RngState): Rng {
  const seedText = String(seed);
  const prng = (
    state === undefined
      ? alea(seedText, { state: true })
      : alea('', { state: state.alea as seedrandom.State.Alea })
  ) as unknown as AleaPrng;
  const next = (): number => prng();
  const rng: Rng = {
    seed: seedText,
    next,
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
      return { seed: seedText, alea: prng.state() };
    },
  };
  return rng;
}
