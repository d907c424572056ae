// MNIST as served with the app: four gzipped IDX files next to index.html, fetched in parallel
// and gunzipped by the browser's DecompressionStream.
import type { Dataset } from '@nnkit/datasets';
import { parseIdxImages, parseIdxLabels } from './nnkit.js';

/** The 60 000 training and 10 000 test digits. */
export interface Mnist {
  readonly train: Dataset;
  readonly test: Dataset;
}

async function fetchGunzipped(baseUrl: string, name: string): Promise<Uint8Array> {
  const url = new URL(`${name}.gz`, baseUrl);
  const response = await fetch(url);
  if (!response.ok || response.body === null) throw new Error(`${url.pathname}: HTTP ${response.status} (are the MNIST files served?)`);
  // Servers may already have removed the gzip layer (Content-Encoding); check the magic bytes.
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Fetches and parses the four MNIST files under `baseUrl` (a folder URL ending in `/`). */
export async function loadMnist(baseUrl: string): Promise<Mnist> {
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all(
    ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'].map((name) =>
      fetchGunzipped(baseUrl, name),
    ),
  );
  const dataset = (imagesBytes: Uint8Array, labelsBytes: Uint8Array, name: string): Dataset => {
    const images = parseIdxImages(imagesBytes, `${name}-images`);
    const labels = parseIdxLabels(labelsBytes, `${name}-labels`);
    return { images: images.images, labels, count: images.count, imageShape: images.imageShape, name: `mnist:${name}` };
  };
  return { train: dataset(trainImages, trainLabels, 'train'), test: dataset(testImages, testLabels, 't10k') };
}
