import type { Dataset } from './dataset.js';
import { DatasetError } from './dataset-error.js';
import { readIdxDataset } from './idx.js';
import { sliceDataset } from './splits.js';

/** The four MNIST file names, without the `.gz` suffix. */
export const MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

/** Options for `fetchMnist`. */
export interface FetchMnistOptions {
  /** Append `.gz` to the file names (the files are gunzipped either way when gzip). Default false. */
  readonly gzip?: boolean;
  /** Keep only the first `limit` images of each split. */
  readonly limit?: number;
  /** The fetch to use (default: the global one). */
  readonly fetch?: (url: string) => Promise<Response>;
}

/** One of MNIST's two splits. */
export type MnistSplit = 'train' | 'test';

/**
 * Downloads one MNIST split's two IDX files from `baseUrl` (a folder URL; each file plain or
 * gzip) and decodes them: 60 000 training or 10 000 test images. A page can fetch the test
 * images (1.6 MB gzipped) at once and the training images (9.8 MB) only when it trains.
 */
export async function fetchMnistSplit(baseUrl: string, split: MnistSplit, options: FetchMnistOptions = {}): Promise<Dataset> {
  const get = options.fetch ?? ((url: string) => fetch(url));
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const suffix = options.gzip ? '.gz' : '';
  const download = async (name: string): Promise<{ url: string; bytes: Uint8Array }> => {
    const url = `${base}${name}${suffix}`;
    let response: Response;
    try {
      response = await get(url);
    } catch (error) {
      throw new DatasetError({ file: url, found: `a network error (${error instanceof Error ? error.message : String(error)})`, expected: 'a downloadable IDX file' });
    }
    if (!response.ok) throw new DatasetError({ file: url, found: `HTTP ${response.status}`, expected: 'HTTP 200 with an IDX file' });
    return { url, bytes: new Uint8Array(await response.arrayBuffer()) };
  };
  const [imagesName, labelsName] = split === 'train' ? [MNIST_FILES.trainImages, MNIST_FILES.trainLabels] : [MNIST_FILES.testImages, MNIST_FILES.testLabels];
  const [images, labels] = await Promise.all([download(imagesName), download(labelsName)]);
  const name = `mnist:${split}`;
  const dataset = await readIdxDataset(images.bytes, labels.bytes, { images: images.url, labels: labels.url, name });
  return options.limit === undefined ? dataset : sliceDataset(dataset, 0, Math.min(options.limit, dataset.count), name);
}

/**
 * Downloads MNIST's four IDX files from `baseUrl` (a folder URL; each file plain or gzip) and
 * decodes them: 60 000 training and 10 000 test images. For the browser; Node uses `loadMnist`.
 */
export async function fetchMnist(baseUrl: string, options: FetchMnistOptions = {}): Promise<{ train: Dataset; test: Dataset }> {
  const [train, test] = await Promise.all([fetchMnistSplit(baseUrl, 'train', options), fetchMnistSplit(baseUrl, 'test', options)]);
  return { train, test };
}
