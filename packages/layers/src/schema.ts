import type { Rng, Shape } from '@nnkit/tensor';
import { LayerConfigError } from './errors.js';
import type { Layer, LayerConfig } from './layer.js';

// A layer's schema is plain data declared beside its class: its kind, its fields (type, range,
// default) and its factory. Validation, the registry, the architecture grammar, the playground's
// editor and model files all read it, so a new layer is known everywhere once it is registered.

interface FieldCommon {
  /** One line for help texts and the editor's tooltip. */
  readonly description?: string;
  /** The field may be left out and has no fixed default (e.g. a pooling stride defaults to the size). */
  readonly optional?: true;
}

/** An integer in [min, max]. */
export interface IntegerField extends FieldCommon {
  readonly type: 'integer';
  readonly min: number;
  readonly max: number;
  readonly default?: number;
  /** The value an editor gives a new layer (required fields declare one). */
  readonly initial?: number;
}

/** A finite number between min and max (each bound inclusive unless marked exclusive). */
export interface NumberField extends FieldCommon {
  readonly type: 'number';
  readonly min: number;
  readonly max: number;
  readonly minExclusive?: true;
  readonly maxExclusive?: true;
  readonly default?: number;
  readonly initial?: number;
  /** The editor's step. */
  readonly step?: number;
}

/** A 2-D size: an integer n (meaning n×n) or [height, width], each in [min, max]. */
export interface SizeField extends FieldCommon {
  readonly type: 'size';
  readonly min: number;
  readonly max: number;
  readonly default?: number;
  readonly initial?: number;
}

/** One of `values`, or, when `tuple` is given, a list of `tuple.length` integers ≥ `tuple.min`. */
export interface EnumField<V extends string = string> extends FieldCommon {
  readonly type: 'enum';
  readonly values: readonly V[];
  readonly tuple?: { readonly length: number; readonly min: number; readonly description: string };
  readonly default?: V;
  readonly initial?: V;
}

/** The declaration of one config field. */
export type FieldSchema = IntegerField | NumberField | SizeField | EnumField;

/** A layer's fields by name, in the order positional arguments of the grammar fill them. */
export type FieldSchemas = Readonly<Record<string, FieldSchema>>;

/** The type of a field's value once validated. */
export type FieldValue<F> = F extends { type: 'enum'; values: readonly (infer V)[]; tuple: object }
  ? V | readonly number[]
  : F extends { type: 'enum'; values: readonly (infer V)[] }
    ? V
    : F extends { type: 'size' }
      ? number | readonly [number, number]
      : number;

/** Validated fields: defaults filled in; fields marked `optional` may be undefined. */
export type ResolvedFields<Fs extends FieldSchemas> = {
  -readonly [K in keyof Fs]: Fs[K] extends { optional: true } ? FieldValue<Fs[K]> | undefined : FieldValue<Fs[K]>;
};

/** A layer's declaration: its kind, its fields and its factory `(config, inputShape, rng) → Layer`. */
export interface LayerSchema<C extends LayerConfig = LayerConfig, Fs extends FieldSchemas = FieldSchemas> {
  readonly kind: C['kind'];
  /** One line: what the layer computes. */
  readonly summary: string;
  /** 'activation' for elementwise (or row-wise) nonlinearities without parameters to learn. */
  readonly role?: 'activation';
  readonly fields: Fs;
  /** Builds the layer from a complete config for inputs of `inputShape` (per example), drawing initial parameters from `rng`. */
  readonly create: (config: C, inputShape: Shape, rng: Rng) => Layer<C>;
}

// Compile-time check that the declared fields are exactly the config's fields (besides `kind`).
type FieldsMatchConfig<C, Fs> = [Exclude<keyof C, 'kind'>] extends [keyof Fs]
  ? [keyof Fs] extends [Exclude<keyof C, 'kind'>]
    ? unknown
    : { error: 'a declared field is not in the config type' }
  : { error: 'a config field has no declaration' };

/**
 * Declares a layer: `defineLayer({kind: 'dense', summary, fields: {units: {type: 'integer', min: 1,
 * max: 65536, initial: 100}, …}, create: (config: DenseConfig, inputShape, rng) => new Dense(…)})`.
 * Type-checks that the fields are exactly the config's and returns the declaration unchanged.
 */
