import { writeFileAtomic } from '@nnkit/datasets/node';

/**
 * Writes a file the way every command writes one (models, run files, reports): to a temporary
 * file in the same folder, flushed, then renamed over `path` (`writeFileAtomic`, which the data
 * writers of `@nnkit/datasets/node` use too), so a killed run or a failed write never leaves a
 * half-written file. Text is written as UTF-8.
 */
export function writeOutputFile(path: string, content: string | Uint8Array): void {
  writeFileAtomic(path, typeof content === 'string' ? new TextEncoder().encode(content) : content);
}
