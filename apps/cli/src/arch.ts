import {
  ArchitectureError,
  LayerConfigError,
  ModelDefinitionError,
  buildSequential,
  parseLayer,
  schemaOf,
  splitArchitecture,
  type ArchitecturePart,
  type InitName,
  type LayerSpec,
  type LossSpec,
  type ModelDefinition,
} from '@nnkit/layers';
import { createRng } from '@nnkit/tensor';
import { UsageError } from './errors.js';
import { limit } from './limits.js';

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
  /** The most parameter values the network may have (default `NNKIT_MAX_PARAMS`); a run file passes what it stores. */
  readonly maxParams?: number;
}

const mnistInput = [28, 28, 1] as const;
const classes = 10;

// The short forms below are aliases: each becomes text of the shared grammar of @nnkit/layers
// (`conv20x5` → `conv2d(20,5,he)`), read by its `parseLayer` like any other layer.
const activationText = (name: ActivationName): string => (name === 'leaky-relu' ? 'leakyRelu' : name);

const initOf = (name: InitOptionName): InitName => (name === 'scaled-normal' ? 'scaledNormal' : name);

const aliasActivations = /^(relu|sigmoid|tanh|lrelu)$/;
/** Tokens only the short forms have (a string with one of them is read with their conveniences). */
const shortForms = /^(\d+|conv\d+x\d+(s\d+)?(same|valid)?|(max|avg)?pool\d+|gap|(fc|dense)\d+|drop(out)?0?\.\d+|bn|lrelu)$/;

/** A layer and the part of the --arch string it came from. */
interface Sourced {
  readonly layer: LayerSpec;
  readonly source: ArchitecturePart;
}

/**
 * Turns an architecture string into a model definition for 28×28×1 digits, 10 classes.
 *
 * Any layer of @nnkit/layers can be written in its grammar, parts separated by `-` or spaces:
 * `conv2d(20,5,same,he)`, `maxPool2d(2)`, `flatten`, `dense(units=100)`, `elu`, `dropout(0.5)`, …
 * A string of such layers is taken as written (the last layer must give 10 outputs; `activation`
 * and `init` shape the short forms only, and the loss adds no output layer).
 *
 * Short forms, as in Nielsen's book and the benchmarks:
 * - Nielsen's layer sizes, `784-30-10`: dense layers; the first number is the input size.
 * - Tokens joined by `-`: `conv20x5` (20 filters 5×5; suffixes `s2` stride, `same` padding, e.g.
 *   `conv32x3s2same`), `pool2` / `maxpool2` / `avgpool2` (window and stride 2), `gap` (global
 *   average pooling: one average a channel, so no flatten follows), `fc100` /
 *   `dense100`, `drop0.5` / `dropout0.5`, `bn` (batch norm), and explicit activations `relu`,
 *   `sigmoid`, `tanh`, `lrelu`. A flatten goes in before the first dense layer after images.
 *   Layers of the grammar mix in (`conv20x5-elu-pool2-fc100-elu-fc10`).
 *
 * In a string with short forms, every conv and hidden dense layer is followed by `activation`
 * unless the next part is an activation or batch norm; the last dense layer must have 10 units and
 * gets no activation: the loss decides (softmax for `softmax-ce`, sigmoid inside `sigmoid-ce`, an
 * explicit sigmoid output layer for `quadratic`, as in Nielsen's chapter 1).
 */
export function parseArchitecture(spec: string, options: ArchitectureOptions = {}): ModelDefinition {
  const activation = options.activation ?? 'relu';
  const lossName = options.loss ?? 'softmax-ce';
  const init = initOf(options.init ?? (activation === 'relu' || activation === 'leaky-relu' ? 'he' : 'scaled-normal'));
  const parts = splitParts(spec);
  const shortFormsUsed = parts.some((part) => shortForms.test(part.text.toLowerCase()));
  const sourced = shortFormsUsed ? readShortForms(spec, parts, activation, init) : parts.map((part) => ({ layer: read(spec, part, part.text), source: part }));
  const layers = sourced.map((entry) => entry.layer);

  let loss: LossSpec;
  if (lossName === 'quadratic') {
    if (shortFormsUsed) layers.push({ kind: 'sigmoid' });
    loss = { kind: 'quadratic' };
  } else {
    loss = { kind: lossName === 'sigmoid-ce' ? 'sigmoidCrossEntropy' : 'softmaxCrossEntropy' };
  }
  const definition: ModelDefinition = { inputShape: mnistInput, layers, loss };
  check(spec, definition, sourced, options.maxParams ?? limit('NNKIT_MAX_PARAMS'));
  return definition;
}

