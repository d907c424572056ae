import type { LayerSpec } from '@nnkit/layers';
import type { Tensor as TfTensor, Tensor4D } from '@tensorflow/tfjs';
import type { TensorFlow } from './tfjs-oracle.js';

/**
 * The same model written in TensorFlow.js ops, for whole-model parity: `specs` are nnkit layer
 * configs as normalised by `Sequential.definition` (defaults filled in), `params` the tensors
 * in `Sequential.params` order (each layer's weights then bias, or γ then β). Training mode
 * only (batch norm uses the batch statistics); dropout is not supported (its mask is random).
 */
export function tfjsSequential(tf: TensorFlow, specs: readonly LayerSpec[], input: TfTensor, params: readonly TfTensor[]): TfTensor {
  let next = 0;
  const take = (): TfTensor => {
    const param = params[next++];
    if (!param) throw new Error(`tfjsSequential: ran out of parameters at parameter ${next - 1}`);
    return param;
  };
  const pair = (value: number | readonly [number, number] | undefined, fallback: [number, number]): [number, number] =>
    value === undefined ? fallback : typeof value === 'number' ? [value, value] : [value[0], value[1]];
  let x = input;
  for (const spec of specs) {
    switch (spec.kind) {
      case 'dense':
        x = tf.add(tf.matMul(x, take()), take());
        break;
      case 'conv2d': {
        const padding = spec.padding ?? 'valid';
        const pad =
          typeof padding === 'string'
            ? padding
            : ([
                [0, 0],
                [padding[0], padding[1]],
                [padding[2], padding[3]],
                [0, 0],
              ] as [[number, number], [number, number], [number, number], [number, number]]);
        x = tf.add(tf.conv2d(x as Tensor4D, take() as Tensor4D, pair(spec.stride, [1, 1]), pad), take());
        break;
      }
      case 'maxPool2d':
      case 'avgPool2d': {
        const size = pair(spec.size, [1, 1]);
        const pool = spec.kind === 'maxPool2d' ? tf.maxPool : tf.avgPool;
        x = pool(x as Tensor4D, size, pair(spec.stride, size), 'valid');
        break;
      }
      case 'flatten':
        x = tf.reshape(x, [x.shape[0], -1]);
        break;
      case 'relu':
        x = tf.relu(x);
        break;
      case 'sigmoid':
        x = tf.sigmoid(x);
        break;
      case 'tanh':
        x = tf.tanh(x);
        break;
      case 'leakyRelu':
        x = tf.leakyRelu(x, spec.alpha ?? 0.3);
        break;
      case 'softmax':
        x = tf.softmax(x);
        break;
      case 'batchNorm': {
        const axes = Array.from({ length: x.rank - 1 }, (_, axis) => axis);
        const { mean, variance } = tf.moments(x, axes, true);
        const gamma = take();
        const beta = take();
        x = tf.add(tf.mul(gamma, tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, spec.epsilon ?? 1e-3)))), beta);
        break;
      }
      default:
        throw new Error(`tfjsSequential: no TensorFlow.js form for layer kind '${spec.kind}'`);
    }
  }
  if (next !== params.length) throw new Error(`tfjsSequential: used ${next} of ${params.length} parameters`);
  return x;
}
