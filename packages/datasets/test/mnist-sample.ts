// The first `count` MNIST images of a split, read straight from the @nnkit/mnist files so tests
// stay small and never depend on the code under test for their input.
import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { mnistDirectory } from '@nnkit/mnist';
import type { Dataset } from '../src/dataset.js';

const dataDirectory = mnistDirectory();

function readPrefix(file: string, start: number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  const handle = openSync(join(dataDirectory, file), 'r');
  try {
    readSync(handle, bytes, 0, length, start);
  } finally {
    closeSync(handle);
  }
  return bytes;
}

export function mnistSample(count: number, split: 'train' | 't10k' = 'train'): Dataset {
  return {
    images: readPrefix(`${split}-images-idx3-ubyte`, 16, count * 784),
    labels: readPrefix(`${split}-labels-idx1-ubyte`, 8, count),
    count,
    imageShape: [28, 28, 1],
    name: `mnist-sample:${split}`,
  };
}

export { dataDirectory as mnistDataDirectory };
