import type { InitName, LayerSpec } from '@nnkit/layers';
import { InteropError, describe, isRecord } from './errors.js';
import type { ImportedLayer } from './model-bridge.js';
import type { NamedWeights } from './weights.js';

/** A Keras / TensorFlow.js layer as `modelTopology` lists it. */
export interface KerasLayer {
  readonly class_name: string;
  readonly config: Record<string, unknown>;
}

const initializers: Record<InitName, { class_name: string; config: Record<string, unknown> }> = {
  glorot: { class_name: 'GlorotUniform', config: { seed: null } },
  he: { class_name: 'HeNormal', config: { seed: null } },
  normal: { class_name: 'RandomNormal', config: { mean: 0, stddev: 1, seed: null } },
  scaledNormal: { class_name: 'VarianceScaling', config: { scale: 1, mode: 'fan_in', distribution: 'normal', seed: null } },
};

/** The Keras initializer that draws like nnkit's `init` (so a re-initialised import trains alike). */
export function kerasInitializer(init: InitName | undefined): KerasLayer {
  return initializers[init ?? 'glorot'];
}

/** nnkit's `init` for a Keras initializer (`glorot` for any it has no twin of: weights are loaded anyway). */
export function nnkitInit(initializer: unknown): InitName {
  if (!isRecord(initializer)) return 'glorot';
  const name = initializer.class_name;
  const config = isRecord(initializer.config) ? initializer.config : {};
  if (name === 'HeNormal') return 'he';
  if (name === 'RandomNormal' && config.stddev === 1 && (config.mean ?? 0) === 0) return 'normal';
  if (name === 'VarianceScaling' && config.scale === 1 && config.mode === 'fan_in' && config.distribution === 'normal') return 'scaledNormal';
  return 'glorot';
}

/** `[a, a]` for a number, the pair itself for a pair; undefined when `value` is neither. */
export function pairOf(value: unknown): [number, number] | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return [value, value];
  if (Array.isArray(value) && value.length === 2 && value.every((item) => typeof item === 'number' && Number.isInteger(item))) return [value[0], value[1]];
  return undefined;
}

/** An nnkit pair written back compactly: `5` when both sides agree, else `[h, w]`. */
function compact(pair: [number, number]): number | readonly [number, number] {
  return pair[0] === pair[1] ? pair[0] : pair;
}

const activationNames: Record<string, LayerSpec['kind'] | null> = {
  linear: null,
  relu: 'relu',
  sigmoid: 'sigmoid',
  tanh: 'tanh',
  softmax: 'softmax',
  elu: 'elu',
};

/** Where one Keras layer came from, for errors: `layer 3 (Conv2D "conv2d_1")`. */
export function originOf(index: number, layer: KerasLayer): string {
  const name = typeof layer.config.name === 'string' ? ` "${layer.config.name}"` : '';
  return `layer ${index} (${layer.class_name}${name})`;
}

/** Reads imported layers one Keras layer at a time, tracking the rank so axes can be checked. */
export class KerasReader {
  readonly layers: ImportedLayer[] = [];
  private pendingPads: [number, number, number, number] | null = null;
  private pendingPadOrigin = '';

  constructor(
    private readonly source: string,
    private readonly weightsOf: (layer: KerasLayer, origin: string, names: readonly string[]) => NamedWeights[],
    private rank: number,
  ) {}

  private fail(origin: string, problem: string): never {
    throw new InteropError(this.source, `${origin}: ${problem}`);
  }

  private push(spec: LayerSpec, origin: string, weights: ImportedLayer['weights'] = []): void {
    if (this.pendingPads !== null && spec.kind !== 'conv2d') {
      this.fail(this.pendingPadOrigin, `ZeroPadding2D is supported only right before a Conv2D with padding "valid" (here before ${origin})`);
    }
    this.layers.push({ spec, weights, origin });
  }

