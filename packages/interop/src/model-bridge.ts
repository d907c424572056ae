import { type LayerSpec, type LossSpec, ModelDefinitionError, Sequential } from '@nnkit/layers';
import { createRng, formatShape, shapesEqual, type Shape } from '@nnkit/tensor';
import { InteropError, isRecord } from './errors.js';
import type { NamedWeights } from './weights.js';

/**
 * What an exported graph computes after nnkit's last layer: `softmax` / `sigmoid` turn logits into
 * the probabilities nnkit's loss implies; `none` leaves the last activations (the quadratic cost
 * trains on activations, so they are the output already).
 */
export type ExportHead = 'softmax' | 'sigmoid' | 'none';

/** The head that turns `model`'s output into what its loss calls probabilities. */
export function headOf(model: Sequential): ExportHead {
  const kind = model.loss.config.kind;
  return kind === 'softmaxCrossEntropy' ? 'softmax' : kind === 'sigmoidCrossEntropy' ? 'sigmoid' : 'none';
}

/** Options shared by every export. */
export interface ExportOptions {
  /**
   * The pixel normalization the model expects, as nnkit writes it (`scale`, `standardize:0.1307/0.3081`,
   * `binarize:0.5`, `raw`); default `scale` (pixel / 255).
   */
  readonly normalization?: string;
  /** The model file's free-form metadata, carried along so an import gives it back. */
  readonly meta?: Record<string, unknown>;
  /** Names the model in errors (default `model`): `model.json: layer 4 (elu, alpha 0.7): …`. */
  readonly source?: string;
}

/** What travels in an export's metadata (tfjs `userDefinedMetadata.nnkit`, ONNX `metadata_props` `nnkit.*`). */
export interface InteropMetadata {
  /** Normalization the graph's input must already have: `scale` is x = pixel / 255. */
  readonly normalization: string;
  /** The input the graph takes, in words. */
  readonly input: string;
  /** What the graph returns: class probabilities (softmax or sigmoid head) or the last activations. */
  readonly output: string;
  /** nnkit's training loss, so that an import restores it. */
  readonly loss: LossSpec;
  /** The nnkit model file's metadata, when it had any. */
  readonly meta?: Record<string, unknown>;
}

/** The metadata an export of `model` carries. */
export function exportMetadata(model: Sequential, options: ExportOptions): InteropMetadata {
  const head = headOf(model);
  const classes = model.outputShape[0];
  return {
    normalization: options.normalization ?? 'scale',
    input: `float32 NHWC [N, ${model.inputShape.join(', ')}], already normalized (${describeNormalization(options.normalization ?? 'scale')})`,
    output:
      head === 'softmax'
        ? `[N, ${classes}] class probabilities (softmax; nnkit trained on the logits before it)`
        : head === 'sigmoid'
          ? `[N, ${classes}] per-class probabilities (sigmoid; nnkit trained on the logits before it)`
          : `[N, ${classes}] last-layer activations (quadratic cost); the class is the argmax`,
    loss: model.loss.config,
    ...(options.meta === undefined ? {} : { meta: options.meta }),
  };
}

/** `scale` → `x = pixel / 255`, and so on: the normalization as a formula for people. */
export function describeNormalization(normalization: string): string {
  const [name, argument] = normalization.split(':', 2);
  if (name === 'scale') return 'x = pixel / 255';
  if (name === 'raw') return 'x = pixel (0–255)';
  if (name === 'binarize') return `x = 1 if pixel / 255 ≥ ${argument ?? '0.5'} else 0`;
  if (name === 'standardize' && argument !== undefined) {
    const [mean, std] = argument.split('/');
    return `x = (pixel / 255 − ${mean}) / ${std}`;
  }
  return normalization;
}

/** Every value saved with a layer (parameters, then state such as batch-norm statistics), in order. */
export function layerTensors(model: Sequential, index: number): NamedWeights[] {
  const layer = model.layers[index];
  return [...layer.params, ...(layer.state ?? [])].map((entry) => ({ name: entry.name, shape: entry.value.shape, data: entry.value.data }));
}

