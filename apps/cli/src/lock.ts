import { readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createFileExclusive, isProcessRunning } from '@nnkit/datasets/node';
import { UserError } from './errors.js';
import { realPath } from './paths.js';

/** The lock file of an output: `.NAME.lock` beside the file it names (links followed). */
export const lockPathOf = (path: string): string => {
  const real = realPath(path);
  return join(dirname(real), `.${basename(real)}.lock`);
};

/**
 * Claims the files a long run will write (`--out`, `--checkpoint`) with a lock file holding this
 * process's id, removed when the process exits. A second run claiming one of them while the
 * first is alive is refused, naming the first's pid; a lock left by a process that is gone
 * (killed) is taken over.
 */
export function lockOutputs(outputs: readonly { path: string | null; option: string }[]): void {
  const taken: string[] = [];
  const release = (): void => {
    for (const lock of taken) rmSync(lock, { force: true });
  };
  for (const { path, option } of outputs) {
    if (path === null) continue;
    const lock = lockPathOf(path);
    for (let attempt = 0; !createFileExclusive(lock, `${process.pid}\n`); attempt++) {
      let owner = Number.NaN;
      try {
        owner = Number.parseInt(readFileSync(lock, 'utf8'), 10);
      } catch {
        // Removed meanwhile: try again.
      }
      if (attempt > 0 || (Number.isInteger(owner) && owner !== process.pid && isProcessRunning(owner))) {
        release();
        throw new UserError(`${option} ${path}: another nnkit run (pid ${owner}) is writing it; wait for it to end or choose another file`);
      }
      rmSync(lock, { force: true }); // stale: its process is gone
    }
    taken.push(lock);
  }
  process.on('exit', release);
}
