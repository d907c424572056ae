import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Sequential } from '@nnkit/layers';
import { describe, InteropError, isRecord } from './errors.js';
import type { ExportOptions, ImportedModel } from './model-bridge.js';
import { fromNnkitBinary, isNnkitBinary, nnkitBinaryShards, toNnkitBinary, type NnkitBinaryOptions } from './nnkit-binary.js';
import { fromOnnx, toOnnx } from './onnx.js';
import { fromTfjs, manifestEntries, toTfjs, type TfjsExportOptions } from './tfjs.js';
import { joinShards } from './weights.js';

/**
 * Writes several files so that either all of them appear or none changes: each goes to a temp
 * file beside its target first, and only once every temp file is written are they renamed.
 */
export function writeFilesAtomic(files: readonly { readonly path: string; readonly bytes: Uint8Array | string }[]): void {
  const temps = files.map((file) => `${join(dirname(file.path), `.${basename(file.path)}.${randomBytes(4).toString('hex')}.tmp`)}`);
  try {
    files.forEach((file, index) => writeFileSync(temps[index], file.bytes));
    files.forEach((file, index) => renameSync(temps[index], file.path));
  } finally {
    for (const temp of temps) rmSync(temp, { force: true });
  }
}

function readShards(paths: readonly string[], beside: string): Uint8Array {
  return joinShards(
    paths.map((path) => {
      const full = join(dirname(beside), path);
      if (!existsSync(full) || !statSync(full).isFile()) throw new InteropError(beside, `weight shard ${path}: no such file (expected at ${full})`);
      return new Uint8Array(readFileSync(full));
    }),
  );
}

/** The files an export wrote and their sizes in bytes. */
export type WrittenFiles = { readonly path: string; readonly bytes: number }[];

/**
 * Writes `directory/model.json` and its shard `directory/weights.bin` (TensorFlow.js layers-model),
 * creating `directory` (not its parents) once the model has converted.
 */
export function writeTfjsModel(directory: string, model: Sequential, options: TfjsExportOptions = {}): WrittenFiles {
  const { modelJson, weightData } = toTfjs(model, options);
  if (!existsSync(directory)) mkdirSync(directory);
  const files = [
    { path: join(directory, modelJson.weightsManifest[0].paths[0]), bytes: weightData },
    { path: join(directory, 'model.json'), bytes: `${JSON.stringify(modelJson, null, 2)}\n` },
  ];
  writeFilesAtomic(files);
  return files.map((file) => ({ path: file.path, bytes: Buffer.byteLength(file.bytes) }));
}

/** Writes `path` as an ONNX model (opset 13). */
export function writeOnnxModel(path: string, model: Sequential, options: ExportOptions = {}): WrittenFiles {
  const bytes = toOnnx(model, options);
  writeFilesAtomic([{ path, bytes }]);
  return [{ path, bytes: bytes.length }];
}

/** Writes nnkit's binary form of the model file `text`: `path` (JSON) and its `.bin` shard beside it. */
export function writeNnkitBinary(path: string, text: string, options: NnkitBinaryOptions = {}): WrittenFiles {
  const weightsPath = options.weightsPath ?? `${basename(path).replace(/\.json$/i, '')}.bin`;
  const { json, weightData } = toNnkitBinary(text, { ...options, weightsPath }, path);
  const files = [
    { path: join(dirname(path), weightsPath), bytes: weightData },
    { path, bytes: json },
  ];
  writeFilesAtomic(files);
  return files.map((file) => ({ path: file.path, bytes: Buffer.byteLength(file.bytes) }));
}

/**
 * A model file's text as `loadModel` reads it: `text` itself, or, for nnkit's binary form, the
 * text rebuilt from the JSON and its shard beside `path`.
 */
export function expandModelText(path: string, text: string): string {
  if (!isNnkitBinary(text)) return text;
  return fromNnkitBinary(text, readShards(nnkitBinaryShards(text, path), path), path);
}

/**
 * Imports a model written elsewhere: an `.onnx` file, or a TensorFlow.js layers-model
 * `model.json` with its shards beside it. Errors name the file and what is wrong.
 */
export function importModelFile(path: string): ImportedModel {
  const bytes = new Uint8Array(readFileSync(path));
  const looksLikeJson = bytes.length > 0 && String.fromCharCode(bytes[0]) === '{';
  if (!looksLikeJson) return fromOnnx(bytes, path);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new InteropError(path, `not valid JSON (truncated or corrupted?): ${(error as Error).message}`);
  }
  if (!isRecord(json) || json.modelTopology === undefined) {
    throw new InteropError(path, `expected a TensorFlow.js model.json (modelTopology, weightsManifest) or an .onnx file, got ${isRecord(json) ? `an object with ${describe(Object.keys(json))}` : describe(json)}`);
  }
  const { specs, paths } = manifestEntries(json, path);
  return fromTfjs({ modelTopology: json.modelTopology, weightSpecs: specs, weightData: readShards(paths, path), userDefinedMetadata: json.userDefinedMetadata }, path);
}
