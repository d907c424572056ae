import type { Rng, Shape } from '@nnkit/tensor';
import { avgPool2dSchema } from './avg-pool2d.js';
import { batchNormSchema } from './batch-norm.js';
import { conv2dSchema } from './conv2d.js';
import { denseSchema } from './dense.js';
import { dropoutSchema } from './dropout.js';
import { eluSchema } from './elu.js';
import { LayerConfigError } from './errors.js';
import { flattenSchema } from './flatten.js';
import { globalAvgPool2dSchema } from './global-avg-pool2d.js';
import type { Layer } from './layer.js';
import { leakyReluSchema } from './leaky-relu.js';
import { maxPool2dSchema } from './max-pool2d.js';
import { reluSchema } from './relu.js';
import type { LayerSchema } from './schema.js';
import { sigmoidSchema } from './sigmoid.js';
import { softmaxSchema } from './softmax.js';
import { softplusSchema } from './softplus.js';
import { tanhSchema } from './tanh.js';

/**
 * Every layer's schema (kind, fields, factory), in the order editors and help texts list them.
 * Adding a layer is one line here; `LayerSpec` (the union of all configs) is derived from this
 * list, so model definitions are type-checked. Plain data: importing it registers nothing anywhere.
 */
export const layerSchemas = [
  denseSchema,
  conv2dSchema,
  maxPool2dSchema,
  avgPool2dSchema,
  globalAvgPool2dSchema,
  flattenSchema,
  dropoutSchema,
  batchNormSchema,
  reluSchema,
  leakyReluSchema,
  sigmoidSchema,
  tanhSchema,
  softmaxSchema,
  eluSchema,
  softplusSchema,
] as const;

type AnySchema = (typeof layerSchemas)[number];
type ConfigOf<S> = S extends LayerSchema<infer C, infer _Fields> ? C : never;

/** A registered layer kind: `'dense' | 'conv2d' | …`. */
export type LayerKind = AnySchema['kind'];

/** Every layer kind's schema, keyed by kind (`layerRegistry.dense` is Dense's): the type of `layerRegistry`. */
export type LayerRegistry = { readonly [K in LayerKind]: Extract<AnySchema, { kind: K }> };

/** The config of any registered layer, e.g. `{kind: 'dense', units: 100}`: one entry of a model definition. */
export type LayerSpec = ConfigOf<AnySchema>;

// Compile-time check that every schema's kind equals its config's `kind`.
type KindMatches<S> = S extends { kind: infer K } ? ([ConfigOf<S>['kind']] extends [K] ? ([K] extends [ConfigOf<S>['kind']] ? true : false) : false) : false;
const kindsMatchConfigs: false extends KindMatches<AnySchema> ? never : true = true;
void kindsMatchConfigs;

/** Every schema by kind. */
export const layerRegistry = Object.fromEntries(layerSchemas.map((schema) => [schema.kind, schema])) as LayerRegistry;

/** Every registered kind, in registry order. */
export const layerKinds: readonly LayerKind[] = layerSchemas.map((schema) => schema.kind);

/** The schema of `kind`, or undefined when no layer has that kind (prototype names included). */
export function schemaOf(kind: string): LayerSchema | undefined {
  return Object.hasOwn(layerRegistry, kind) ? (layerRegistry[kind as LayerKind] as unknown as LayerSchema) : undefined;
}

/** Builds the layer `spec` describes for per-example `inputShape`, initialising parameters from `rng`. */
export function createLayer(spec: LayerSpec, inputShape: Shape, rng: Rng): Layer {
  const kind: unknown = typeof spec === 'object' && spec !== null ? (spec as { kind?: unknown }).kind : undefined;
  const schema = typeof kind === 'string' ? schemaOf(kind) : undefined;
  if (schema === undefined) {
    throw new LayerConfigError('layer', 'kind', `expected one of ${layerKinds.join(', ')}, got ${JSON.stringify(kind) ?? 'nothing'}`);
  }
  return schema.create(spec, inputShape, rng);
}

/** The config an editor gives a new layer of `kind`: each field's `initial` value, the rest left to defaults. */
export function initialLayer(kind: LayerKind): LayerSpec {
  const schema = schemaOf(kind);
  if (schema === undefined) throw new LayerConfigError('layer', 'kind', `expected one of ${layerKinds.join(', ')}, got ${JSON.stringify(kind)}`);
  const spec: Record<string, unknown> = { kind };
  for (const [name, field] of Object.entries(schema.fields)) if (field.initial !== undefined) spec[name] = field.initial;
  return spec as unknown as LayerSpec;
}
