import { describe, expect, it } from 'vitest';
import { mnistSample } from '../test/mnist-sample.js';
import { DatasetError } from './dataset-error.js';
import { fetchMnist, fetchMnistSplit } from './fetch-mnist.js';
import { gzipBytes } from './gzip.js';
import { encodeIdxImages, encodeIdxLabels } from './idx.js';

describe('fetchMnist', () => {
  const train = mnistSample(12);
  const test = mnistSample(6, 't10k');

  async function server(gzip: boolean): Promise<Map<string, Uint8Array>> {
    const pack = async (bytes: Uint8Array) => (gzip ? gzipBytes(bytes) : bytes);
    const suffix = gzip ? '.gz' : '';
    return new Map([
      [`https://data.test/mnist/train-images-idx3-ubyte${suffix}`, await pack(encodeIdxImages(train))],
      [`https://data.test/mnist/train-labels-idx1-ubyte${suffix}`, await pack(encodeIdxLabels(train))],
      [`https://data.test/mnist/t10k-images-idx3-ubyte${suffix}`, await pack(encodeIdxImages(test))],
      [`https://data.test/mnist/t10k-labels-idx1-ubyte${suffix}`, await pack(encodeIdxLabels(test))],
    ]);
  }
  const fakeFetch = (files: Map<string, Uint8Array>) => async (url: string) => {
    const body = files.get(url);
    return body === undefined ? new Response('missing', { status: 404 }) : new Response(body.slice());
  };

  it('downloads and decodes the four files, plain or gzip', async () => {
    for (const gzip of [false, true]) {
      const data = await fetchMnist('https://data.test/mnist', { gzip, fetch: fakeFetch(await server(gzip)), limit: 10 });
      expect([data.train.count, data.test.count]).toEqual([10, 6]);
      expect([...data.train.labels.subarray(0, 5)]).toEqual([5, 0, 4, 1, 9]);
      expect(data.test.name).toBe('mnist:test');
    }
  });

  it('downloads one split alone, asking for its two files only', async () => {
    const files = await server(true);
    const asked: string[] = [];
    const fetch = fakeFetch(files);
    const test = await fetchMnistSplit('https://data.test/mnist', 'test', { gzip: true, fetch: (url) => (asked.push(url), fetch(url)) });
    expect(test.count).toBe(6);
    expect(test.name).toBe('mnist:test');
    expect(asked.sort()).toEqual(['https://data.test/mnist/t10k-images-idx3-ubyte.gz', 'https://data.test/mnist/t10k-labels-idx1-ubyte.gz']);
  });

  it('reports a missing file with its URL', async () => {
    const files = await server(false);
    files.delete('https://data.test/mnist/t10k-labels-idx1-ubyte');
    const failure = fetchMnist('https://data.test/mnist/', { fetch: fakeFetch(files) });
    await expect(failure).rejects.toBeInstanceOf(DatasetError);
    await expect(failure).rejects.toThrow('https://data.test/mnist/t10k-labels-idx1-ubyte: found HTTP 404; expected HTTP 200 with an IDX file');
  });
});
