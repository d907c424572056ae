import { decodeFloat32, encodeFloat32 } from '@nnkit/tensor';
import { describe, InteropError, isRecord } from './errors.js';
import { decodeWeights, encodeWeights, type NamedWeights, type WeightQuantization, type WeightSpec } from './weights.js';

/** Options of `toNnkitBinary`: quantization of the stored weights, the shard's file name. */
export interface NnkitBinaryOptions {
  readonly quantization?: WeightQuantization;
  /** File name of the shard, relative to the JSON file (default `model.bin`). */
  readonly weightsPath?: string;
}

/**
 * nnkit's binary model form: the JSON of `saveModel` with every layer's `params` emptied and a
 * TensorFlow.js-style `weightsManifest` (`layers[i].<name>` entries, float32 or quantized) naming
 * one `.bin` shard that holds the values. `text` is a model file as `saveModel` writes it.
 */
export function toNnkitBinary(text: string, options: NnkitBinaryOptions = {}, source = 'model'): { json: string; weightData: Uint8Array } {
  const file: unknown = JSON.parse(text);
  if (!isRecord(file) || !Array.isArray(file.layers)) throw new InteropError(source, 'not an nnkit model file');
  const weights: NamedWeights[] = [];
  const layers = file.layers.map((layer: unknown, index: number) => {
    if (!isRecord(layer) || !isRecord(layer.params)) throw new InteropError(source, `layers[${index}]: expected {config, params}`);
    for (const [name, value] of Object.entries(layer.params)) {
      const entry = value as { shape: number[]; data: string };
      weights.push({ name: `layers[${index}].${name}`, shape: entry.shape, data: decodeFloat32(entry.data) });
    }
    return { ...layer, params: {} };
  });
  const { specs, data } = encodeWeights(weights, options.quantization);
  const binary = { ...file, layers, weightsManifest: [{ paths: [options.weightsPath ?? 'model.bin'], weights: specs }] };
  return { json: `${JSON.stringify(binary, null, 2)}\n`, weightData: data };
}

/** Whether `text` is nnkit's binary model form (a model file whose values sit in a shard). */
export function isNnkitBinary(text: string): boolean {
  if (!text.includes('"weightsManifest"')) return false;
  try {
    const file: unknown = JSON.parse(text);
    return isRecord(file) && file.format === 'nnkit-model' && Array.isArray(file.weightsManifest);
  } catch {
    return false;
  }
}

/** The shard paths a binary model names, in order. */
export function nnkitBinaryShards(text: string, source = 'model'): string[] {
  const file = JSON.parse(text) as { weightsManifest: unknown[] };
  return file.weightsManifest.flatMap((group, index) => {
    if (!isRecord(group) || !Array.isArray(group.paths) || !group.paths.every((path) => typeof path === 'string')) {
      throw new InteropError(source, `weightsManifest[${index}]: expected {paths, weights}, got ${describe(group)}`);
    }
    return group.paths as string[];
  });
}

/**
 * The ordinary model file text for a binary model `text` and its shards joined (`weightData`):
 * the values go back into each layer's `params` (dequantized to float32), ready for `loadModel`,
 * which validates the rest. A short shard or a missing value throws `InteropError` naming `source`.
 */
export function fromNnkitBinary(text: string, weightData: Uint8Array, source = 'model'): string {
  const file = JSON.parse(text) as Record<string, unknown> & { layers: unknown[]; weightsManifest: { weights: WeightSpec[] }[] };
  let weights: Map<string, NamedWeights>;
  try {
    weights = decodeWeights(
      file.weightsManifest.flatMap((group) => group.weights),
      weightData,
    );
  } catch (error) {
    throw new InteropError(source, (error as Error).message);
  }
  const layers = file.layers.map((layer, index) => {
    if (!isRecord(layer)) return layer;
    const params: Record<string, { shape: readonly number[]; data: string }> = {};
    for (const [name, entry] of weights) {
      const prefix = `layers[${index}].`;
      if (name.startsWith(prefix)) params[name.slice(prefix.length)] = { shape: entry.shape, data: encodeFloat32(entry.data) };
    }
    return { ...layer, params };
  });
  const { weightsManifest: _manifest, ...rest } = file;
  return JSON.stringify({ ...rest, layers });
}