  private activation(name: unknown, origin: string): void {
    if (typeof name !== 'string' || !Object.hasOwn(activationNames, name)) this.fail(origin, `activation ${describe(name)} is not supported (linear, relu, sigmoid, tanh, softmax, elu are)`);
    const kind = activationNames[name];
    if (kind === 'elu') this.push({ kind: 'elu', alpha: 1 }, origin);
    else if (kind !== null) this.push({ kind } as LayerSpec, origin);
  }

  private pair(config: Record<string, unknown>, key: string, origin: string, fallback?: [number, number]): [number, number] {
    const value = config[key] ?? fallback;
    const pair = pairOf(value);
    if (pair === undefined) return this.fail(origin, `${key}: expected an integer or a pair, got ${describe(value)}`);
    return pair;
  }

  private expect(config: Record<string, unknown>, key: string, allowed: readonly unknown[], origin: string): void {
    const value = config[key];
    if (value !== undefined && value !== null && !allowed.some((item) => JSON.stringify(item) === JSON.stringify(value))) {
      this.fail(origin, `${key} ${describe(value)} is not supported (${allowed.map((item) => JSON.stringify(item)).join(' or ')} is)`);
    }
  }

  /** Converts one Keras layer (index `index` in the topology) into nnkit layers. */
  read(layer: KerasLayer, index: number): void {
    const origin = originOf(index, layer);
    const config = layer.config;
    const shapes = (names: readonly string[]) => this.weightsOf(layer, origin, names);
    switch (layer.class_name) {
      case 'InputLayer':
        return;
      case 'Dense': {
        if (this.rank !== 1) this.fail(origin, `Dense on a rank-${this.rank} input: nnkit needs a Flatten before it`);
        const useBias = config.use_bias !== false;
        const [kernel, bias] = shapes(useBias ? ['kernel', 'bias'] : ['kernel']);
        const units = Number(config.units);
        this.push({ kind: 'dense', units, init: nnkitInit(config.kernel_initializer) }, origin, [kernel, bias ?? { shape: [units], data: new Float32Array(units) }]);
        this.activation(config.activation ?? 'linear', origin);
        return;
      }
      case 'Conv2D': {
        this.expect(config, 'data_format', ['channels_last'], origin);
        this.expect(config, 'dilation_rate', [1, [1, 1]], origin);
        this.expect(config, 'groups', [1], origin);
        const kernelSize = this.pair(config, 'kernel_size', origin);
        const stride = this.pair(config, 'strides', origin, [1, 1]);
        const filters = Number(config.filters);
        const padding = config.padding ?? 'valid';
        if (padding !== 'valid' && padding !== 'same') this.fail(origin, `padding ${describe(padding)} is not supported (valid or same is)`);
        if (this.pendingPads !== null && padding !== 'valid') this.fail(this.pendingPadOrigin, `ZeroPadding2D before a Conv2D with padding "${padding}" is not supported`);
        const pads = this.pendingPads;
        this.pendingPads = null;
        const useBias = config.use_bias !== false;
        const [kernel, bias] = shapes(useBias ? ['kernel', 'bias'] : ['kernel']);
        this.push(
          { kind: 'conv2d', filters, kernelSize: compact(kernelSize), stride: compact(stride), padding: pads ?? (padding as 'valid' | 'same'), init: nnkitInit(config.kernel_initializer) },
          origin,
          [kernel, bias ?? { shape: [filters], data: new Float32Array(filters) }],
        );
        this.activation(config.activation ?? 'linear', origin);
        return;
      }
      case 'ZeroPadding2D': {
        this.expect(config, 'data_format', ['channels_last'], origin);
        const value = config.padding ?? 1;
        const pair = pairOf(value);
        let pads: [number, number, number, number] | undefined;
        if (typeof value === 'number') pads = [value, value, value, value];
        else if (pair !== undefined) pads = [pair[0], pair[0], pair[1], pair[1]];
        else if (Array.isArray(value) && value.length === 2) {
          const [rows, columns] = value.map(pairOf);
          if (rows !== undefined && columns !== undefined) pads = [rows[0], rows[1], columns[0], columns[1]];
        }
        if (pads === undefined) this.fail(origin, `padding: expected n, [rows, columns] or [[top, bottom], [left, right]], got ${describe(value)}`);
        this.pendingPads = pads;
        this.pendingPadOrigin = origin;
        return;
      }
      case 'MaxPooling2D':
      case 'AveragePooling2D': {
        this.expect(config, 'data_format', ['channels_last'], origin);
        this.expect(config, 'padding', ['valid'], origin);
        const size = this.pair(config, 'pool_size', origin, [2, 2]);
        const stride = config.strides === null || config.strides === undefined ? size : this.pair(config, 'strides', origin);
        this.push({ kind: layer.class_name === 'MaxPooling2D' ? 'maxPool2d' : 'avgPool2d', size: compact(size), stride: compact(stride) }, origin);
        return;
      }
      case 'Flatten':
        this.expect(config, 'data_format', ['channels_last'], origin);
        this.rank = 1;
        this.push({ kind: 'flatten' }, origin);
        return;
      case 'Dropout':
        this.push({ kind: 'dropout', rate: Number(config.rate) }, origin);
        return;
      case 'BatchNormalization': {
        const axis = Array.isArray(config.axis) && config.axis.length === 1 ? config.axis[0] : (config.axis ?? -1);
        if (axis !== -1 && axis !== this.rank) this.fail(origin, `axis ${describe(config.axis)} is not supported: nnkit normalizes the last axis (-1)`);
        const scale = config.scale !== false;
        const center = config.center !== false;
        const names = [...(scale ? ['gamma'] : []), ...(center ? ['beta'] : []), 'moving_mean', 'moving_variance'];
        const values = shapes(names);
        const channels = values[values.length - 1].data.length;
        const take = (name: string, fill: number) => (names.includes(name) ? values[names.indexOf(name)] : { shape: [channels], data: new Float32Array(channels).fill(fill) });
        this.push(
          { kind: 'batchNorm', momentum: Number(config.momentum ?? 0.99), epsilon: Number(config.epsilon ?? 1e-3) },
          origin,
          ['gamma', 'beta', 'moving_mean', 'moving_variance'].map((name) => take(name, name === 'gamma' || name === 'moving_variance' ? 1 : 0)),
        );
        return;
      }
      case 'Activation':
        this.activation(config.activation, origin);
        return;
      case 'ReLU':
        if ((config.max_value ?? null) !== null || (config.negative_slope ?? 0) !== 0 || (config.threshold ?? 0) !== 0) {
          this.fail(origin, 'only a plain ReLU (no max_value, negative_slope or threshold) is supported');
        }
        this.push({ kind: 'relu' }, origin);
        return;
      case 'LeakyReLU':
        this.push({ kind: 'leakyRelu', alpha: Number(config.alpha ?? config.negative_slope ?? 0.3) }, origin);
        return;
      case 'ELU':
        this.push({ kind: 'elu', alpha: Number(config.alpha ?? 1) }, origin);
        return;
      case 'Softmax':
        if ((config.axis ?? -1) !== -1 && config.axis !== this.rank) this.fail(origin, `axis ${describe(config.axis)} is not supported (-1 is)`);
        this.push({ kind: 'softmax' }, origin);
        return;
      default:
        this.fail(
          origin,
          'not supported by nnkit (Dense, Conv2D, ZeroPadding2D, MaxPooling2D, AveragePooling2D, Flatten, Dropout, BatchNormalization, Activation, ReLU, LeakyReLU, ELU, Softmax, InputLayer are)',
        );
    }
  }

  /** The layers read, after checking that nothing was left half-done. */
  finish(): ImportedLayer[] {
    if (this.pendingPads !== null) this.fail(this.pendingPadOrigin, 'ZeroPadding2D at the end of the model is not supported');
    return this.layers;
  }
}
