import { assertShape, formatShape, sizeOf, type Param, type Rng, type Shape, type Tensor } from '@nnkit/tensor';
import { LayerConfigError, ModelDefinitionError } from './errors.js';
import type { Context, Layer, LayerState } from './layer.js';
import type { Loss } from './loss.js';
import { createLoss, type LossSpec } from './loss-registry.js';
import { createLayer, type LayerSpec } from './registry.js';
import { batchSizeOf } from './validation.js';

/** A model: per-example input shape, the layers in order, and the loss on the last layer's output. */
export interface ModelDefinition {
  readonly inputShape: Shape;
  readonly layers: readonly LayerSpec[];
  readonly loss: LossSpec;
}

/** One row of `Sequential.summary()`, as in Keras: name, kind, per-example output shape, parameter counts. */
export interface SummaryRow {
  readonly name: string;
  readonly kind: string;
  readonly outputShape: Shape;
  /** All values saved with the layer: trainable parameters plus state (batch-norm statistics). */
  readonly params: number;
  readonly trainableParams: number;
}

/**
 * A chain of layers: forward runs them in order, backward in reverse. Layers are built from the
 * definition with `rng.fork('layers[i]')` each, so adding a layer never changes the others'
 * initial weights. `definition` holds the layers' normalised configs (defaults filled in).
 */
export class Sequential {
  readonly definition: ModelDefinition;
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  readonly layers: Layer[];
  /** Every layer's trainable parameters, in layer order: what optimizers update. */
  readonly params: Param[];
  /** Every layer's non-trainable state (batch-norm running statistics), in layer order. */
  readonly state: LayerState[];
  readonly loss: Loss<LossSpec>;
  /** Indices of the layers kept fixed in training (`freeze`). */
  private readonly frozen = new Set<number>();

  constructor(definition: ModelDefinition, rng: Rng) {
    if (typeof definition !== 'object' || definition === null) throw new ModelDefinitionError('definition', 'expected an object');
    try {
      assertShape(definition.inputShape, 'inputShape');
    } catch {
      throw new ModelDefinitionError('inputShape', `expected a list of positive integers, got ${JSON.stringify(definition.inputShape) ?? 'nothing'}`);
    }
    try {
      this.loss = createLoss(definition.loss);
    } catch (error) {
      throw new ModelDefinitionError('loss', (error as Error).message.replace(/^loss: /, ''));
    }
    if (!Array.isArray(definition.layers) || definition.layers.length === 0) {
      throw new ModelDefinitionError('layers', 'expected a non-empty list of layer configs');
    }
    this.inputShape = [...definition.inputShape];
    this.layers = [];
    let shape = this.inputShape;
    definition.layers.forEach((spec, index) => {
      try {
        const layer = createLayer(spec, shape, rng.fork(`layers[${index}]`));
        this.layers.push(layer);
        shape = layer.outputShape;
      } catch (error) {
        if (!(error instanceof LayerConfigError)) throw error;
        if (error.field === undefined) throw new ModelDefinitionError(`layers[${index}]`, error.message, index);
        throw new ModelDefinitionError(`layers[${index}].${error.field}`, `${error.problem} (${error.kind})`, index, error.field);
      }
    });
    this.outputShape = shape;
    const last = this.layers[this.layers.length - 1].config.kind;
    const lossKind = this.loss.config.kind;
    if (shape.length !== 1) {
      throw new ModelDefinitionError('layers', `the last layer's output ${formatShape(shape)} must be [classes] for the loss; add {kind: 'flatten'} and a dense layer`);
    }
    if ((lossKind === 'softmaxCrossEntropy' && last === 'softmax') || (lossKind === 'sigmoidCrossEntropy' && last === 'sigmoid')) {
      throw new ModelDefinitionError('layers', `${lossKind} takes logits: remove the final ${last} layer (the loss applies it)`);
    }
    this.definition = { inputShape: this.inputShape, layers: this.layers.map((layer) => layer.config as LayerSpec), loss: this.loss.config };
    this.params = this.layers.flatMap((layer) => layer.params);
    this.state = this.layers.flatMap((layer) => layer.state ?? []);
  }

  /**
   * Runs every layer on `input` `[batch, ...inputShape]`; returns `[batch, ...outputShape]` (owned
   * by the last layer). A frozen layer with state (batch norm) runs in inference mode, as Keras
   * does, so training leaves its running statistics as they were.
   */
  forward(input: Tensor, context: Context): Tensor {
    batchSizeOf(input, this.inputShape, 'model forward');
    let x = input;
    const fixed = context.training && this.frozen.size > 0 ? { ...context, training: false } : context;
    this.layers.forEach((layer, index) => {
      x = layer.forward(x, this.frozen.has(index) && layer.state !== undefined ? fixed : context);
    });
    return x;
  }

