import { writeFileAtomic } from '@nnkit/datasets/node';
import { STDOUT } from './paths.js';

/**
 * Writes a file the way every command writes one (models, run files, reports): to a temporary
 * file in the same folder, flushed, then renamed over `path` (`writeFileAtomic`, which the data
 * writers of `@nnkit/datasets/node` use too), so a killed run or a failed write never leaves a
 * half-written file; `-` writes to standard output. Text is written as UTF-8.
 */
export function writeOutputFile(path: string, content: string | Uint8Array): void {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  if (path === STDOUT) process.stdout.write(bytes);
  else writeFileAtomic(path, bytes);
}