function splitParts(spec: string): ArchitecturePart[] {
  let parts: ArchitecturePart[];
  try {
    parts = splitArchitecture(spec);
  } catch (error) {
    if (!(error instanceof ArchitectureError)) throw error;
    throw new UsageError(`--arch ${spec}: ${error.message}`);
  }
  if (parts.length === 0) throw new UsageError(`--arch: empty architecture, expected e.g. 784-30-10 or conv20x5-pool2-fc100-fc10`);
  return parts;
}

/** A part of the --arch string and where it starts: `'dense(0)' (part 2, column 9)`. */
function placeOf(part: ArchitecturePart): string {
  return `'${part.text}' (part ${part.part}, column ${part.column})`;
}

/** One layer of the grammar; errors name --arch, the part and its position. */
function read(spec: string, part: ArchitecturePart, text: string): LayerSpec {
  try {
    return parseLayer(text);
  } catch (error) {
    if (!(error instanceof LayerConfigError)) throw error;
    const problem = error.kind === 'layer' && error.field === undefined ? error.problem : error.message;
    throw new UsageError(`--arch ${spec}: ${placeOf(part)}: ${problem}`);
  }
}

/** Whether a part of the grammar is an activation or batch norm (so no activation is added before it). */
function isActivationText(text: string): boolean {
  try {
    const kind = parseLayer(text).kind;
    return kind === 'batchNorm' || schemaOf(kind)?.role === 'activation';
  } catch {
    return false;
  }
}

