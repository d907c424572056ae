import type { Conv2dConfig, LayerSpec, Sequential } from '@nnkit/layers';
import { describe, InteropError, isRecord } from './errors.js';
import { assembleModel, exportMetadata, headOf, layerTensors, type ExportOptions, type ImportedModel } from './model-bridge.js';
import { KerasReader, kerasInitializer, originOf, pairOf, type KerasLayer } from './tfjs-layers.js';
import { decodeWeights, encodeWeights, type NamedWeights, type WeightQuantization, type WeightSpec } from './weights.js';

/** A TensorFlow.js `model.json` in the layers-model format, as nnkit writes it. */
export interface TfjsModelJson {
  readonly format: 'layers-model';
  readonly generatedBy: string;
  readonly convertedBy: null;
  readonly modelTopology: { readonly class_name: 'Sequential'; readonly config: { readonly name: string; readonly layers: KerasLayer[] }; readonly keras_version: string; readonly backend: string };
  readonly weightsManifest: { readonly paths: string[]; readonly weights: WeightSpec[] }[];
  readonly userDefinedMetadata: { readonly nnkit: ReturnType<typeof exportMetadata> };
}

/** Options of `toTfjs`: metadata to carry, quantization of the stored weights, the shard's file name. */
export interface TfjsExportOptions extends ExportOptions {
  readonly quantization?: WeightQuantization;
  /** File name of the weight shard, relative to `model.json` (default `weights.bin`). */
  readonly weightsPath?: string;
}

const kerasNames: Record<string, string> = {
  dense: 'dense',
  conv2d: 'conv2d',
  maxPool2d: 'max_pooling2d',
  avgPool2d: 'average_pooling2d',
  flatten: 'flatten',
  dropout: 'dropout',
  batchNorm: 'batch_normalization',
  leakyRelu: 'leaky_re_lu',
  elu: 'elu',
};

/**
 * nnkit → TensorFlow.js layers-model: `modelJson` (a Sequential `modelTopology`, one
 * `weightsManifest` group, `userDefinedMetadata.nnkit` with the normalization, loss and meta) and
 * `weightData`, the one binary shard. The graph takes float32 NHWC `[N, ...inputShape]` already
 * normalized and ends in probabilities (a softmax or sigmoid after nnkit's logits). Explicit conv
 * padding becomes a ZeroPadding2D before the Conv2D; dropout stays a Dropout (identity at inference).
 */
