import { jsKernels, sizeOf, type Kernels } from '@nnkit/tensor';
import type { Dataset } from './dataset.js';

/**
 * How pixel bytes p ∈ 0–255 become network inputs x:
 * - `scale` (default): x = p / 255 ∈ [0, 1] (Nielsen).
 * - `raw`: x = p.
 * - `binarize`: x = 1 if p / 255 ≥ threshold else 0 (threshold on the [0, 1] scale).
 * - `standardize`: x = (p / 255 − mean) / std (mean, std on the [0, 1] scale; MNIST ≈ 0.1307, 0.3081).
 */
export type Normalization =
  | { readonly kind: 'scale' }
  | { readonly kind: 'raw' }
  | { readonly kind: 'binarize'; readonly threshold: number }
  | { readonly kind: 'standardize'; readonly mean: number; readonly std: number };

const SCALE: Normalization = { kind: 'scale' };
const tables = new WeakMap<Normalization, Float32Array>();

/** The 256-entry table t with t[p] = x(p) for `normalization` (see `Normalization`). */
export function normalizationTable(normalization: Normalization = SCALE): Float32Array {
  const cached = tables.get(normalization);
  if (cached !== undefined) return cached;
  const table = new Float32Array(256);
  switch (normalization.kind) {
    case 'scale':
      for (let p = 0; p < 256; p++) table[p] = p / 255;
      break;
    case 'raw':
      for (let p = 0; p < 256; p++) table[p] = p;
      break;
    case 'binarize': {
      const { threshold } = normalization;
      if (!Number.isFinite(threshold)) throw new RangeError(`binarize: threshold must be a number in [0, 1], got ${threshold}`);
      for (let p = 0; p < 256; p++) table[p] = p / 255 >= threshold ? 1 : 0;
      break;
    }
    case 'standardize': {
      const { mean, std } = normalization;
      if (!Number.isFinite(mean) || !(std > 0) || !Number.isFinite(std)) {
        throw new RangeError(`standardize: needs a finite mean and a positive std, got mean ${mean}, std ${std}`);
      }
      for (let p = 0; p < 256; p++) table[p] = (p / 255 - mean) / std;
      break;
    }
    default:
      throw new RangeError(`unknown normalization ${JSON.stringify((normalization as { kind: unknown }).kind)} (expected scale, raw, binarize or standardize)`);
  }
  tables.set(normalization, table);
  return table;
}

/**
 * Writes images `indices[start..end)` of `dataset` (labels are not read), normalized, into `out` as a float32 batch
 * `[end − start, ...imageShape]` (row-major, image after image): the hot path of training, one
 * table lookup per pixel, run by `kernels.gatherBytes` (default `jsKernels`; the wasm kernels
 * gather into their own memory). `out` must hold at least (end − start) · imageSize floats.
 */
export function fillBatch(
  dataset: Pick<Dataset, 'images' | 'count' | 'imageShape' | 'name'>,
  indices: ArrayLike<number>,
  start: number,
  end: number,
  out: Float32Array,
  normalization?: Normalization,
  kernels: Pick<Kernels, 'gatherBytes'> = jsKernels,
): void {
  const imageSize = sizeOf(dataset.imageShape);
  const batch = end - start;
  if (!(start >= 0 && end <= indices.length && batch >= 0)) {
    throw new RangeError(`fillBatch: range [${start}, ${end}) is outside the ${indices.length} indices`);
  }
  if (out.length < batch * imageSize) {
    throw new RangeError(`fillBatch: out holds ${out.length} floats, the batch needs ${batch * imageSize}`);
  }
  const table = normalizationTable(normalization);
  const { count } = dataset;
  for (let b = start; b < end; b++) {
    const index = indices[b];
    if (!(index >= 0 && index < count)) throw new RangeError(`fillBatch: index ${index} is outside ${dataset.name} (${count} images)`);
  }
  kernels.gatherBytes(dataset.images, indices, start, end, imageSize, table, out);
}