function readShortForms(spec: string, parts: readonly ArchitecturePart[], activation: ActivationName, init: InitName): Sourced[] {
  const sourced: Sourced[] = [];
  const add = (part: ArchitecturePart, text: string): void => {
    sourced.push({ layer: read(spec, part, text), source: part });
  };
  const tokens = parts.map((part) => part.text.toLowerCase());

  if (tokens.every((token) => /^\d+$/.test(token))) {
    const sizes = tokens.map(Number);
    if (sizes.length < 2) throw new UsageError(`--arch ${spec}: expected at least an input and an output size, e.g. 784-10`);
    if (sizes[0] !== 784) throw new UsageError(`--arch ${spec}: the first size is the input and must be 784 (28×28 pixels), got ${sizes[0]}`);
    add(parts[0], 'flatten');
    sizes.slice(1).forEach((units, index) => {
      const part = parts[index + 1];
      if (units <= 0) throw new UsageError(`--arch ${spec}: layer sizes must be positive, got ${placeOf(part)}`);
      add(part, `dense(${units},${init})`);
      if (index < sizes.length - 2) add(part, activationText(activation));
    });
  } else {
    let spatial = true;
    tokens.forEach((token, index) => {
      const part = parts[index];
      const where = placeOf(part);
      const nextToken = tokens[index + 1];
      const nextPart = parts[index + 1];
      const nextIsActivation = nextToken !== undefined && (/^(relu|sigmoid|tanh|lrelu|bn)$/.test(nextToken) || (!shortForms.test(nextToken) && isActivationText(nextPart.text)));
      let match: RegExpMatchArray | null;
      if ((match = token.match(/^conv(\d+)x(\d+)(?:s(\d+))?(same|valid)?$/))) {
        if (!spatial) throw new UsageError(`--arch ${spec}: ${where} comes after a dense layer; convolutions need images`);
        const [, filters, size, stride, padding] = match;
        add(part, `conv2d(${[filters, size, ...(stride ? [stride] : []), ...(padding ? [padding] : []), init].join(',')})`);
        if (!nextIsActivation) add(part, activationText(activation));
      } else if ((match = token.match(/^(max|avg)?pool(\d+)$/))) {
        if (!spatial) throw new UsageError(`--arch ${spec}: ${where} comes after a dense layer; pooling needs images`);
        add(part, `${match[1] === 'avg' ? 'avgPool2d' : 'maxPool2d'}(${match[2]})`);
      } else if (token === 'gap') {
        if (!spatial) throw new UsageError(`--arch ${spec}: ${where} comes after a dense layer; global average pooling needs images`);
        add(part, 'globalAvgPool2d');
        spatial = false;
      } else if ((match = token.match(/^(?:fc|dense)(\d+)$/))) {
        if (spatial) {
          add(part, 'flatten');
          spatial = false;
        }
        add(part, `dense(${match[1]},${init})`);
        const isLast = index === tokens.length - 1;
        if (!isLast && !nextIsActivation) add(part, activationText(activation));
      } else if ((match = token.match(/^drop(?:out)?(0?\.\d+)$/))) {
        add(part, `dropout(${match[1]})`);
      } else if (token === 'bn') {
        add(part, 'batchNorm');
        if (nextToken !== undefined && !aliasActivations.test(nextToken) && sourced.at(-2)?.layer.kind !== 'relu') {
          add(part, activationText(activation));
        }
      } else if (aliasActivations.test(token)) {
        add(part, token === 'lrelu' ? 'leakyRelu' : token);
      } else {
        let layer: LayerSpec;
        try {
          layer = parseLayer(part.text);
        } catch (error) {
          if (!(error instanceof LayerConfigError)) throw error;
          // A known layer with a bad value says what is wrong with it; anything else is unknown.
          if (error.kind !== 'layer') throw new UsageError(`--arch ${spec}: ${where}: ${error.message}`);
          throw new UsageError(
            `--arch ${spec}: unknown part ${where}, expected convNxK[sS][same], poolN, avgpoolN, gap, fcN, dropP, bn, relu, sigmoid, tanh, lrelu or a layer such as dense(units=100)`,
          );
        }
        if (layer.kind === 'flatten') spatial = false;
        sourced.push({ layer, source: part });
      }
    });
    const last = sourced.at(-1)?.layer;
    if (!last || last.kind !== 'dense') throw new UsageError(`--arch ${spec}: must end with the output layer fc10`);
  }

  const output = sourced.at(-1)?.layer;
  if (output?.kind !== 'dense' || output.units !== classes) {
    throw new UsageError(`--arch ${spec}: the last layer must have 10 units (one per digit), got ${output?.kind === 'dense' ? output.units : 'none'}`);
  }
  return sourced;
}

/** Builds the network once to report shape mistakes against the part of the string that made them. */
function check(spec: string, definition: ModelDefinition, sourced: readonly Sourced[], maxParams: number): void {
  let outputs: number;
  try {
    // Within a budget: a hostile string (or run file) declaring gigabytes of weights stops at the first draw past it.
    const model = buildSequential(definition, createRng(0), maxParams);
    outputs = model.outputShape.length === 1 ? model.outputShape[0] : 0;
  } catch (error) {
    if (!(error instanceof ModelDefinitionError)) throw error;
    const index = error.layerIndex;
    const part = index === undefined ? undefined : sourced[index]?.source;
    if (index === undefined || part === undefined) throw new UsageError(`--arch ${spec}: ${error.problem}`);
    // Field errors read `<problem> (<kind>)`; say `<kind>: <field>: <problem>` as the grammar does.
    const kind = definition.layers[index].kind;
    const problem = error.field === undefined ? error.problem : `${kind}: ${error.field}: ${error.problem.replace(` (${kind})`, '')}`;
    throw new UsageError(`--arch ${spec}: ${placeOf(part)}: ${problem}`);
  }
  if (outputs !== classes) throw new UsageError(`--arch ${spec}: the network gives ${outputs} outputs, a digit classifier needs ${classes}`);
}
