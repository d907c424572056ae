import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type Dataset, type Normalization, parseNormalization } from '@nnkit/datasets';
import { loadModel, ModelFormatError, type Sequential } from '@nnkit/layers';
import { formatShape, sizeOf } from '@nnkit/tensor';
import { presets } from '@nnkit/train';
import { InteropError, isNnkitBinary, nnkitBinaryShards } from '@nnkit/interop';
import { expandModelText } from '@nnkit/interop/node';
import { UserError } from './errors.js';
import { limit } from './limits.js';
import { readTextFile } from './paths.js';

/** A model file read from disk: the model, and what `saveModel` stored beside it. */
export interface ModelFile {
  readonly path: string;
  readonly bytes: number;
  readonly model: Sequential;
  /** Per-epoch records when the file carries a training history (a list of objects), else undefined. */
  readonly history?: readonly Record<string, unknown>[];
  readonly meta?: Readonly<Record<string, unknown>>;
}

/** A plain JSON object (not null, not a list). */
export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The files reading the model at `path` touches, which no output may overwrite: the file, and
 * the weight shards its binary form names beside it (`FILE.bin`). The path alone when it cannot
 * be read or parsed (reading the model reports that).
 */
export function modelInputFiles(path: string): string[] {
  try {
    const text = readFileSync(path, 'utf8');
    return isNnkitBinary(text) ? [path, ...nnkitBinaryShards(text, path).map((shard) => join(dirname(path), shard))] : [path];
  } catch {
    return [path];
  }
}

/**
 * Reads and validates a model file (`loadModel`). A missing path is a usage error (exit 2); any
 * problem inside the file becomes one line naming the file and the field (exit 1).
 */
export function readModelFile(path: string): ModelFile {
  let text = readTextFile(path, 'model');
  let loaded: ReturnType<typeof loadModel>;
  try {
    // nnkit's binary form (JSON + .bin shard) becomes the ordinary text here.
    text = expandModelText(path, text);
    loaded = loadModel(text, path, { maxParams: limit('NNKIT_MAX_PARAMS') });
  } catch (error) {
    if (error instanceof ModelFormatError || error instanceof InteropError) throw new UserError(error.message);
    // Anything else a layer constructor raised on a hand-edited config: still one line naming the file.
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    throw new UserError(`${path}: ${message}`);
  }
  const history = Array.isArray(loaded.history) && loaded.history.length > 0 && loaded.history.every(isRecord) ? loaded.history : undefined;
  return {
    path,
    bytes: Buffer.byteLength(text),
    model: loaded.model,
    ...(history === undefined ? {} : { history }),
    ...(loaded.meta === undefined ? {} : { meta: loaded.meta }),
  };
}

/** Number of classes the model scores: its output width. */
export function classCount(model: Sequential): number {
  return sizeOf(model.outputShape);
}

/**
 * Checks that `dataset` can be fed to the model and scored against it: same values per image,
 * and (when labelled) no label beyond the model's outputs. Errors name the model file and the data.
 */
export function assertModelFits(file: ModelFile, dataset: Dataset): void {
  const { model } = file;
  if (sizeOf(dataset.imageShape) !== sizeOf(model.inputShape)) {
    throw new UserError(`${file.path}: the model takes ${formatShape(model.inputShape)} images but ${dataset.name} has ${formatShape(dataset.imageShape)} images`);
  }
  if (dataset.unlabelled) return;
  const classes = classCount(model);
  for (let i = 0; i < dataset.count; i++) {
    if (dataset.labels[i] >= classes) {
      throw new UserError(`${file.path}: the model has ${classes} outputs but ${dataset.name} image ${i} has label ${dataset.labels[i]}`);
    }
  }
}

/**
 * A training setting recorded in the file's metadata: `meta[key]`, or `meta.settings[key]` (where
 * `nnkit train` keeps its options); undefined when absent or null.
 */
export function metaSetting(file: ModelFile, key: string): unknown {
  const meta = file.meta;
  if (meta === undefined) return undefined;
  if (meta[key] !== undefined && meta[key] !== null) return meta[key];
  const settings = meta.settings;
  return isRecord(settings) && settings[key] !== null ? settings[key] : undefined;
}

/**
 * The pixel normalization the model was trained with: `meta.normalization` (text such as
 * `standardize:0.1307/0.3081`, or a `Normalization` object), else its preset's, else the default
 * scaling to [0, 1].
 */
export function modelNormalization(file: ModelFile): Normalization | undefined {
  const stored = metaSetting(file, 'normalization');
  if (stored !== undefined) {
    try {
      if (typeof stored === 'string') return parseNormalization(stored);
      if (isRecord(stored) && typeof stored.kind === 'string') {
        const { kind, threshold, mean, std } = stored;
        return parseNormalization(kind === 'binarize' ? `binarize:${String(threshold)}` : kind === 'standardize' ? `standardize:${String(mean)}/${String(std)}` : kind);
      }
    } catch (error) {
      throw new UserError(`${file.path}: meta.normalization: ${(error as Error).message}`);
    }
    throw new UserError(`${file.path}: meta.normalization: expected text like "scale" or "standardize:MEAN/STD", got ${JSON.stringify(stored)}`);
  }
  const presetName = metaSetting(file, 'preset');
  if (typeof presetName === 'string' && Object.prototype.hasOwnProperty.call(presets, presetName)) return presets[presetName].normalization;
  return undefined;
}

/**
 * The test-time views the model's reported test accuracy averaged over: its training's `--tta`
 * (`meta.settings.testTimeViews`), else its preset's, else 1 (the image alone).
 */
export function modelTestTimeViews(file: ModelFile): number {
  const stored = metaSetting(file, 'testTimeViews');
  if (typeof stored === 'number' && Number.isInteger(stored) && stored >= 1 && stored <= 9) return stored;
  const presetName = metaSetting(file, 'preset');
  if (typeof presetName === 'string' && Object.prototype.hasOwnProperty.call(presets, presetName)) return presets[presetName].testTimeViews ?? 1;
  return 1;
}

/** A layer config without its kind, compactly: `units 32, init he` (`""` when it has no settings). */
export function formatLayerConfig(config: { readonly kind: string }): string {
  return Object.entries(config)
    .filter(([key, value]) => key !== 'kind' && value !== undefined)
    .map(([key, value]) => `${key} ${Array.isArray(value) ? `[${value.join(', ')}]` : typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)}`)
    .join(', ');
}

/**
 * A metadata value in one line: text as is, `{kind: 'adam', learningRate: 0.005}` as
 * `adam (learningRate 0.005)`, other objects as `key value · key value` without the nulls.
 */
export function describeSetting(value: unknown): string {
  if (typeof value === 'string') return value;
  if (!isRecord(value)) return JSON.stringify(value) ?? String(value);
  const entries = Object.entries(value).filter(([key, entry]) => entry !== null && entry !== undefined && key !== 'kind');
  const text = (entry: unknown) => (isRecord(entry) ? describeSetting(entry) : typeof entry === 'string' ? entry : JSON.stringify(entry));
  if (typeof value.kind === 'string') return entries.length === 0 ? value.kind : `${value.kind} (${entries.map(([key, entry]) => `${key} ${text(entry)}`).join(', ')})`;
  return entries.map(([key, entry]) => `${key} ${text(entry)}`).join(' · ');
}
