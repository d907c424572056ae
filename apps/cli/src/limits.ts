import { availableParallelism } from 'node:os';
import { defaultMaxPixels } from '@nnkit/datasets';
import { defaultMaxParams } from '@nnkit/layers';
import { UsageError } from './errors.js';

/**
 * Resource limits for what a file may ask of the command, each overridable by an environment
 * variable (a positive integer) for the rare file that legitimately needs more.
 */
export const limitVariables = {
  /** Parameter values a model file or checkpoint may store (float32 each). */
  NNKIT_MAX_PARAMS: defaultMaxParams,
  /** Pixels (width × height) of an image to decode, read from its header first. */
  NNKIT_MAX_PIXELS: defaultMaxPixels,
} as const;

/** The limit `name`: its environment variable when set, else its default. */
export function limit(name: keyof typeof limitVariables): number {
  const text = process.env[name];
  if (text === undefined || text === '') return limitVariables[name];
  const value = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(value) || value <= 0) throw new UsageError(`${name}=${text}: expected a positive integer`);
  return value;
}

/** The most threads `--threads` accepts: four per core (more only adds memory and switching). */
export const maxThreads = (): number => 4 * availableParallelism();
