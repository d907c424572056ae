// Plain sequential ONNX graphs as other tools write them (NCHW input, Gemm with transB, MatMul +
// Add, Reshape from a Constant node, SAME_LOWER padding), for the import tests.
import { createRng } from '@nnkit/tensor';
import { onnx, type OnnxTypes } from './onnx-proto.js';

type Node = { op: string; inputs?: { name: string; dims: number[]; values?: number[] }[]; attributes?: OnnxTypes.IAttributeProto[]; constantShape?: number[] };

const ints = (name: string, values: number[]): OnnxTypes.IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: values });
const int = (name: string, value: number): OnnxTypes.IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.INT, i: value });
const float = (name: string, value: number): OnnxTypes.IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.FLOAT, f: value });
const text = (name: string, value: string): OnnxTypes.IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.STRING, s: new TextEncoder().encode(value) });

/** A chain of nodes with random float weights (seeded), NCHW input `[N, 1, 28, 28]`, as ONNX bytes. */
export function foreignGraph(nodes: readonly Node[], outputSize: number, seed: string, opset = 13): Uint8Array {
  const rng = createRng(seed);
  const initializers: OnnxTypes.ITensorProto[] = [];
  const protoNodes: OnnxTypes.INodeProto[] = [];
  let current = 'x';
  nodes.forEach((node, index) => {
    const inputs = [current];
    for (const input of node.inputs ?? []) {
      const count = input.dims.reduce((a, b) => a * b, 1);
      const values = input.values ?? Array.from({ length: count }, () => (input.name === 'var' ? 0.5 + rng.next() : rng.next() - 0.5));
      initializers.push({ name: `${input.name}${index}`, dims: input.dims, dataType: onnx.TensorProto.DataType.FLOAT, floatData: values });
      inputs.push(`${input.name}${index}`);
    }
    if (node.constantShape !== undefined) {
      protoNodes.push({
        opType: 'Constant',
        output: [`shape${index}`],
        attribute: [{ name: 'value', type: onnx.AttributeProto.AttributeType.TENSOR, t: { dims: [node.constantShape.length], dataType: onnx.TensorProto.DataType.INT64, int64Data: node.constantShape } }],
      });
      inputs.push(`shape${index}`);
    }
    const output = index === nodes.length - 1 ? 'y' : `t${index}`;
    protoNodes.push({ opType: node.op, name: `${node.op.toLowerCase()}${index}`, input: inputs, output: [output], attribute: node.attributes ?? [] });
    current = output;
  });
  const type = (dims: (number | string)[]): OnnxTypes.ITypeProto => ({
    tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: dims.map((dim) => (typeof dim === 'string' ? { dimParam: dim } : { dimValue: dim })) } },
  });
  return onnx.ModelProto.encode({
    irVersion: 7,
    opsetImport: [{ domain: '', version: opset }],
    producerName: 'test',
    graph: { name: 'foreign', node: protoNodes, initializer: initializers, input: [{ name: 'x', type: type(['batch', 1, 28, 28]) }], output: [{ name: 'y', type: type(['batch', outputSize]) }] },
  }).finish();
}

/** Conv (C > 1, asymmetric pads, stride) → Relu → MaxPool → BatchNormalization → Flatten of NCHW → Gemm (transB) → Softmax. */
export const convGemmGraph = (): Uint8Array =>
  foreignGraph(
    [
      { op: 'Conv', inputs: [{ name: 'w', dims: [3, 1, 5, 5] }, { name: 'b', dims: [3] }], attributes: [ints('kernel_shape', [5, 5]), ints('pads', [1, 0, 2, 1]), ints('strides', [2, 1])] },
      { op: 'Relu' },
      { op: 'MaxPool', attributes: [ints('kernel_shape', [2, 2]), ints('strides', [2, 2])] },
      { op: 'BatchNormalization', inputs: [{ name: 'scale', dims: [3] }, { name: 'bias', dims: [3] }, { name: 'mean', dims: [3] }, { name: 'var', dims: [3] }], attributes: [float('epsilon', 1e-5)] },
      { op: 'Flatten', attributes: [int('axis', 1)] },
      { op: 'Gemm', inputs: [{ name: 'w', dims: [10, 3 * 7 * 12] }, { name: 'c', dims: [10] }], attributes: [int('transB', 1)] },
      { op: 'Softmax', attributes: [int('axis', 1)] },
    ],
    10,
    'conv gemm',
  );

/** Conv (SAME_LOWER, even kernel) → Tanh → AveragePool → Reshape [0, −1] → MatMul + Add → LeakyRelu → Dropout → Identity → Gemm: logits. */
export const matMulGraph = (): Uint8Array =>
  foreignGraph(
    [
      { op: 'Conv', inputs: [{ name: 'w', dims: [2, 1, 4, 4] }], attributes: [ints('kernel_shape', [4, 4]), text('auto_pad', 'SAME_LOWER')] },
      { op: 'Tanh' },
      { op: 'AveragePool', attributes: [ints('kernel_shape', [2, 2]), ints('strides', [2, 2])] },
      { op: 'Reshape', constantShape: [0, -1] },
      { op: 'MatMul', inputs: [{ name: 'w', dims: [2 * 14 * 14, 16] }] },
      { op: 'Add', inputs: [{ name: 'b', dims: [16] }] },
      { op: 'LeakyRelu', attributes: [float('alpha', 0.1)] },
      { op: 'Dropout' },
      { op: 'Identity' },
      { op: 'Gemm', inputs: [{ name: 'w', dims: [16, 10] }, { name: 'c', dims: [10] }] },
    ],
    10,
    'matmul',
  );
