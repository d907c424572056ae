// The record network (`nnkit train --preset record`, docs/accuracy.md) as a second pre-trained
// model: 326 410 weights in nnkit's binary form (a small JSON file and a 1.3 MB .bin), copied
// from the repository's models/ folder at build time and fetched only when someone chooses it.
import { fromNnkitBinary, joinShards, nnkitBinaryShards } from '@nnkit/interop';
import { loadModel } from './nnkit.js';

/** Where the build puts the record network, relative to the page. */
export const recordModelPath = 'models/record/record.json';

/** Fetches the record network and returns it as nnkit-model text, with the test accuracy its file records. */
export async function fetchRecordModel(base: string | URL): Promise<{ text: string; recordedAccuracy?: number }> {
  const url = new URL(recordModelPath, base);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${recordModelPath}: HTTP ${response.status}`);
  const json = await response.text();
  const shards = await Promise.all(
    nnkitBinaryShards(json, recordModelPath).map(async (path) => {
      const shard = await fetch(new URL(path, url));
      if (!shard.ok) throw new Error(`${path}: HTTP ${shard.status}`);
      return new Uint8Array(await shard.arrayBuffer());
    }),
  );
  const text = fromNnkitBinary(json, joinShards(shards), recordModelPath);
  const accuracy = loadModel(text, recordModelPath).meta?.testAccuracy;
  return { text, ...(typeof accuracy === 'number' && accuracy > 0 && accuracy <= 1 ? { recordedAccuracy: accuracy } : {}) };
}