  /** Each layer's name in `summary()`: `conv2d_1`, `relu_1`, `dense_2`, …. */
  layerNames(): string[] {
    return this.summary().map((row) => row.name);
  }

  /**
   * Keeps layers fixed in training: `count` (the first `count` layers) or a list of layer indices
   * (0-based) and names (`conv2d_1`, see `layerNames`). Their params get `trainable: false`, which
   * every optimizer honours; `saveModel` records it. `freeze([])` unfreezes every layer.
   */
  freeze(layers: number | readonly (number | string)[]): void {
    const names = this.layerNames();
    const indices =
      typeof layers === 'number'
        ? (() => {
            if (!(Number.isInteger(layers) && layers >= 0 && layers <= this.layers.length)) {
              throw new RangeError(`freeze: ${layers} is not a number of layers from 0 to ${this.layers.length}`);
            }
            return Array.from({ length: layers }, (_, index) => index);
          })()
        : layers.map((layer) => {
            const index = typeof layer === 'number' ? layer : names.indexOf(layer);
            if (!(Number.isInteger(index) && index >= 0 && index < this.layers.length)) {
              throw new RangeError(`freeze: no layer ${JSON.stringify(layer)}; the layers are ${names.map((name, i) => `${i} ${name}`).join(', ')}`);
            }
            return index;
          });
    this.frozen.clear();
    for (const index of indices) this.frozen.add(index);
    this.layers.forEach((layer, index) => {
      for (const param of layer.params) param.trainable = !this.frozen.has(index);
    });
  }

  /** Indices of the frozen layers, ascending. */
  frozenLayers(): number[] {
    return [...this.frozen].sort((a, b) => a - b);
  }

  /**
   * Back-propagates dLoss/dOutput through every layer in reverse, adding into each param.grad,
   * and returns dLoss/dInput. `{inputGrad: false}` skips computing the (rarely needed) gradient
   * with respect to the model input; the returned tensor's contents are then unspecified.
   */
  backward(outputGrad: Tensor, context: Context, options?: { readonly inputGrad?: boolean }): Tensor {
    const needModelInputGrad = options?.inputGrad ?? true;
    let grad = outputGrad;
    for (let i = this.layers.length - 1; i >= 0; i--) grad = this.layers[i].backward(grad, context, i > 0 || needModelInputGrad);
    return grad;
  }

  /** One row per layer (Keras-style names `conv2d_1`, `dense_2`…), output shapes and parameter counts. */
  summary(): SummaryRow[] {
    const counts = new Map<string, number>();
    return this.layers.map((layer) => {
      const kind = layer.config.kind;
      const count = (counts.get(kind) ?? 0) + 1;
      counts.set(kind, count);
      const trainableParams = layer.params.reduce((sum, param) => sum + (param.trainable === false ? 0 : sizeOf(param.value.shape)), 0);
      const stateValues = (layer.state ?? []).reduce((sum, entry) => sum + sizeOf(entry.value.shape), 0);
      return { name: `${kind}_${count}`, kind, outputShape: layer.outputShape, params: trainableParams + stateValues, trainableParams };
    });
  }

  /** `summary()` as a text table with totals (total, trainable, non-trainable), like Keras' `model.summary()`. */
  formatSummary(): string {
    const rows = this.summary();
    const cells = rows.map((row) => [row.name, formatShape(row.outputShape), formatCount(row.params)]);
    const header = ['Layer', 'Output shape', 'Params'];
    const widths = header.map((title, column) => Math.max(title.length, ...cells.map((cell) => cell[column].length)));
    const line = (cell: string[]): string =>
      `${cell[0].padEnd(widths[0])}  ${cell[1].padEnd(widths[1])}  ${cell[2].padStart(widths[2])}`.trimEnd();
    const rule = '─'.repeat(widths[0] + widths[1] + widths[2] + 4);
    const total = rows.reduce((sum, row) => sum + row.params, 0);
    const trainable = rows.reduce((sum, row) => sum + row.trainableParams, 0);
    return [
      `Input: ${formatShape(this.inputShape)}   Loss: ${this.loss.config.kind}`,
      line(header),
      rule,
      ...cells.map(line),
      rule,
      `Total params: ${formatCount(total)}`,
      `Trainable params: ${formatCount(trainable)}`,
      `Non-trainable params: ${formatCount(total - trainable)}`,
    ].join('\n');
  }
}

/** 1234567 → "1,234,567" (locale-independent, so summaries read the same everywhere). */
function formatCount(count: number): string {
  return String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
