import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from './errors.js';

/**
 * Checks, before any long work starts, that `path` can be written as a file: not a folder, and
 * its folder exists and is writable. A training run should not end in an unwritable path.
 */
export function assertWritableFile(path: string, option: string): void {
  const full = resolve(path);
  if (existsSync(full) && statSync(full).isDirectory()) throw new UsageError(`${option} ${path}: is a folder, expected a file path`);
  const folder = dirname(full);
  if (!existsSync(folder)) throw new UsageError(`${option} ${path}: folder ${folder} does not exist`);
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    throw new UsageError(`${option} ${path}: folder ${folder} is not writable`);
  }
}

/** Checks that `path` names a readable file, for an input option or argument. */
export function assertReadableFile(path: string, what: string): void {
  const full = resolve(path);
  if (!existsSync(full)) throw new UsageError(`${what} ${path}: no such file`);
  if (statSync(full).isDirectory()) throw new UsageError(`${what} ${path}: is a folder, expected a file`);
}