export function toTfjs(model: Sequential, options: TfjsExportOptions = {}): { modelJson: TfjsModelJson; weightData: Uint8Array } {
  const counts = new Map<string, number>();
  const nameFor = (base: string): string => {
    const count = (counts.get(base) ?? 0) + 1;
    counts.set(base, count);
    return `${base}_${count}`;
  };
  const layers: KerasLayer[] = [];
  const weights: NamedWeights[] = [];
  const add = (class_name: string, base: string, config: Record<string, unknown>, tensors: { name: string; from: NamedWeights }[] = []): void => {
    const name = nameFor(base);
    const first = layers.length === 0 ? { batch_input_shape: [null, ...model.inputShape] } : {};
    layers.push({ class_name, config: { name, trainable: true, dtype: 'float32', ...first, ...config } });
    for (const tensor of tensors) weights.push({ ...tensor.from, name: `${name}/${tensor.name}` });
  };
  const activation = (name: string): void => add('Activation', 'activation', { activation: name });
  model.layers.forEach((layer, index) => {
    const spec = layer.config as LayerSpec;
    const tensors = layerTensors(model, index);
    const base = kerasNames[spec.kind] ?? spec.kind;
    switch (spec.kind) {
      case 'dense':
        add('Dense', base, { units: spec.units, activation: 'linear', use_bias: true, kernel_initializer: kerasInitializer(spec.init), bias_initializer: { class_name: 'Zeros', config: {} } }, [
          { name: 'kernel', from: tensors[0] },
          { name: 'bias', from: tensors[1] },
        ]);
        return;
      case 'conv2d': {
        const padding = (spec as Conv2dConfig).padding ?? 'valid';
        if (typeof padding !== 'string') {
          add('ZeroPadding2D', 'zero_padding2d', { padding: [[padding[0], padding[1]], [padding[2], padding[3]]], data_format: 'channels_last' });
        }
        add(
          'Conv2D',
          base,
          {
            filters: spec.filters,
            kernel_size: pairOf(spec.kernelSize),
            strides: pairOf(spec.stride ?? 1),
            padding: typeof padding === 'string' ? padding : 'valid',
            data_format: 'channels_last',
            dilation_rate: [1, 1],
            activation: 'linear',
            use_bias: true,
            kernel_initializer: kerasInitializer(spec.init),
            bias_initializer: { class_name: 'Zeros', config: {} },
          },
          [
            { name: 'kernel', from: tensors[0] },
            { name: 'bias', from: tensors[1] },
          ],
        );
        return;
      }
      case 'maxPool2d':
      case 'avgPool2d':
        add(spec.kind === 'maxPool2d' ? 'MaxPooling2D' : 'AveragePooling2D', base, {
          pool_size: pairOf(spec.size),
          strides: pairOf(spec.stride ?? spec.size),
          padding: 'valid',
          data_format: 'channels_last',
        });
        return;
      case 'flatten':
        add('Flatten', base, { data_format: 'channels_last' });
        return;
      case 'dropout':
        add('Dropout', base, { rate: spec.rate });
        return;
      case 'batchNorm':
        add('BatchNormalization', base, { axis: -1, momentum: spec.momentum, epsilon: spec.epsilon, center: true, scale: true }, [
          { name: 'gamma', from: tensors[0] },
          { name: 'beta', from: tensors[1] },
          { name: 'moving_mean', from: tensors[2] },
          { name: 'moving_variance', from: tensors[3] },
        ]);
        return;
      case 'leakyRelu':
        add('LeakyReLU', base, { alpha: spec.alpha });
        return;
      case 'elu':
        // tfjs-layers 4 refuses to load an ELU whose alpha is not 1 ("not supported yet").
        if (spec.alpha !== 1) throw new InteropError(options.source ?? 'model', `layer ${index} (elu, alpha ${spec.alpha}): TensorFlow.js's ELU layer supports only alpha 1`);
        add('ELU', base, { alpha: 1 });
        return;
      case 'relu':
      case 'sigmoid':
      case 'tanh':
      case 'softmax':
        activation(spec.kind);
        return;
      default:
        throw new InteropError(options.source ?? 'model', `layer ${index} (${(spec as { kind: string }).kind}): no TensorFlow.js layer for it`);
    }
  });
  const head = headOf(model);
  if (head !== 'none') activation(head);
  const { specs, data } = encodeWeights(weights, options.quantization);
  return {
    modelJson: {
      format: 'layers-model',
      generatedBy: 'nnkit',
      convertedBy: null,
      modelTopology: { class_name: 'Sequential', config: { name: 'sequential', layers }, keras_version: 'tfjs-layers 4.22.0', backend: 'tensor_flow.js' },
      weightsManifest: [{ paths: [options.weightsPath ?? 'weights.bin'], weights: specs }],
      userDefinedMetadata: { nnkit: exportMetadata(model, options) },
    },
    weightData: data,
  };
}

/**
 * What a TensorFlow.js layers model consists of once read: the topology, every weight spec of
 * the manifest in order, the shards joined, and the user metadata (tfjs's `ModelArtifacts` shape,
 * as `tf.io.withSaveHandler` hands it over).
 */
export interface TfjsArtifacts {
  readonly modelTopology: unknown;
  readonly weightSpecs: unknown;
  readonly weightData: Uint8Array;
  readonly userDefinedMetadata?: unknown;
}

/**
 * TensorFlow.js layers-model → nnkit. Reads a Sequential topology of the layers nnkit has
 * (Dense, Conv2D, ZeroPadding2D before a valid Conv2D, Max/AveragePooling2D, Flatten, Dropout,
 * BatchNormalization, Activation, ReLU, LeakyReLU, ELU, Softmax) and their weights by name.
 * Anything else throws `InteropError` naming `source` and the layer (index and class_name).
 */
