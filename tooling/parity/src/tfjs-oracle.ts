import * as tf from '@tensorflow/tfjs';

/** The TensorFlow.js namespace, as the oracle functions receive it. */
export type TensorFlow = typeof tf;

/** Plain float32 values with their shape, the form both sides of a comparison exchange. */
export interface Values {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** What one oracle evaluation returns: the forward output and d(Σ w·output)/d(each input). */
export interface OracleResult {
  readonly output: Values;
  readonly gradients: readonly Values[];
}

let ready: Promise<TensorFlow> | undefined;

/**
 * TensorFlow.js on its pure-JavaScript 'cpu' backend (float32, deterministic, no native code),
 * with its console banner and warnings silenced.
 */
export function loadTensorFlow(): Promise<TensorFlow> {
  ready ??= (async () => {
    // Production mode turns off tfjs's warn(), which otherwise prints the "install tfjs-node"
    // banner on the first tensor; it also skips debug-mode NaN checks we do not need.
    tf.enableProdMode();
    const accepted = await tf.setBackend('cpu');
    if (!accepted || tf.getBackend() !== 'cpu') throw new Error("parity: TensorFlow.js refused the 'cpu' backend");
    return tf;
  })();
  return ready;
}

function toValues(value: tf.Tensor): Values {
  return { shape: [...value.shape], data: Float32Array.from(value.dataSync()) };
}

/**
 * Evaluates `f(...inputs)` and the gradients of the scalar Σ outputWeights·f(...inputs) with
 * respect to every input (tf.grads), all inside one tf.tidy so no tensor outlives the call.
 * `outputWeights` must have the output's size; it plays the role of dLoss/dOutput.
 */
export function forwardAndGradients(
  tfjs: TensorFlow,
  f: (...inputs: tf.Tensor[]) => tf.Tensor,
  inputs: readonly Values[],
  outputWeights: Float32Array,
): OracleResult {
  // tf.tidy only returns tensors, so the plain result leaves through a variable.
  let result: OracleResult | undefined;
  tfjs.tidy(() => {
    const tensors = inputs.map((input) => tfjs.tensor(input.data, [...input.shape], 'float32'));
    const output = f(...tensors);
    if (output.size !== outputWeights.length) {
      throw new Error(`parity: output weights have ${outputWeights.length} values, the oracle output has shape [${output.shape.join(', ')}]`);
    }
    const weights = tfjs.tensor(outputWeights, output.shape, 'float32');
    const gradients = tfjs.grads((...args: tf.Tensor[]) => tfjs.sum(tfjs.mul(f(...args), weights)))(tensors);
    result = { output: toValues(output), gradients: gradients.map(toValues) };
  });
  return result as OracleResult;
}
