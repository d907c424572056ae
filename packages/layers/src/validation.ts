import { formatShape, sizeOf, type Shape, type Tensor } from '@nnkit/tensor';
import { LayerConfigError } from './errors.js';
import { initNames, type InitName } from './init.js';

// Layer configs may come from a model file, so constructors validate every field they read here
// (once, at construction) and reject fields they do not know (a typo such as `unit: 100`).

type Fields = Readonly<Record<string, unknown>>;

function describe(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value) ?? String(value);
}

/** Throws unless `config` is an object whose keys are `kind` or one of `allowed`. */
export function checkFields(config: unknown, kind: string, allowed: readonly string[]): Fields {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new LayerConfigError(kind, undefined, `config must be an object, got ${describe(config)}`);
  }
  for (const key of Object.keys(config)) {
    if (key !== 'kind' && !allowed.includes(key)) {
      const known = allowed.length === 0 ? 'no options' : `options ${allowed.join(', ')}`;
      throw new LayerConfigError(kind, key, `unknown option (${kind} takes ${known})`);
    }
  }
  return config as Fields;
}

/** A positive integer field, or `fallback` when absent (required when no fallback). */
export function readPositiveInteger(config: Fields, field: string, kind: string, fallback?: number): number {
  const value = config[field] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new LayerConfigError(kind, field, `expected a positive integer, got ${describe(config[field])}`);
  }
  return value;
}

/** A finite number field in [min, max) (or [min, max] when `maxInclusive`), or `fallback`. */
export function readNumber(
  config: Fields,
  field: string,
  kind: string,
  range: { min: number; max: number; maxInclusive?: boolean; minExclusive?: boolean },
  fallback: number,
): number {
  const value = config[field] ?? fallback;
  const aboveMin = range.minExclusive ? (value as number) > range.min : (value as number) >= range.min;
  const belowMax = range.maxInclusive ? (value as number) <= range.max : (value as number) < range.max;
  if (typeof value !== 'number' || !Number.isFinite(value) || !aboveMin || !belowMax) {
    const low = range.minExclusive ? '(' : '[';
    const high = range.maxInclusive ? ']' : ')';
    throw new LayerConfigError(kind, field, `expected a number in ${low}${range.min}, ${range.max}${high}, got ${describe(config[field])}`);
  }
  return value;
}

/** A size given as `n` or `[height, width]` (positive integers), or `fallback`. */
export function readPair(config: Fields, field: string, kind: string, fallback?: number | readonly [number, number]): [number, number] {
  const value = config[field] ?? fallback;
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return [value, value];
  if (
    Array.isArray(value) &&
    value.length === 2 &&
    value.every((item) => typeof item === 'number' && Number.isInteger(item) && item > 0)
  ) {
    return [value[0] as number, value[1] as number];
  }
  throw new LayerConfigError(kind, field, `expected a positive integer or [height, width], got ${describe(config[field])}`);
}

/** An initialiser name, or `fallback`. */
export function readInit(config: Fields, kind: string, fallback: InitName): InitName {
  const value = config.init ?? fallback;
  if (!initNames.includes(value as InitName)) {
    throw new LayerConfigError(kind, 'init', `expected one of ${initNames.join(', ')}, got ${describe(config.init)}`);
  }
  return value as InitName;
}

/** Throws unless the per-example input shape has `rank` dimensions; `expected` describes them. */
export function checkInputRank(kind: string, inputShape: Shape, ranks: readonly number[], expected: string, hint = ''): void {
  if (!ranks.includes(inputShape.length)) {
    throw new LayerConfigError(kind, undefined, `expected an input of shape ${expected}, got ${formatShape(inputShape)}${hint}`);
  }
}

/**
 * The batch size of `input` after checking it is `[batch, ...inputShape]` (with `data` of the
 * matching length); `owner` names the layer in the error. Cheap: O(rank), no allocation.
 */
export function batchSizeOf(input: Tensor, inputShape: Shape, owner: string): number {
  const shape = input.shape;
  let matches = shape.length === inputShape.length + 1 && shape[0] > 0 && Number.isInteger(shape[0]);
  for (let i = 0; matches && i < inputShape.length; i++) matches = shape[i + 1] === inputShape[i];
  if (!matches || input.data.length !== shape[0] * sizeOf(inputShape)) {
    throw new RangeError(
      `${owner}: expected a tensor of shape [batch, ${inputShape.join(', ')}], got ${formatShape(shape)} with ${input.data.length} values`,
    );
  }
  return shape[0];
}