export function fromTfjs(artifacts: TfjsArtifacts, source = 'model.json'): ImportedModel {
  let topology = artifacts.modelTopology;
  if (isRecord(topology) && isRecord(topology.model_config)) topology = topology.model_config;
  if (!isRecord(topology)) throw new InteropError(source, `modelTopology: expected an object, got ${describe(topology)}`);
  if (topology.class_name !== 'Sequential') {
    throw new InteropError(source, `modelTopology.class_name: only Sequential models are supported, got ${describe(topology.class_name)}`);
  }
  const config = topology.config;
  const list = Array.isArray(config) ? config : isRecord(config) ? config.layers : undefined;
  if (!Array.isArray(list) || list.length === 0) throw new InteropError(source, 'modelTopology.config.layers: expected a non-empty list of layers');
  const layers = list.map((layer, index): KerasLayer => {
    if (!isRecord(layer) || typeof layer.class_name !== 'string' || !isRecord(layer.config)) {
      throw new InteropError(source, `layer ${index}: expected {class_name, config}, got ${describe(layer)}`);
    }
    return { class_name: layer.class_name, config: layer.config };
  });
  const first = layers[0].config;
  const batchShape = first.batch_input_shape ?? first.batch_shape;
  if (!Array.isArray(batchShape) || batchShape.length < 2 || !batchShape.slice(1).every((size) => Number.isInteger(size) && size > 0)) {
    throw new InteropError(source, `${originOf(0, layers[0])}: batch_input_shape: expected [null, ...sizes], got ${describe(batchShape)}`);
  }
  const inputShape = batchShape.slice(1) as number[];

  let weightMap: Map<string, NamedWeights>;
  try {
    weightMap = decodeWeights(artifacts.weightSpecs, artifacts.weightData);
  } catch (error) {
    throw new InteropError(source, (error as Error).message);
  }
  const used = new Set<string>();
  const weightsOf = (layer: KerasLayer, origin: string, names: readonly string[]): NamedWeights[] =>
    names.map((weight) => {
      const name = `${String(layer.config.name)}/${weight}`;
      const found = weightMap.get(name) ?? weightMap.get(`${name}:0`);
      if (found === undefined) throw new InteropError(source, `${origin}: weight ${name} is not in the weights manifest`);
      used.add(found.name);
      return found;
    });
  const reader = new KerasReader(source, weightsOf, inputShape.length);
  layers.forEach((layer, index) => reader.read(layer, index));
  const imported = reader.finish();
  const unused = [...weightMap.keys()].filter((name) => !used.has(name));
  if (unused.length > 0) throw new InteropError(source, `weight ${unused[0]} belongs to no layer nnkit read`);
  const metadata = isRecord(artifacts.userDefinedMetadata) && isRecord(artifacts.userDefinedMetadata.nnkit) ? artifacts.userDefinedMetadata.nnkit : {};
  return assembleModel(source, inputShape, imported, metadata, 'tfjs layers-model');
}

/** The weight specs of every group of a `weightsManifest`, in order, and the shard paths. */
export function manifestEntries(modelJson: unknown, source = 'model.json'): { specs: unknown[]; paths: string[] } {
  if (!isRecord(modelJson)) throw new InteropError(source, `expected a JSON object, got ${describe(modelJson)}`);
  if (modelJson.format !== undefined && modelJson.format !== 'layers-model') {
    throw new InteropError(source, `format: expected "layers-model", got ${describe(modelJson.format)}${modelJson.format === 'graph-model' ? ' (graph models carry no layers; convert the Keras model as a layers model)' : ''}`);
  }
  const manifest = modelJson.weightsManifest;
  if (!Array.isArray(manifest)) throw new InteropError(source, `weightsManifest: expected a list, got ${describe(manifest)}`);
  const specs: unknown[] = [];
  const paths: string[] = [];
  manifest.forEach((group, index) => {
    if (!isRecord(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights) || !group.paths.every((path) => typeof path === 'string')) {
      throw new InteropError(source, `weightsManifest[${index}]: expected {paths, weights}, got ${describe(group)}`);
    }
    specs.push(...group.weights);
    paths.push(...(group.paths as string[]));
  });
  return { specs, paths };
}
