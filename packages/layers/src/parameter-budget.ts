import type { Rng } from '@nnkit/tensor';
import { ModelDefinitionError } from './errors.js';
import { type ModelDefinition, Sequential } from './sequential.js';

/**
 * The most parameter values `loadModel` and `buildSequential` accept by default: 100 million
 * float32 values (400 MB), some sixty times the largest preset (nielsen-ch6-dropout, 1.7 million).
 */
export const defaultMaxParams = 100_000_000;

/** Raised by a budgeted stream when the layer drawing from it (`label`, e.g. `layers[2]`) went past the budget. */
class ParameterBudgetExceeded extends Error {
  constructor(readonly label: string) {
    super(`${label}: parameter budget exceeded`);
  }
}

/**
 * `rng` with a shared budget of `limit` draws over it and every fork: a layer initialises each
 * weight with one draw, so a layer declaring more weights than the budget stops at the first draw
 * past it, before it has touched (paged in) the rest of its array.
 */
function budgetedRng(rng: Rng, counter: { left: number }, label: string): Rng {
  const spend = (): void => {
    if (--counter.left < 0) throw new ParameterBudgetExceeded(label);
  };
  return {
    seed: rng.seed,
    next: () => (spend(), rng.next()),
    fill: (out, count = out.length) => {
      counter.left -= count;
      if (counter.left < 0) throw new ParameterBudgetExceeded(label);
      rng.fill(out, count);
    },
    uniform: (low, high) => (spend(), rng.uniform(low, high)),
    normal: (mean, std) => (spend(), rng.normal(mean, std)),
    int: (n) => (spend(), rng.int(n)),
    shuffle: (items) => rng.shuffle(items),
    permutation: (n) => rng.permutation(n),
    fork: (forkLabel) => budgetedRng(rng.fork(forkLabel), counter, forkLabel),
    getState: () => rng.getState(),
  };
}

/** A definition declares more parameter values than allowed (`ModelDefinitionError` naming the layer). */
export class ParameterLimitError extends ModelDefinitionError {
  constructor(path: string, readonly limit: number, layerIndex?: number) {
    super(path, `declares more than ${limit.toLocaleString('en-US')} parameter values`, layerIndex);
    this.name = 'ParameterLimitError';
  }
}

/**
 * `new Sequential(definition, rng)` (the same parameters, draw for draw) for a definition from
 * outside (a file, a link): it refuses with a `ModelDefinitionError` naming the layer once the
 * layers would initialise more than `maxParams` random values, or ask for an array too large to
 * allocate, instead of filling gigabytes first.
 */
export function buildSequential(definition: ModelDefinition, rng: Rng, maxParams: number = defaultMaxParams): Sequential {
  try {
    return new Sequential(definition, budgetedRng(rng, { left: maxParams }, 'layers'));
  } catch (error) {
    if (error instanceof ParameterBudgetExceeded) {
      const index = /^layers\[(\d+)\]$/.exec(error.label)?.[1];
      throw new ParameterLimitError(error.label, maxParams, index === undefined ? undefined : Number(index));
    }
    if (error instanceof RangeError && /array|allocation/i.test(error.message)) {
      throw new ParameterLimitError('layers', maxParams);
    }
    throw error;
  }
}