/** One layer read from another format: its nnkit config, its tensors in nnkit's order, and where it came from. */
export interface ImportedLayer {
  readonly spec: LayerSpec;
  readonly weights: readonly { readonly shape: Shape; readonly data: Float32Array }[];
  /** Names the source layer in errors: `layer 3 (Conv2D "conv2d_1")`, `node 5 (Gemm)`. */
  readonly origin: string;
}

/** An imported model and the metadata it carried (`normalization` among it, for every command). */
export interface ImportedModel {
  readonly model: Sequential;
  readonly meta: Record<string, unknown>;
}

/**
 * Builds the nnkit model from imported layers. A final softmax becomes the `softmaxCrossEntropy`
 * loss (nnkit trains on logits); a final sigmoid becomes `sigmoidCrossEntropy` unless the
 * metadata says the model was trained with the quadratic cost; a model without either keeps its
 * outputs as logits. Any layer nnkit rejects, or a tensor of the wrong shape, throws
 * `InteropError` naming the source layer.
 */
export function assembleModel(
  source: string,
  inputShape: Shape,
  imported: readonly ImportedLayer[],
  metadata: { readonly loss?: unknown; readonly normalization?: unknown; readonly meta?: unknown },
  importedFrom: string,
): ImportedModel {
  const layers = [...imported];
  const last = layers[layers.length - 1];
  const storedLoss = isRecord(metadata.loss) && typeof metadata.loss.kind === 'string' ? (metadata.loss as unknown as LossSpec) : undefined;
  let loss: LossSpec = storedLoss ?? { kind: 'softmaxCrossEntropy' };
  if (last?.spec.kind === 'softmax' && loss.kind !== 'quadratic') {
    layers.pop();
    // The stored loss keeps its options (label smoothing) when it is the head's own.
    loss = storedLoss?.kind === 'softmaxCrossEntropy' ? storedLoss : { kind: 'softmaxCrossEntropy' };
  } else if (last?.spec.kind === 'sigmoid' && loss.kind !== 'quadratic') {
    layers.pop();
    loss = storedLoss?.kind === 'sigmoidCrossEntropy' ? storedLoss : { kind: 'sigmoidCrossEntropy' };
  }
  if (layers.length === 0) throw new InteropError(source, 'the model has no layers nnkit could train');
  let model: Sequential;
  try {
    model = new Sequential({ inputShape, layers: layers.map((layer) => layer.spec), loss }, createRng('import'));
  } catch (error) {
    if (!(error instanceof ModelDefinitionError)) throw error;
    const origin = error.layerIndex === undefined ? 'the model' : layers[error.layerIndex].origin;
    throw new InteropError(source, `${origin}: ${error.problem}`);
  }
  model.layers.forEach((layer, index) => {
    const entries = [...layer.params, ...(layer.state ?? [])];
    const given = layers[index].weights;
    if (given.length !== entries.length) {
      throw new InteropError(source, `${layers[index].origin}: expected ${entries.length} weight tensors (${entries.map((entry) => entry.name).join(', ')}), got ${given.length}`);
    }
    entries.forEach((entry, i) => {
      if (!shapesEqual(entry.value.shape, given[i].shape) || given[i].data.length !== entry.value.data.length) {
        throw new InteropError(source, `${layers[index].origin}: ${entry.name} should be ${formatShape(entry.value.shape)} for this layer, the file has ${formatShape(given[i].shape)}`);
      }
      const bad = given[i].data.findIndex((value) => !Number.isFinite(value));
      if (bad >= 0) throw new InteropError(source, `${layers[index].origin}: ${entry.name} value ${bad} is ${given[i].data[bad]}`);
      entry.value.data.set(given[i].data);
    });
  });
  const carried = isRecord(metadata.meta) ? metadata.meta : {};
  const meta: Record<string, unknown> = { ...carried, importedFrom };
  if (typeof metadata.normalization === 'string') meta.normalization = metadata.normalization;
  return { model, meta };
}
