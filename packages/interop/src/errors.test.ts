import { createPresetModel, presets } from '@nnkit/train';
import { describe, expect, it } from 'vitest';
import { foreignGraph } from './foreign-onnx.js';
import { fromOnnx, toOnnx } from './onnx.js';
import { fromTfjs, toTfjs } from './tfjs.js';

const model = createPresetModel(presets.cnn, 1);

/** The exported model as plain JSON, for editing into something broken. */
function exported() {
  const { modelJson, weightData } = toTfjs(model);
  const json = JSON.parse(JSON.stringify(modelJson));
  return { topology: json.modelTopology, specs: json.weightsManifest[0].weights, weightData };
}

describe('TensorFlow.js import refuses in one line naming the file and the layer', () => {
  it('an unsupported class_name', () => {
    const { topology, specs, weightData } = exported();
    topology.config.layers[2] = { class_name: 'LSTM', config: { name: 'lstm_1', units: 4 } };
    expect(() => fromTfjs({ modelTopology: topology, weightSpecs: specs, weightData }, 'm.json')).toThrow(/^m\.json: layer 2 \(LSTM "lstm_1"\): not supported by nnkit/);
  });

  it('an unsupported activation or padding', () => {
    const { topology, specs, weightData } = exported();
    topology.config.layers[0].config.activation = 'selu';
    expect(() => fromTfjs({ modelTopology: topology, weightSpecs: specs, weightData }, 'm.json')).toThrow('m.json: layer 0 (Conv2D "conv2d_1"): activation "selu" is not supported');
    topology.config.layers[0].config.activation = 'linear';
    topology.config.layers[2].config.padding = 'same';
    expect(() => fromTfjs({ modelTopology: topology, weightSpecs: specs, weightData }, 'm.json')).toThrow('m.json: layer 2 (MaxPooling2D "max_pooling2d_1"): padding "same" is not supported');
  });

  it('a short shard', () => {
    const { topology, specs, weightData } = exported();
    expect(() => fromTfjs({ modelTopology: topology, weightSpecs: specs, weightData: weightData.subarray(0, 3000) }, 'm.json')).toThrow(/^m\.json: the weight shard is too short: conv2d_2\/kernel/);
  });

  it('a shape that does not match the layer', () => {
    const { topology, specs, weightData } = exported();
    topology.config.layers[7].config.units = 99;
    expect(() => fromTfjs({ modelTopology: topology, weightSpecs: specs, weightData }, 'm.json')).toThrow('m.json: layer 7 (Dense "dense_1"): weights should be [640, 99] for this layer, the file has [640, 100]');
  });

  it('a weight the manifest lacks', () => {
    const { topology, specs, weightData } = exported();
    topology.config.layers[0].config.name = 'renamed';
    expect(() => fromTfjs({ modelTopology: topology, weightSpecs: specs, weightData }, 'm.json')).toThrow('m.json: layer 0 (Conv2D "renamed"): weight renamed/kernel is not in the weights manifest');
  });
});

describe('ONNX import refuses in one line naming the file and the node', () => {
  it('a truncated file', () => {
    const bytes = toOnnx(model);
    expect(() => fromOnnx(bytes.subarray(0, bytes.length - 100), 'm.onnx')).toThrow(/^m\.onnx: not a readable ONNX model \(truncated or corrupted\?/);
    expect(() => fromOnnx(new TextEncoder().encode('hello, not onnx'), 'm.onnx')).toThrow(/^m\.onnx: /);
  });

  it('an unsupported operator', () => {
    const bytes = foreignGraph([{ op: 'Flatten' }, { op: 'Gemm', inputs: [{ name: 'w', dims: [784, 10] }] }, { op: 'LogSoftmax' }], 10, 'log softmax');
    expect(() => fromOnnx(bytes, 'm.onnx')).toThrow(/^m\.onnx: node 2 \(LogSoftmax "logsoftmax2"\): operator not supported by nnkit/);
  });

  it('a graph that branches', () => {
    const bytes = foreignGraph([{ op: 'Flatten' }, { op: 'Gemm', inputs: [{ name: 'w', dims: [784, 10] }] }], 10, 'branch');
    expect(() => fromOnnx(bytes, 'm.onnx')).not.toThrow();
    const broken = foreignGraph([{ op: 'Flatten' }, { op: 'Add', inputs: [{ name: 'w', dims: [784] }] }], 784, 'add');
    expect(() => fromOnnx(broken, 'm.onnx')).toThrow('m.onnx: node 1 (Add "add1"): operator not supported by nnkit');
  });

  it('a shape that does not match', () => {
    const bytes = foreignGraph([{ op: 'Flatten' }, { op: 'Gemm', inputs: [{ name: 'w', dims: [700, 10] }] }], 10, 'shape');
    expect(() => fromOnnx(bytes, 'm.onnx')).toThrow('m.onnx: node 1 (Gemm "gemm1"): weights should be [784, 10] for this layer, the file has [700, 10]');
  });
});