export function defineLayer<C extends LayerConfig, const Fs extends FieldSchemas>(
  schema: LayerSchema<C, Fs> & FieldsMatchConfig<C, Fs>,
): LayerSchema<C, Fs> {
  return schema;
}

/** The printed form of a value in error messages. */
export function describeValue(value: unknown): string {
  return value === undefined ? 'nothing' : (JSON.stringify(value) ?? String(value));
}

const isInteger = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value);

function isInRange(field: IntegerField | SizeField, value: unknown): boolean {
  return isInteger(value) && value >= field.min && value <= field.max;
}

// An integer above the range says so; anything else states the lower bound (the usual mistake).
function integerBound(field: IntegerField | SizeField, value: unknown): string {
  if (isInteger(value) && value > field.max) return `at most ${field.max}`;
  return field.min === 1 ? 'a positive integer' : `an integer ≥ ${field.min}`;
}

/** Checks one field's value (already known to be present) and returns it; throws `LayerConfigError`. */
function checkValue(kind: string, name: string, field: FieldSchema, value: unknown): unknown {
  const fail = (expected: string): never => {
    throw new LayerConfigError(kind, name, `expected ${expected}, got ${describeValue(value)}`);
  };
  switch (field.type) {
    case 'integer':
      if (!isInRange(field, value)) fail(integerBound(field, value));
      return value;
    case 'size': {
      const inRange = (item: unknown): boolean => isInRange(field, item);
      if (inRange(value)) return value;
      if (Array.isArray(value) && value.length === 2 && value.every(inRange)) return [value[0], value[1]];
      if (Array.isArray(value) && value.length === 2) return fail(`[height, width], each ${integerBound(field, value.find((item) => !inRange(item)))}`);
      return fail(`${integerBound(field, undefined)} or [height, width]`);
    }
    case 'number': {
      const aboveMin = field.minExclusive ? (value as number) > field.min : (value as number) >= field.min;
      const belowMax = field.maxExclusive ? (value as number) < field.max : (value as number) <= field.max;
      if (typeof value !== 'number' || !Number.isFinite(value) || !aboveMin || !belowMax) {
        fail(`a number in ${field.minExclusive ? '(' : '['}${field.min}, ${field.max}${field.maxExclusive || field.max === Infinity ? ')' : ']'}`);
      }
      return value;
    }
    case 'enum': {
      if (typeof value === 'string' && field.values.includes(value)) return value;
      const tuple = field.tuple;
      if (tuple !== undefined && Array.isArray(value) && value.length === tuple.length && value.every((item) => isInteger(item) && item >= tuple.min)) {
        return [...value];
      }
      const names = field.values.join(', ');
      return fail(tuple === undefined ? `one of ${names}` : `one of ${names} or ${tuple.description}`);
    }
  }
}

/**
 * Validates `config` against `schema`: an object whose keys are `kind` and declared fields, each
 * value of its type and in its range, required fields present. Returns the field values with
 * defaults filled in. Errors are `LayerConfigError`s naming the layer and the field.
 */
export function readConfig<C extends LayerConfig, Fs extends FieldSchemas>(schema: LayerSchema<C, Fs>, config: unknown): ResolvedFields<Fs> {
  const kind = schema.kind;
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new LayerConfigError(kind, undefined, `config must be an object, got ${describeValue(config)}`);
  }
  const names = Object.keys(schema.fields);
  const record = config as Readonly<Record<string, unknown>>;
  for (const key of Object.keys(record)) {
    if (key !== 'kind' && !names.includes(key)) {
      const known = names.length === 0 ? 'no options' : `options ${names.join(', ')}`;
      throw new LayerConfigError(kind, key, `unknown option (${kind} takes ${known})`);
    }
  }
  const resolved: Record<string, unknown> = {};
  for (const name of names) {
    const field = schema.fields[name];
    const value = record[name] ?? field.default;
    if (value === undefined && field.optional) continue;
    resolved[name] = checkValue(kind, name, field, value);
  }
  return resolved as ResolvedFields<Fs>;
}

/** A size field's value as [height, width]. */
export function pairOf(value: number | readonly [number, number]): [number, number] {
  return typeof value === 'number' ? [value, value] : [value[0], value[1]];
}
