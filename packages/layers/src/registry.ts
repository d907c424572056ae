import type { Rng, Shape } from '@nnkit/tensor';
import { AvgPool2d, type AvgPool2dConfig } from './avg-pool2d.js';
import { BatchNorm, type BatchNormConfig } from './batch-norm.js';
import { Conv2d, type Conv2dConfig } from './conv2d.js';
import { Dense, type DenseConfig } from './dense.js';
import { Dropout, type DropoutConfig } from './dropout.js';
import { Elu, type EluConfig } from './elu.js';
import { LayerConfigError } from './errors.js';
import { Flatten, type FlattenConfig } from './flatten.js';
import type { Layer } from './layer.js';
import { LeakyRelu, type LeakyReluConfig } from './leaky-relu.js';
import { MaxPool2d, type MaxPool2dConfig } from './max-pool2d.js';
import { Relu, type ReluConfig } from './relu.js';
import { Sigmoid, type SigmoidConfig } from './sigmoid.js';
import { Softmax, type SoftmaxConfig } from './softmax.js';
import { Tanh, type TanhConfig } from './tanh.js';

/**
 * Every layer kind and its factory `(config, inputShape, rng) → Layer`. Adding a layer is one
 * line here; `LayerSpec` (the union of all configs) is derived from this object, so model
 * definitions are type-checked. Plain data: importing it registers nothing anywhere.
 */
export const layerRegistry = {
  dense: (config: DenseConfig, inputShape: Shape, rng: Rng) => new Dense(config, inputShape, rng),
  conv2d: (config: Conv2dConfig, inputShape: Shape, rng: Rng) => new Conv2d(config, inputShape, rng),
  maxPool2d: (config: MaxPool2dConfig, inputShape: Shape) => new MaxPool2d(config, inputShape),
  avgPool2d: (config: AvgPool2dConfig, inputShape: Shape) => new AvgPool2d(config, inputShape),
  flatten: (config: FlattenConfig, inputShape: Shape) => new Flatten(config, inputShape),
  dropout: (config: DropoutConfig, inputShape: Shape) => new Dropout(config, inputShape),
  batchNorm: (config: BatchNormConfig, inputShape: Shape) => new BatchNorm(config, inputShape),
  relu: (config: ReluConfig, inputShape: Shape) => new Relu(config, inputShape),
  leakyRelu: (config: LeakyReluConfig, inputShape: Shape) => new LeakyRelu(config, inputShape),
  sigmoid: (config: SigmoidConfig, inputShape: Shape) => new Sigmoid(config, inputShape),
  tanh: (config: TanhConfig, inputShape: Shape) => new Tanh(config, inputShape),
  softmax: (config: SoftmaxConfig, inputShape: Shape) => new Softmax(config, inputShape),
  elu: (config: EluConfig, inputShape: Shape) => new Elu(config, inputShape),
};

/** A registered layer kind: `'dense' | 'conv2d' | …`. */
export type LayerKind = keyof typeof layerRegistry;

/** The config of any registered layer, e.g. `{kind: 'dense', units: 100}`: one entry of a model definition. */
export type LayerSpec = { [K in LayerKind]: Parameters<(typeof layerRegistry)[K]>[0] }[LayerKind];

// Compile-time check that every entry's config `kind` equals its key.
type KindMatches = { [K in LayerKind]: Parameters<(typeof layerRegistry)[K]>[0]['kind'] extends K ? true : false }[LayerKind];
const kindsMatchKeys: false extends KindMatches ? never : true = true;
void kindsMatchKeys;

/** Every registered kind, in registry order. */
export const layerKinds = Object.keys(layerRegistry) as LayerKind[];

/** Builds the layer `spec` describes for per-example `inputShape`, initialising parameters from `rng`. */
export function createLayer(spec: LayerSpec, inputShape: Shape, rng: Rng): Layer {
  const kind: unknown = typeof spec === 'object' && spec !== null ? (spec as { kind?: unknown }).kind : undefined;
  if (typeof kind !== 'string' || !Object.hasOwn(layerRegistry, kind)) {
    throw new LayerConfigError('layer', 'kind', `expected one of ${layerKinds.join(', ')}, got ${JSON.stringify(kind) ?? 'nothing'}`);
  }
  const factory = layerRegistry[kind as LayerKind] as (config: LayerSpec, inputShape: Shape, rng: Rng) => Layer;
  return factory(spec, inputShape, rng);
}
