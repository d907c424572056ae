import { formatShape, sizeOf } from '@nnkit/tensor';
import { describe, isRecord } from './errors.js';
import { fromFloat16Bits, toFloat16Bits } from './float16.js';

/** How stored weights are compressed: `float16` (2 bytes a value) or `uint8` (1 byte, affine per tensor). */
export type WeightQuantization = 'float16' | 'uint8';

/** Every supported quantization, for option parsers. */
export const weightQuantizations: readonly WeightQuantization[] = ['float16', 'uint8'];

/**
 * One entry of a `weightsManifest` (TensorFlow.js convention): the tensor's name, shape and
 * original dtype; `quantization` when its bytes are float16, or uint8 q with value = q·scale + min.
 */
export interface WeightSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: 'float32';
  readonly quantization?: { readonly dtype: 'float16' } | { readonly dtype: 'uint8'; readonly scale: number; readonly min: number };
}

/** A named float32 tensor, as it goes into or comes out of a weight shard. */
export interface NamedWeights {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/**
 * uint8 affine range of `data` as TensorFlow.js's converter computes it: scale = (max − min)/255,
 * min nudged to a multiple of scale so that 0 is stored exactly; a constant tensor gets scale 1.
 */
function uint8Range(data: Float32Array): { scale: number; min: number } {
  let low = Infinity;
  let high = -Infinity;
  for (const value of data) {
    if (value < low) low = value;
    if (value > high) high = value;
  }
  if (data.length === 0) return { scale: 1, min: 0 };
  if (low === high) return { scale: 1, min: low };
  const scale = (high - low) / 255;
  return { scale, min: Math.round(low / scale) * scale };
}

/**
 * Packs `entries` one after another into one shard, little-endian: float32 values as they are,
 * or quantized (`float16`: nearest half; `uint8`: q = round((x − min)/scale) clamped to 0–255).
 */
export function encodeWeights(entries: readonly NamedWeights[], quantization?: WeightQuantization): { specs: WeightSpec[]; data: Uint8Array } {
  const bytesPer = quantization === undefined ? 4 : quantization === 'float16' ? 2 : 1;
  const total = entries.reduce((sum, entry) => sum + entry.data.length * bytesPer, 0);
  const data = new Uint8Array(total);
  const view = new DataView(data.buffer);
  const specs: WeightSpec[] = [];
  let offset = 0;
  for (const entry of entries) {
    const base = { name: entry.name, shape: [...entry.shape], dtype: 'float32' as const };
    if (quantization === undefined) {
      entry.data.forEach((value, i) => view.setFloat32(offset + 4 * i, value, true));
      specs.push(base);
    } else if (quantization === 'float16') {
      entry.data.forEach((value, i) => view.setUint16(offset + 2 * i, toFloat16Bits(value), true));
      specs.push({ ...base, quantization: { dtype: 'float16' } });
    } else {
      const { scale, min } = uint8Range(entry.data);
      entry.data.forEach((value, i) => {
        data[offset + i] = Math.min(255, Math.max(0, Math.round((value - min) / scale)));
      });
      specs.push({ ...base, quantization: { dtype: 'uint8', scale, min } });
    }
    offset += entry.data.length * bytesPer;
  }
  return { specs, data };
}

/** The problem with one manifest entry, or the entry itself (checked). */
function readSpec(value: unknown, path: string): WeightSpec | string {
  if (!isRecord(value)) return `${path}: expected {name, shape, dtype}, got ${describe(value)}`;
  const { name, shape, dtype, quantization } = value;
  if (typeof name !== 'string') return `${path}.name: expected text, got ${describe(name)}`;
  if (!Array.isArray(shape) || !shape.every((dimension) => Number.isInteger(dimension) && dimension >= 0)) {
    return `${path}.shape (${name}): expected a list of sizes, got ${describe(shape)}`;
  }
  if (dtype !== 'float32') return `${path}.dtype (${name}): only float32 weights are supported, got ${describe(dtype)}`;
  if (quantization === undefined) return { name, shape, dtype };
  if (!isRecord(quantization)) return `${path}.quantization (${name}): expected an object, got ${describe(quantization)}`;
  if (quantization.dtype === 'float16') return { name, shape, dtype, quantization: { dtype: 'float16' } };
  if (quantization.dtype === 'uint8' || quantization.dtype === 'uint16') {
    const { scale, min } = quantization;
    if (typeof scale !== 'number' || typeof min !== 'number' || !Number.isFinite(scale) || !Number.isFinite(min)) {
      return `${path}.quantization (${name}): ${quantization.dtype} needs finite scale and min, got ${describe(quantization)}`;
    }
    if (quantization.dtype === 'uint16') return `${path}.quantization (${name}): uint16 weights are not supported (float16 and uint8 are)`;
    return { name, shape, dtype, quantization: { dtype: 'uint8', scale, min } };
  }
  return `${path}.quantization.dtype (${name}): expected float16 or uint8, got ${describe(quantization.dtype)}`;
}

/**
 * Reads the tensors a manifest's `specs` describe out of `data` (the shards joined in order),
 * dequantizing to float32 as TensorFlow.js does. Throws an Error whose one-line message names
 * the entry at fault: a bad field, a shard too short for the manifest, bytes left over.
 */
export function decodeWeights(specs: unknown, data: Uint8Array, where = 'weightsManifest'): Map<string, NamedWeights> {
  if (!Array.isArray(specs)) throw new Error(`${where}: expected a list of weights, got ${describe(specs)}`);
  const result = new Map<string, NamedWeights>();
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let offset = 0;
  specs.forEach((value, index) => {
    const spec = readSpec(value, `${where}[${index}]`);
    if (typeof spec === 'string') throw new Error(spec);
    const count = sizeOf(spec.shape);
    const bytesPer = spec.quantization === undefined ? 4 : spec.quantization.dtype === 'float16' ? 2 : 1;
    const end = offset + count * bytesPer;
    if (end > data.length) {
      throw new Error(`the weight shard is too short: ${spec.name} ${formatShape(spec.shape)} needs bytes ${offset}–${end}, the shard has ${data.length}`);
    }
    const values = new Float32Array(count);
    const quantization = spec.quantization;
    if (quantization === undefined) for (let i = 0; i < count; i++) values[i] = view.getFloat32(offset + 4 * i, true);
    else if (quantization.dtype === 'float16') for (let i = 0; i < count; i++) values[i] = fromFloat16Bits(view.getUint16(offset + 2 * i, true));
    else for (let i = 0; i < count; i++) values[i] = data[offset + i] * quantization.scale + quantization.min;
    if (result.has(spec.name)) throw new Error(`${where}[${index}]: weight ${spec.name} is listed twice`);
    result.set(spec.name, { name: spec.name, shape: spec.shape, data: values });
    offset = end;
  });
  if (offset !== data.length) throw new Error(`the weight shard has ${data.length} bytes, the manifest describes ${offset}`);
  return result;
}

/** The shards of a manifest joined in order, as TensorFlow.js reads them. */
export function joinShards(shards: readonly Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(shards.reduce((sum, shard) => sum + shard.length, 0));
  let offset = 0;
  for (const shard of shards) {
    joined.set(shard, offset);
    offset += shard.length;
  }
  return joined;
}
