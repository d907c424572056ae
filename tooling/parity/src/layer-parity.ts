import type { Context, Layer } from '@nnkit/layers';
import { createRng, jsKernels, sizeOf, tensor, zeroGrads, type Kernels, type Rng } from '@nnkit/tensor';
import type { Tensor as TfTensor } from '@tensorflow/tfjs';
import { assertClose } from './compare.js';
import { uniformValues } from './random-values.js';
import { forwardAndGradients, type TensorFlow, type Values } from './tfjs-oracle.js';

/** Forward outputs and all gradients must agree within this relativeError (see compare.ts) in float32. */
export const layerTolerance = 1e-4;

/** What one nnkit evaluation returns: output, dInput, and each param's gradient by name. */
export interface LayerResult {
  readonly output: Values;
  readonly inputGrad: Values;
  readonly paramGrads: ReadonlyMap<string, Values>;
}

/** Overwrites a layer's parameter values (by name) so both sides start from identical weights. */
export function setParams(layer: Layer, values: Readonly<Record<string, Float32Array>>): void {
  for (const [name, data] of Object.entries(values)) {
    const param = layer.params.find((candidate) => candidate.name === name);
    if (!param) {
      const names = layer.params.map((candidate) => candidate.name).join(', ') || 'none';
      throw new Error(`parity: layer '${layer.config.kind}' has no parameter '${name}' (it has ${names})`);
    }
    if (param.value.data.length !== data.length) {
      throw new Error(`parity: parameter '${name}' of '${layer.config.kind}' holds ${param.value.data.length} values, got ${data.length}`);
    }
    param.value.data.set(data);
  }
}

/**
 * One forward and one backward pass of an nnkit layer on a batch, with `outputWeights` as
 * dLoss/dOutput, so the gradients returned are those of Σ outputWeights·output (the scalar the
 * oracle differentiates). Parameter gradients are zeroed first because backward adds into them.
 */
export function runLayer(
  layer: Layer,
  input: Values,
  outputWeights: Float32Array,
  options: { training?: boolean; kernels?: Kernels } = {},
): LayerResult {
  const context: Context = { kernels: options.kernels ?? jsKernels, training: options.training ?? true, rng: createRng('parity') };
  zeroGrads(layer.params);
  const output = layer.forward(tensor([...input.shape], input.data.slice()), context);
  if (sizeOf(output.shape) !== outputWeights.length) {
    throw new Error(`parity: output weights have ${outputWeights.length} values, nnkit output has shape [${output.shape.join(', ')}]`);
  }
  // Layers reuse their output and gradient buffers, so everything is copied out.
  const outputCopy: Values = { shape: [...output.shape], data: output.data.slice() };
  const inputGrad = layer.backward(tensor([...output.shape], outputWeights.slice()), context);
  const paramGrads = new Map<string, Values>();
  for (const param of layer.params) paramGrads.set(param.name, { shape: [...param.grad.shape], data: param.grad.data.slice() });
  return { output: outputCopy, inputGrad: { shape: [...inputGrad.shape], data: inputGrad.data.slice() }, paramGrads };
}

/** One comparison: an nnkit layer, its input and parameters, and the same function written in tfjs. */
export interface LayerParityCase {
  /** Names the case in failure messages (kind, shapes, options). */
  readonly label: string;
  readonly layer: Layer;
  /** Batched input `[batch, ...layer.inputShape]`. */
  readonly input: Values;
  /**
   * nnkit parameter name → values with the shape tfjs is given (e.g. HWIO filters); nnkit's
   * gradient must come back in that same shape, which checks that the layouts agree.
   */
  readonly params: Readonly<Record<string, Values>>;
  /** The tfjs function of (input, ...params in `params`' key order). */
  readonly oracle: (input: TfTensor, ...params: TfTensor[]) => TfTensor;
  readonly training?: boolean;
  readonly kernels?: Kernels;
}

/**
 * Runs both sides on `parityCase` with random output weights w ∈ [−1, 1) from `rng` and
 * asserts output, dInput and every d(param) agree within `layerTolerance`.
 */
export function assertLayerParity(tf: TensorFlow, parityCase: LayerParityCase, rng: Rng): void {
  const { layer, input, params, label } = parityCase;
  const names = Object.keys(params);
  setParams(layer, Object.fromEntries(names.map((name) => [name, params[name].data])));
  const batch = input.shape[0];
  const outputWeights = uniformValues(rng, batch * sizeOf(layer.outputShape));
  const paramValues = names.map((name) => params[name]);
  const expected = forwardAndGradients(tf, (x, ...rest) => parityCase.oracle(x, ...rest), [input, ...paramValues], outputWeights);
  const actual = runLayer(layer, input, outputWeights, { training: parityCase.training ?? true, kernels: parityCase.kernels });
  assertClose(`${label}: output`, actual.output, expected.output, layerTolerance);
  assertClose(`${label}: input gradient`, actual.inputGrad, expected.gradients[0], layerTolerance);
  names.forEach((name, i) => {
    const grad = actual.paramGrads.get(name);
    if (!grad) throw new Error(`${label}: nnkit has no gradient for '${name}'`);
    assertClose(`${label}: '${name}' gradient`, grad, expected.gradients[i + 1], layerTolerance);
  });
}