/** Writes labels `indices[start..end)` of `dataset` into `out[0..end − start)`. */
export function fillLabels(dataset: Dataset, indices: ArrayLike<number>, start: number, end: number, out: Uint8Array | Int32Array | Float32Array): void {
  if (!(start >= 0 && end <= indices.length && end >= start)) throw new RangeError(`fillLabels: range [${start}, ${end}) is outside the ${indices.length} indices`);
  if (out.length < end - start) throw new RangeError(`fillLabels: out holds ${out.length} labels, the batch needs ${end - start}`);
  const { labels, count } = dataset;
  for (let b = 0; b < end - start; b++) {
    const index = indices[start + b];
    if (!(index >= 0 && index < count)) throw new RangeError(`fillLabels: index ${index} is outside ${dataset.name} (${count} images)`);
    out[b] = labels[index];
  }
}

/** Normalizes raw image bytes into `out` (same length): out[i] = table[bytes[i]]. */
export function normalizeBytes(bytes: Uint8Array, out: Float32Array, normalization?: Normalization): Float32Array {
  if (out.length < bytes.length) throw new RangeError(`normalizeBytes: out holds ${out.length} floats, needs ${bytes.length}`);
  const table = normalizationTable(normalization);
  for (let i = 0; i < bytes.length; i++) out[i] = table[bytes[i]];
  return out;
}

/**
 * Mean and standard deviation of all pixels of `dataset` on the [0, 1] scale (population std),
 * for `{kind: 'standardize', mean, std}`; computed exactly from a 256-bin histogram.
 */
export function pixelMeanStd(dataset: Dataset): { mean: number; std: number } {
  const histogram = new Float64Array(256);
  const { images } = dataset;
  for (let i = 0; i < images.length; i++) histogram[images[i]]++;
  let total = 0;
  let sum = 0;
  for (let p = 0; p < 256; p++) {
    total += histogram[p];
    sum += histogram[p] * (p / 255);
  }
  if (total === 0) throw new RangeError(`pixelMeanStd: ${dataset.name} has no pixels`);
  const mean = sum / total;
  let squares = 0;
  for (let p = 0; p < 256; p++) squares += histogram[p] * (p / 255 - mean) ** 2;
  return { mean, std: Math.sqrt(squares / total) };
}

/**
 * Parses a normalization named on a command line: `scale`, `raw`, `binarize` (threshold 0.5),
 * `binarize:0.3`, `standardize:MEAN/STD`. (`standardize` alone needs the data: use `pixelMeanStd`.)
 */
export function parseNormalization(spec: string): Normalization {
  const [name, argument] = spec.trim().split(':', 2);
  const numbers = (argument ?? '').split('/').map((part) => (part.trim() === '' ? Number.NaN : Number(part)));
  switch (name) {
    case 'scale':
    case 'raw':
      if (argument !== undefined) break;
      return { kind: name };
    case 'binarize':
      if (argument === undefined) return { kind: 'binarize', threshold: 0.5 };
      if (numbers.length === 1 && numbers[0] >= 0 && numbers[0] <= 1) return { kind: 'binarize', threshold: numbers[0] };
      throw new RangeError(`normalization "${spec}": binarize threshold must be a number in [0, 1]`);
    case 'standardize':
      if (numbers.length === 2 && Number.isFinite(numbers[0]) && numbers[1] > 0) return { kind: 'standardize', mean: numbers[0], std: numbers[1] };
      throw new RangeError(`normalization "${spec}": expected standardize:MEAN/STD with STD > 0, e.g. standardize:0.1307/0.3081`);
    default:
      throw new RangeError(`normalization "${spec}": unknown name "${name}" (expected scale, raw, binarize[:T] or standardize:MEAN/STD)`);
  }
  throw new RangeError(`normalization "${spec}": ${name} takes no argument`);
}
