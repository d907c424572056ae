// Serves the real MNIST files with the app: the IDX files of the @nnkit/mnist package are
// gzipped once into public/data (gitignored), so `vite` serves them and `vite build` copies them
// into dist. 55 MB of raw IDX become about 11 MB on the wire; the worker gunzips them with
// DecompressionStream.
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { mnistDirectory } from '@nnkit/mnist';
import type { Plugin } from 'vite';

/** The four MNIST IDX files, by the names the app fetches (plus `.gz`). */
export const mnistFiles = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
] as const;

/** Gzips every MNIST IDX file into `outputDirectory` unless an up-to-date copy is there. */
export async function writeMnistAssets(outputDirectory: string): Promise<string[]> {
  const sourceDirectory = mnistDirectory();
  mkdirSync(outputDirectory, { recursive: true });
  const written: string[] = [];
  for (const name of mnistFiles) {
    const source = join(sourceDirectory, name);
    const target = join(outputDirectory, `${name}.gz`);
    if (existsSync(target) && statSync(target).mtimeMs >= statSync(source).mtimeMs) continue;
    // Write then rename, so an interrupted run never leaves a truncated file that looks fresh.
    const partial = `${target}.partial`;
    await pipeline(createReadStream(source), createGzip({ level: 6 }), createWriteStream(partial));
    renameSync(partial, target);
    written.push(target);
  }
  return written;
}

/** Vite plugin: makes sure public/data holds the gzipped MNIST files before serving or building. */
export function mnistAssets(outputDirectory: string): Plugin {
  let done: Promise<string[]> | undefined;
  return {
    name: 'nnkit-mnist-assets',
    async buildStart() {
      done ??= writeMnistAssets(outputDirectory);
      const written = await done;
      if (written.length > 0) this.info(`gzipped ${written.length} MNIST files into ${outputDirectory}`);
    },
  };
}
