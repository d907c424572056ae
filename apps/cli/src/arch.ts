import type { InitName, LayerSpec, LossSpec, ModelDefinition } from '@nnkit/layers';
import { UsageError } from './errors.js';

/** Hidden-layer activations `--activation` accepts. */
export const activationNames = ['relu', 'sigmoid', 'tanh', 'leaky-relu'] as const;
export type ActivationName = (typeof activationNames)[number];

/** Costs `--loss` accepts, with the output layer each implies. */
export const lossNames = ['softmax-ce', 'sigmoid-ce', 'quadratic'] as const;
export type LossName = (typeof lossNames)[number];

/** Initialisers `--init` accepts (kebab-case on the command line). */
export const initOptionNames = ['normal', 'scaled-normal', 'glorot', 'he'] as const;
export type InitOptionName = (typeof initOptionNames)[number];

export interface ArchitectureOptions {
  readonly activation?: ActivationName;
  readonly loss?: LossName;
  readonly init?: InitOptionName;
}

const mnistInput = [28, 28, 1] as const;

const activationLayer = (name: ActivationName): LayerSpec =>
  name === 'leaky-relu' ? { kind: 'leakyRelu' } : { kind: name };

const initOf = (name: InitOptionName): InitName => (name === 'scaled-normal' ? 'scaledNormal' : name);

/**
 * Turns an architecture string into a model definition for 28×28×1 digits, 10 classes.
 *
 * Two forms:
 * - Nielsen's layer sizes, `784-30-10`: dense layers; the first number is the input size.
 * - Tokens joined by `-`: `conv20x5` (20 filters 5×5; suffixes `s2` stride, `same` padding, e.g.
 *   `conv32x3s2same`), `pool2` / `maxpool2` / `avgpool2` (window and stride 2), `fc100` /
 *   `dense100`, `drop0.5` / `dropout0.5`, `bn` (batch norm), and explicit activations `relu`,
 *   `sigmoid`, `tanh`, `lrelu`. A flatten goes in before the first dense layer after images.
 *
 * Every conv and hidden dense layer is followed by `activation` unless the next token is an
 * activation or batch norm; the last dense layer must have 10 units and gets no activation:
 * the loss decides (softmax for `softmax-ce`, sigmoid inside `sigmoid-ce`, an explicit sigmoid
 * output layer for `quadratic`, as in Nielsen's chapter 1).
 */
export function parseArchitecture(spec: string, options: ArchitectureOptions = {}): ModelDefinition {
  const activation = options.activation ?? 'relu';
  const lossName = options.loss ?? 'softmax-ce';
  const init = initOf(options.init ?? (activation === 'relu' || activation === 'leaky-relu' ? 'he' : 'scaled-normal'));
  const text = spec.trim().toLowerCase();
  if (text === '') throw new UsageError(`--arch: empty architecture, expected e.g. 784-30-10 or conv20x5-pool2-fc100-fc10`);
  const tokens = text.split('-');
  const layers: LayerSpec[] = [];

  if (tokens.every((token) => /^\d+$/.test(token))) {
    const sizes = tokens.map(Number);
    if (sizes.length < 2) throw new UsageError(`--arch ${spec}: expected at least an input and an output size, e.g. 784-10`);
    if (sizes[0] !== 784) throw new UsageError(`--arch ${spec}: the first size is the input and must be 784 (28×28 pixels), got ${sizes[0]}`);
    layers.push({ kind: 'flatten' });
    sizes.slice(1).forEach((units, index) => {
      if (units <= 0) throw new UsageError(`--arch ${spec}: layer sizes must be positive`);
      layers.push({ kind: 'dense', units, init });
      if (index < sizes.length - 2) layers.push(activationLayer(activation));
    });
  } else {
    let spatial = true;
    tokens.forEach((token, index) => {
      const nextToken = tokens[index + 1];
      const nextIsActivation = nextToken !== undefined && /^(relu|sigmoid|tanh|lrelu|bn)$/.test(nextToken);
      let match: RegExpMatchArray | null;
      if ((match = token.match(/^conv(\d+)x(\d+)(?:s(\d+))?(same|valid)?$/))) {
        if (!spatial) throw new UsageError(`--arch ${spec}: '${token}' comes after a dense layer; convolutions need images`);
        const [, filters, size, stride, padding] = match;
        layers.push({
          kind: 'conv2d',
          filters: Number(filters),
          kernelSize: Number(size),
          ...(stride ? { stride: Number(stride) } : {}),
          ...(padding ? { padding: padding as 'same' | 'valid' } : {}),
          init,
        });
        if (!nextIsActivation) layers.push(activationLayer(activation));
      } else if ((match = token.match(/^(max|avg)?pool(\d+)$/))) {
        if (!spatial) throw new UsageError(`--arch ${spec}: '${token}' comes after a dense layer; pooling needs images`);
        layers.push({ kind: match[1] === 'avg' ? 'avgPool2d' : 'maxPool2d', size: Number(match[2]) });
      } else if ((match = token.match(/^(?:fc|dense)(\d+)$/))) {
        if (spatial) {
          layers.push({ kind: 'flatten' });
          spatial = false;
        }
        layers.push({ kind: 'dense', units: Number(match[1]), init });
        const isLast = index === tokens.length - 1;
        if (!isLast && !nextIsActivation) layers.push(activationLayer(activation));
      } else if ((match = token.match(/^drop(?:out)?(0?\.\d+)$/))) {
        layers.push({ kind: 'dropout', rate: Number(match[1]) });
      } else if (token === 'bn') {
        layers.push({ kind: 'batchNorm' });
        if (nextToken !== undefined && !/^(relu|sigmoid|tanh|lrelu)$/.test(nextToken) && layers.at(-2)?.kind !== 'relu') {
          layers.push(activationLayer(activation));
        }
      } else if (/^(relu|sigmoid|tanh|lrelu)$/.test(token)) {
        layers.push(token === 'lrelu' ? { kind: 'leakyRelu' } : { kind: token as 'relu' | 'sigmoid' | 'tanh' });
      } else {
        throw new UsageError(
          `--arch ${spec}: unknown part '${token}', expected convNxK[sS][same], poolN, avgpoolN, fcN, dropP, bn, relu, sigmoid, tanh or lrelu`,
        );
      }
    });
    const last = layers.at(-1);
    if (!last || last.kind !== 'dense') throw new UsageError(`--arch ${spec}: must end with the output layer fc10`);
  }

  const output = layers.at(-1);
  if (output?.kind !== 'dense' || output.units !== 10) {
    throw new UsageError(`--arch ${spec}: the last layer must have 10 units (one per digit), got ${output?.kind === 'dense' ? output.units : 'none'}`);
  }
  let loss: LossSpec;
  if (lossName === 'quadratic') {
    layers.push({ kind: 'sigmoid' });
    loss = { kind: 'quadratic' };
  } else {
    loss = { kind: lossName === 'sigmoid-ce' ? 'sigmoidCrossEntropy' : 'softmaxCrossEntropy' };
  }
  return { inputShape: mnistInput, layers, loss };
}
