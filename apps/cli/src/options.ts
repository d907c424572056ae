import { InvalidArgumentError } from 'commander';
import { UsageError } from './errors.js';
import { maxThreads } from './limits.js';

/** Commander parser for a positive integer option. */
export function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(parsed) || parsed <= 0) {
    throw new InvalidArgumentError(`expected a positive integer, got '${value}'`);
  }
  return parsed;
}

/** Commander parser for `--threads`: a positive integer up to `maxThreads()` (four per core). */
export function threadCount(value: string): number {
  const threads = positiveInteger(value);
  if (threads > maxThreads()) throw new InvalidArgumentError(`expected at most ${maxThreads()} threads (4 per core), got '${value}'`);
  return threads;
}

/**
 * Refuses an option whose value asks for more than the data or memory allows, naming it:
 * `--batch-size 1000000000: more than the 45,000 training images of mnist`.
 */
export function assertAtMost(option: string, value: number, limit: number, what: string): void {
  if (value > limit) throw new UsageError(`${option} ${value}: more than ${what}`);
}

/** Commander parser for a non-negative integer option (seeds). */
export function nonNegativeInteger(value: string): number {
  const parsed = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(parsed)) {
    throw new InvalidArgumentError(`expected a non-negative integer, got '${value}'`);
  }
  return parsed;
}

/** Commander parser for a positive finite number option (learning rates). */
export function positiveNumber(value: string): number {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed <= 0) {
    throw new InvalidArgumentError(`expected a positive number, got '${value}'`);
  }
  return parsed;
}

/** Commander parser for a non-negative finite number option (regularisation strengths). */
export function nonNegativeNumber(value: string): number {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed < 0) {
    throw new InvalidArgumentError(`expected a number >= 0, got '${value}'`);
  }
  return parsed;
}

/** Commander parser for a fraction in (0, 1). */
export function fraction(value: string): number {
  const parsed = Number(value);
  if (value.trim() === '' || !(parsed > 0 && parsed < 1)) {
    throw new InvalidArgumentError(`expected a number between 0 and 1, got '${value}'`);
  }
  return parsed;
}

/** Commander parser for a label-smoothing ε in [0, 1). */
export function labelSmoothing(value: string): number {
  const parsed = Number(value);
  if (value.trim() === '' || !(parsed >= 0 && parsed < 1)) {
    throw new InvalidArgumentError(`expected a number in [0, 1), got '${value}'`);
  }
  return parsed;
}

/** Commander parser for a number of test-time augmentation views, 1 to 9. */
export function testTimeViews(value: string): number {
  const parsed = positiveInteger(value);
  if (parsed > 9) throw new InvalidArgumentError(`expected a number of views from 1 to 9, got '${value}'`);
  return parsed;
}

/** Commander parser factory for one of a fixed set of words. */
export function oneOf<T extends string>(choices: readonly T[]): (value: string) => T {
  return (value: string) => {
    if (!(choices as readonly string[]).includes(value)) {
      throw new InvalidArgumentError(`expected one of ${choices.join(', ')}, got '${value}'`);
    }
    return value as T;
  };
}
