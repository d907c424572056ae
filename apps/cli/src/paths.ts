import { accessSync, constants, existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError, UserError } from './errors.js';

/** `-` as an output path: standard output, where the format allows it. */
export const STDOUT = '-';

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

/**
 * The file `path` really names: links followed; for a file not written yet, its folder's real
 * path joined with its name. Two paths name the same file when these are equal.
 */
export function realPath(path: string): string {
  const full = resolve(path);
  try {
    return realpathSync(full);
  } catch {
    try {
      return join(realpathSync(dirname(full)), basename(full));
    } catch {
      return full;
    }
  }
}

/** The files a data spec reads: `csv:FILE` that file, `idx:DIR` the folder and every file in it; `mnist` none of the user's. */
export function dataSpecFiles(spec: string): string[] {
  const colon = spec.indexOf(':');
  const kind = spec.slice(0, colon);
  const target = spec.slice(colon + 1);
  if (kind === 'csv') return [target];
  if (kind !== 'idx') return [];
  try {
    return [target, ...readdirSync(target).map((name) => join(target, name))];
  } catch {
    return [target];
  }
}

/**
 * Checks an output path before any work: writable (`assertWritableFile`; `-` is standard output
 * when `allowStdout`), and none of the command's `inputs` (same real path, links followed), which
 * writing it would destroy.
 */
export function assertOutputFile(path: string, option: string, inputs: readonly (string | undefined)[], options: { allowStdout?: boolean } = {}): void {
  if (path === STDOUT) {
    if (options.allowStdout) return;
    throw new UsageError(`${option} -: this output cannot go to standard output; name a file`);
  }
  assertWritableFile(path, option);
  const output = realPath(path);
  const input = inputs.find((candidate) => candidate !== undefined && candidate !== STDOUT && realPath(candidate) === output);
  if (input !== undefined) throw new UsageError(`${option} ${path}: is also an input of this command (${input}); write to another file`);
}

/**
 * Reads a text file named by `what` (an option or argument): a missing path or a folder is a
 * usage error (exit 2, `assertReadableFile`), a file that cannot be read (EACCES…) a one-line
 * error naming it (exit 1).
 */
export function readTextFile(path: string, what: string): string {
  assertReadableFile(path, what);
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UserError(`${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/** Checks that `path` names a readable file, for an input option or argument. */
export function assertReadableFile(path: string, what: string): void {
  const full = resolve(path);
  if (!existsSync(full)) throw new UsageError(`${what} ${path}: no such file`);
  if (statSync(full).isDirectory()) throw new UsageError(`${what} ${path}: is a folder, expected a file`);
}
