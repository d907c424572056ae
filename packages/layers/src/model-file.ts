import { createRng, decodeFloat32, encodeFloat32, formatShape, sizeOf } from '@nnkit/tensor';
import { ModelDefinitionError, ModelFormatError } from './errors.js';
import { buildSequential, defaultMaxParams, ParameterLimitError } from './parameter-budget.js';
import type { LayerSpec } from './registry.js';
import type { Sequential } from './sequential.js';

/** The file format's name and version, checked on load. */
export const modelFormat = { name: 'nnkit-model', version: 1 } as const;

/** Optional extras stored next to the model: training history and free-form metadata (JSON-able). */
export interface ModelExtras {
  readonly history?: unknown;
  readonly meta?: Record<string, unknown>;
}

/**
 * Serialises `model` as JSON text: `{format: 'nnkit-model', version: 1, inputShape, loss,
 * layers: [{config, trainable?, params: {<name>: {shape, data}}}], history?, meta?}`, where `data`
 * is the base64 of the float32 values in little-endian order; `trainable: false` marks a frozen
 * layer (`Sequential.freeze`). Layer state (batch-norm running
 * statistics) is stored among `params`. Identical output in Node and browsers.
 */
export function saveModel(model: Sequential, extras: ModelExtras = {}): string {
  const file = {
    format: modelFormat.name,
    version: modelFormat.version,
    inputShape: model.inputShape,
    loss: model.loss.config,
    layers: model.layers.map((layer, index) => ({
      config: layer.config,
      ...(model.frozenLayers().includes(index) ? { trainable: false } : {}),
      params: Object.fromEntries(
        [...layer.params, ...(layer.state ?? [])].map((entry) => [
          entry.name,
          { shape: entry.value.shape, data: encodeFloat32(entry.value.data) },
        ]),
      ),
    })),
    ...(extras.history === undefined ? {} : { history: extras.history }),
    ...(extras.meta === undefined ? {} : { meta: extras.meta }),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Options of `loadModel`. */
export interface LoadModelOptions {
  /** The most parameter values the file may store (default `defaultMaxParams`, 100 million). */
  readonly maxParams?: number;
}

/** How deep a model file's JSON may nest: far more than any field needs, far less than what overflows a recursive reader. */
const MAX_DEPTH = 64;

/** Whether JSON `value` nests objects and lists deeper than `limit` levels (walked without recursion). */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  while (pending.length > 0) {
    const [item, depth] = pending.pop()!;
    if (typeof item !== 'object' || item === null) continue;
    if (depth > limit) return true;
    for (const child of Object.values(item)) if (typeof child === 'object' && child !== null) pending.push([child, depth + 1]);
  }
  return false;
}

/** Float32 values in base64 text of `length` characters (padding ignored: an upper bound). */
const valuesInBase64 = (length: number): number => Math.floor((length * 3) / 4 / 4);

/**
 * Parses and validates a model file written by `saveModel` and rebuilds the model with its
 * exact parameters (predictions are reproduced bit for bit). Only JSON is parsed; nothing in the
 * file is evaluated. The layers are built only within what the file stores: a config declaring
 * more parameters than the file's data (or more than `maxParams`) is refused before anything
 * that size is filled. Any problem throws `ModelFormatError` naming `source` and the field path.
 */
export function loadModel(
  text: string,
  source = 'model',
  options: LoadModelOptions = {},
): { model: Sequential; history?: unknown; meta?: Record<string, unknown> } {
  const maxParams = options.maxParams ?? defaultMaxParams;
  const fail = (path: string, problem: string): never => {
    throw new ModelFormatError(source, path, problem);
  };
  let file: unknown;
  try {
    file = JSON.parse(text);
  } catch (error) {
    fail('', `not valid JSON (truncated or corrupted?): ${(error as Error).message}`);
  }
  if (!isRecord(file)) return fail('', `expected a JSON object, got ${describe(file)}`);
  for (const [key, value] of Object.entries(file)) {
    if (nestsDeeperThan(value, MAX_DEPTH)) fail(key, `nested more than ${MAX_DEPTH} levels deep`);
  }
  if (file.format !== modelFormat.name) fail('format', `expected "${modelFormat.name}", got ${describe(file.format)}`);
  if (file.version !== modelFormat.version) {
    fail('version', `expected ${modelFormat.version}, got ${describe(file.version)}${typeof file.version === 'number' && file.version > modelFormat.version ? ' (written by a newer nnkit)' : ''}`);
  }
  if (!Array.isArray(file.layers)) fail('layers', `expected a list, got ${describe(file.layers)}`);
  const fileLayers = file.layers as unknown[];
  fileLayers.forEach((entry, index) => {
    if (!isRecord(entry)) fail(`layers[${index}]`, `expected an object {config, params}, got ${describe(entry)}`);
    const record = entry as Record<string, unknown>;
    if (!isRecord(record.config)) fail(`layers[${index}].config`, `expected an object, got ${describe(record.config)}`);
    if (!isRecord(record.params)) fail(`layers[${index}].params`, `expected an object, got ${describe(record.params)}`);
    if (record.trainable !== undefined && typeof record.trainable !== 'boolean') fail(`layers[${index}].trainable`, `expected true or false, got ${describe(record.trainable)}`);
  });
  if (file.meta !== undefined && !isRecord(file.meta)) fail('meta', `expected an object, got ${describe(file.meta)}`);
  // What the file stores bounds what its layers may declare.
  let stored = 0;
  for (const entry of fileLayers) {
    for (const value of Object.values((entry as { params: Record<string, unknown> }).params)) {
      if (isRecord(value) && typeof value.data === 'string') stored += valuesInBase64(value.data.length);
    }
  }
  if (stored > maxParams) {
    fail('layers', `stores ${stored.toLocaleString('en-US')} parameter values, more than the limit of ${maxParams.toLocaleString('en-US')}`);
  }

  let model: Sequential;
  try {
    model = buildSequential(
      {
        inputShape: file.inputShape as number[],
        layers: fileLayers.map((entry) => (entry as { config: LayerSpec }).config),
        loss: file.loss as Sequential['definition']['loss'],
      },
      createRng('load'),
      stored,
    );
  } catch (error) {
    if (error instanceof ParameterLimitError) {
      return fail(error.path, `declares more parameters than the file stores (${stored.toLocaleString('en-US')} values)`);
    }
    if (!(error instanceof ModelDefinitionError)) throw error;
    // Definition paths (`layers[2].units`) point into configs; in the file those live under `.config`.
    const path =
      error.layerIndex === undefined
        ? error.path
        : error.field === undefined
          ? `layers[${error.layerIndex}]`
          : `layers[${error.layerIndex}].config.${error.field}`;
    return fail(path, error.problem);
  }

  model.layers.forEach((layer, index) => {
    const saved = (fileLayers[index] as { params: Record<string, unknown> }).params;
    const entries = [...layer.params, ...(layer.state ?? [])];
    const expectedNames = entries.map((entry) => entry.name);
    for (const name of Object.keys(saved)) {
      if (!expectedNames.includes(name)) {
        const has = expectedNames.length === 0 ? 'no parameters' : expectedNames.join(', ');
        fail(`layers[${index}].params.${name}`, `unexpected parameter (${layer.config.kind} has ${has})`);
      }
    }
    for (const entry of entries) {
      const path = `layers[${index}].params.${entry.name}`;
      const value = saved[entry.name];
      if (!isRecord(value)) return fail(path, value === undefined ? 'missing' : `expected {shape, data}, got ${describe(value)}`);
      const shape = value.shape;
      const expectedShape = entry.value.shape;
      if (!Array.isArray(shape) || shape.length !== expectedShape.length || shape.some((dimension, i) => dimension !== expectedShape[i])) {
        fail(`${path}.shape`, `expected ${formatShape(expectedShape)}, got ${Array.isArray(shape) ? formatShape(shape) : describe(shape)}`);
      }
      if (typeof value.data !== 'string') return fail(`${path}.data`, `expected a base64 string, got ${describe(value.data)}`);
      let data: Float32Array;
      try {
        data = decodeFloat32(value.data, 'data', sizeOf(expectedShape));
      } catch (error) {
        // A RangeError says how much data there is ("data: expected …"); anything else is bad text.
        return fail(`${path}.data`, error instanceof RangeError ? error.message.slice('data: '.length) : 'not valid base64');
      }
      const bad = data.findIndex((x) => !Number.isFinite(x));
      if (bad >= 0) fail(`${path}.data`, `value ${bad} is ${data[bad]} (the model diverged or the file is corrupted)`);
      entry.value.data.set(data);
    }
  });
  const frozen = fileLayers.flatMap((entry, index) => ((entry as { trainable?: boolean }).trainable === false ? [index] : []));
  if (frozen.length > 0) model.freeze(frozen);
  return {
    model,
    ...(file.history === undefined ? {} : { history: file.history }),
    ...(file.meta === undefined ? {} : { meta: file.meta as Record<string, unknown> }),
  };
}
