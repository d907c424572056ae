import { type Conv2d, type Conv2dConfig, type LayerSpec, type Padding, resolvePadding, type Sequential } from '@nnkit/layers';
import { outputSize, type Shape } from '@nnkit/tensor';
import { describe, InteropError, isRecord } from './errors.js';
import { assembleModel, exportMetadata, headOf, layerTensors, type ExportOptions, type ImportedLayer, type ImportedModel } from './model-bridge.js';
import { int64, onnx, type OnnxTypes } from './onnx-proto.js';
import { pairOf } from './tfjs-layers.js';

/** The ONNX operator set nnkit writes (Softmax over one axis, Dropout's ratio as an input: both 13). */
export const onnxOpset = 13;

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const Attribute = onnx.AttributeProto.AttributeType;

type Layout = 'nhwc' | 'nchw' | 'flat';

function floatTensor(name: string, shape: readonly number[], data: Float32Array): OnnxTypes.ITensorProto {
  return { name, dims: [...shape], dataType: FLOAT, rawData: new Uint8Array(Float32Array.from(data).buffer) };
}

function attribute(name: string, value: number | readonly number[] | string, kind: 'int' | 'float' = 'int'): OnnxTypes.IAttributeProto {
  if (typeof value === 'string') return { name, type: Attribute.STRING, s: new TextEncoder().encode(value) };
  if (typeof value !== 'number') return { name, type: Attribute.INTS, ints: [...value] };
  return kind === 'float' ? { name, type: Attribute.FLOAT, f: value } : { name, type: Attribute.INT, i: value };
}

/**
 * nnkit → ONNX (opset 13) as protobuf bytes. The graph takes `input`, float32 NHWC
 * `[N, ...inputShape]` already normalized, transposes to NCHW for Conv/pooling/batch norm and back
 * before Flatten (so the flattened vector has nnkit's NHWC order), and returns `probabilities`
 * (a Softmax or Sigmoid after nnkit's logits) or, for the quadratic cost, `output`. Dropout is
 * written as Dropout (identity at inference). `metadata_props` carries the normalization,
 * the input/output contract, nnkit's loss, the layers' `init` and the model's meta.
 */
export function toOnnx(model: Sequential, options: ExportOptions = {}): Uint8Array {
  const nodes: OnnxTypes.INodeProto[] = [];
  const initializers: OnnxTypes.ITensorProto[] = [];
  let current = 'input';
  let layout: Layout = model.inputShape.length === 3 ? 'nhwc' : 'flat';
  let counter = 0;
  const node = (opType: string, inputs: string[], attributes: OnnxTypes.IAttributeProto[] = []): void => {
    const name = `${opType.toLowerCase()}_${counter++}`;
    nodes.push({ name, opType, input: [current, ...inputs], output: [name], attribute: attributes });
    current = name;
  };
  const constant = (label: string, shape: readonly number[], data: Float32Array): string => {
    const name = `${label}_${initializers.length}`;
    initializers.push(floatTensor(name, shape, data));
    return name;
  };
  const toLayout = (target: 'nhwc' | 'nchw'): void => {
    if (layout === target || layout === 'flat') return;
    node('Transpose', [], [attribute('perm', target === 'nchw' ? [0, 3, 1, 2] : [0, 2, 3, 1])]);
    layout = target;
  };
  const inits: string[] = [];
  model.layers.forEach((layer, index) => {
    const spec = layer.config as LayerSpec;
    const tensors = layerTensors(model, index);
    switch (spec.kind) {
      case 'conv2d': {
        toLayout('nchw');
        const [kernelHeight, kernelWidth, channels, filters] = tensors[0].shape;
        // HWIO → OIHW.
        const hwio = tensors[0].data;
        const oihw = new Float32Array(hwio.length);
        for (let y = 0; y < kernelHeight; y++)
          for (let x = 0; x < kernelWidth; x++)
            for (let c = 0; c < channels; c++)
              for (let o = 0; o < filters; o++) oihw[((o * channels + c) * kernelHeight + y) * kernelWidth + x] = hwio[((y * kernelWidth + x) * channels + c) * filters + o];
        const [top, bottom, left, right] = (layer as Conv2d).pads;
        const padding = (spec as Conv2dConfig).padding ?? 'valid';
        node('Conv', [constant(`conv${index}_weights`, [filters, channels, kernelHeight, kernelWidth], oihw), constant(`conv${index}_bias`, [filters], tensors[1].data)], [
          attribute('kernel_shape', [kernelHeight, kernelWidth]),
          attribute('strides', pairOf(spec.stride ?? 1) as number[]),
          padding === 'same' ? attribute('auto_pad', 'SAME_UPPER') : attribute('pads', [top, left, bottom, right]),
          attribute('dilations', [1, 1]),
          attribute('group', 1),
        ]);
        inits.push(spec.init ?? 'glorot');
        return;
      }
      case 'maxPool2d':
      case 'avgPool2d': {
        toLayout('nchw');
        const size = pairOf(spec.size) as number[];
        node(spec.kind === 'maxPool2d' ? 'MaxPool' : 'AveragePool', [], [attribute('kernel_shape', size), attribute('strides', pairOf(spec.stride ?? spec.size) as number[])]);
        return;
      }
      case 'batchNorm': {
        toLayout('nchw');
        const channels = tensors[0].shape;
        node(
          'BatchNormalization',
          tensors.map((tensor) => constant(`batchnorm${index}_${tensor.name}`, channels, tensor.data)),
          [attribute('epsilon', spec.epsilon as number, 'float'), attribute('momentum', spec.momentum as number, 'float')],
        );
        return;
      }
      case 'flatten':
        toLayout('nhwc');
        node('Flatten', [], [attribute('axis', 1)]);
        layout = 'flat';
        return;
      case 'dense':
        node('Gemm', [constant(`dense${index}_weights`, tensors[0].shape, tensors[0].data), constant(`dense${index}_bias`, tensors[1].shape, tensors[1].data)]);
        inits.push(spec.init ?? 'glorot');
        return;
      case 'dropout':
        node('Dropout', [constant(`dropout${index}_ratio`, [], Float32Array.of(spec.rate))]);
        return;
      case 'relu':
        node('Relu', []);
        return;
      case 'sigmoid':
        node('Sigmoid', []);
        return;
      case 'tanh':
        node('Tanh', []);
        return;
      case 'leakyRelu':
        node('LeakyRelu', [], [attribute('alpha', spec.alpha as number, 'float')]);
        return;
      case 'elu':
        node('Elu', [], [attribute('alpha', spec.alpha as number, 'float')]);
        return;
      case 'softmax':
        node('Softmax', [], [attribute('axis', layout === 'nchw' ? 1 : -1)]);
        return;
      default:
        throw new InteropError(options.source ?? 'model', `layer ${index} (${(spec as { kind: string }).kind}): no ONNX operator for it`);
    }
  });
  const head = headOf(model);
  if (head === 'softmax') node('Softmax', [], [attribute('axis', -1)]);
  if (head === 'sigmoid') node('Sigmoid', []);
  const outputName = head === 'none' ? 'output' : 'probabilities';
  nodes[nodes.length - 1].output = [outputName];
  const metadata = exportMetadata(model, options);
  const shapeOf = (dims: (number | string)[]): OnnxTypes.ITypeProto => ({
    tensorType: { elemType: FLOAT, shape: { dim: dims.map((dim) => (typeof dim === 'string' ? { dimParam: dim } : { dimValue: dim })) } },
  });
  const modelProto: OnnxTypes.IModelProto = {
    irVersion: 7,
    opsetImport: [{ domain: '', version: onnxOpset }],
    producerName: 'nnkit',
    producerVersion: '0.1.0',
    docString: `${metadata.input} → ${metadata.output}`,
    graph: {
      name: 'nnkit',
      node: nodes,
      initializer: initializers,
      input: [{ name: 'input', type: shapeOf(['N', ...model.inputShape]) }],
      output: [{ name: outputName, type: shapeOf(['N', model.outputShape[0]]) }],
    },
    metadataProps: [
      { key: 'normalization', value: metadata.normalization },
      { key: 'input', value: metadata.input },
      { key: 'output', value: metadata.output },
      { key: 'nnkit.loss', value: JSON.stringify(metadata.loss) },
      { key: 'nnkit.init', value: JSON.stringify(inits) },
      ...(metadata.meta === undefined ? [] : [{ key: 'nnkit.meta', value: JSON.stringify(metadata.meta) }]),
    ],
  };
  return onnx.ModelProto.encode(onnx.ModelProto.create(modelProto)).finish();
}

interface Constant {
  readonly dims: number[];
  readonly values: Float32Array | number[];
}

/** The values of an initializer or Constant tensor: float32 as Float32Array, integers as numbers. */
function tensorValues(tensor: OnnxTypes.ITensorProto): Constant | string {
  const dims = (tensor.dims ?? []).map(int64);
  const raw = tensor.rawData && tensor.rawData.length > 0 ? tensor.rawData : undefined;
  const type = tensor.dataType ?? 0;
  if (tensor.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) return 'weights stored in an external file are not supported';
  const count = dims.reduce((product, size) => product * size, 1);
  // protobufjs hands out views into the file's buffer (a Node Buffer's slice() too): copy before viewing.
  const aligned = (size: number) => (raw === undefined || raw.length % size !== 0 ? undefined : new Uint8Array(raw).buffer);
  if (raw !== undefined && aligned(type === FLOAT || type === onnx.TensorProto.DataType.INT32 ? 4 : 8) === undefined) return `raw data of ${raw.length} bytes is cut short`;
  let values: Float32Array | number[];
  if (type === FLOAT) values = raw ? new Float32Array(aligned(4) as ArrayBuffer) : Float32Array.from(tensor.floatData ?? []);
  else if (type === onnx.TensorProto.DataType.INT64) {
    if (raw) {
      const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
      values = Array.from({ length: raw.length / 8 }, (_, i) => Number(view.getBigInt64(8 * i, true)));
    } else values = (tensor.int64Data ?? []).map(int64);
  } else if (type === onnx.TensorProto.DataType.INT32) values = raw ? Array.from(new Int32Array(aligned(4) as ArrayBuffer)) : [...(tensor.int32Data ?? [])];
  else return `data type ${type} is not supported (float32 weights are)`;
  if (values.length !== count) return `holds ${values.length} values for dims [${dims.join(', ')}] (${count})`;
  return { dims, values };
}

/** The shortest decimal that is `value` in float32: 0.2 read back from a float attribute is 0.2 again. */
function shortestFloat32(value: number): number {
  for (let digits = 1; digits < 9; digits++) {
    const candidate = Number(value.toPrecision(digits));
    if (Math.fround(candidate) === value) return candidate;
  }
  return value;
}

function attributes(node: OnnxTypes.INodeProto): Map<string, OnnxTypes.IAttributeProto> {
  return new Map((node.attribute ?? []).map((entry) => [entry.name ?? '', entry]));
}

const supportedOps =
  'Conv, Gemm, MatMul (+ Add), MaxPool, AveragePool, Relu, LeakyRelu, Elu, Sigmoid, Tanh, Softmax, BatchNormalization, Flatten, Reshape, Transpose, Dropout, Identity';

/**
 * ONNX → nnkit for chains of Conv, Gemm, MatMul (+ Add), MaxPool, AveragePool, Relu, LeakyRelu,
 * Elu, Sigmoid, Tanh, Softmax, BatchNormalization, Flatten, Reshape (to [N, features]), Transpose
 * (between NHWC and NCHW), Dropout and Identity — the graphs nnkit writes and the plain sequential
 * graphs of other tools. An NCHW input must have one channel (its bytes are then NHWC); a Flatten
 * of an NCHW tensor reorders the next Gemm's rows so that nnkit's NHWC flattening gives the same
 * result. Anything else throws `InteropError` naming `source` and the node (index and op).
 */
export function fromOnnx(bytes: Uint8Array, source = 'model.onnx'): ImportedModel {
  let modelProto: OnnxTypes.ModelProto;
  try {
    modelProto = onnx.ModelProto.decode(bytes);
  } catch (error) {
    throw new InteropError(source, `not a readable ONNX model (truncated or corrupted? ${(error as Error).message})`);
  }
  const graph = modelProto.graph;
  if (!graph || !graph.node || graph.node.length === 0) throw new InteropError(source, 'not an ONNX model: it has no graph nodes (truncated or another kind of file?)');
  const constants = new Map<string, Constant>();
  for (const tensor of graph.initializer ?? []) {
    const values = tensorValues(tensor);
    if (typeof values === 'string') throw new InteropError(source, `initializer ${tensor.name}: ${values}`);
    constants.set(tensor.name ?? '', values);
  }
  const inputs = (graph.input ?? []).filter((input) => !constants.has(input.name ?? ''));
  if (inputs.length !== 1) throw new InteropError(source, `expected one graph input, found ${inputs.length} (${inputs.map((input) => input.name).join(', ')})`);
  const input = inputs[0];
  const tensorType = input.type?.tensorType;
  if (!tensorType || tensorType.elemType !== FLOAT) throw new InteropError(source, `input ${input.name}: expected a float32 tensor`);
  const inputDims = (tensorType.shape?.dim ?? []).map((dim) => (dim.dimValue === undefined || dim.dimValue === null ? 0 : int64(dim.dimValue)));
  const sizes = inputDims.slice(1);
  if ((inputDims.length !== 4 && inputDims.length !== 2) || sizes.some((size) => !(size > 0))) {
    throw new InteropError(source, `input ${input.name}: expected [N, height, width, channels], [N, channels, height, width] or [N, features] with known sizes, got [${inputDims.join(', ')}]`);
  }
  const metadata = new Map((modelProto.metadataProps ?? []).map((entry) => [entry.key ?? '', entry.value ?? '']));
  const parse = (key: string): unknown => {
    const text = metadata.get(key);
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text);
    } catch {
      throw new InteropError(source, `metadata_props ${key}: not valid JSON`);
    }
  };

  const reader = new OnnxReader(source, constants, graph.node, input.name ?? '', sizes);
  const imported = reader.read();
  const outputs = graph.output ?? [];
  if (outputs.length !== 1 || outputs[0].name !== reader.current) {
    throw new InteropError(source, `the graph output ${outputs.map((output) => output.name).join(', ')} is not the end of the chain of nodes (${reader.current})`);
  }
  const inits = parse('nnkit.init');
  if (Array.isArray(inits) && inits.length === imported.filter((layer) => layer.spec.kind === 'dense' || layer.spec.kind === 'conv2d').length) {
    let next = 0;
    imported.forEach((layer, index) => {
      if (layer.spec.kind === 'dense' || layer.spec.kind === 'conv2d') {
        imported[index] = { ...layer, spec: { ...layer.spec, init: inits[next++] } };
      }
    });
  }
  return assembleModel(
    source,
    reader.inputShape,
    imported,
    { loss: parse('nnkit.loss'), meta: parse('nnkit.meta'), normalization: metadata.get('normalization') },
    'onnx',
  );
}

/** Walks a chain of ONNX nodes, tracking the layout and the nnkit shape of the running tensor. */
class OnnxReader {
  readonly layers: ImportedLayer[] = [];
  current: string;
  inputShape: Shape;
  private layout: Layout | 'unknown';
  /** nnkit shape [h, w, c] or [features] of the running tensor. */
  private shape: number[];
  /** After a Flatten of an NCHW tensor: nnkit feature i holds ONNX feature permutation[i]. */
  private permutation: Int32Array | null = null;

  constructor(
    private readonly source: string,
    private readonly constants: Map<string, Constant>,
    private readonly nodes: OnnxTypes.INodeProto[],
    inputName: string,
    sizes: number[],
  ) {
    this.current = inputName;
    if (sizes.length === 1) {
      this.layout = 'flat';
      this.shape = [sizes[0]];
      this.inputShape = [sizes[0]];
    } else {
      // NHWC or NCHW: the first node that cares decides. nnkit's graphs open with a Transpose to
      // NCHW; a graph that flattens its input first reads it in memory order, as nnkit does.
      this.layout = 'unknown';
      this.shape = [];
      this.inputShape = [];
      const first = nodes.find((node) => !['Constant', 'Identity', 'Dropout', 'Relu', 'LeakyRelu', 'Elu', 'Sigmoid', 'Tanh'].includes(node.opType ?? ''));
      const perm = first ? attributes(first).get('perm')?.ints?.map(int64) : undefined;
      if ((first?.opType === 'Transpose' && JSON.stringify(perm) === '[0,3,1,2]') || first?.opType === 'Flatten' || first?.opType === 'Reshape') {
        this.layout = 'nhwc';
        this.shape = [...sizes];
      } else {
        const [channels, height, width] = sizes;
        if (channels !== 1) {
          throw new InteropError(source, `input [N, ${sizes.join(', ')}] read as NCHW has ${channels} channels: nnkit takes NHWC images, so only one-channel NCHW inputs are supported`);
        }
        this.layout = 'nchw';
        this.shape = [height, width, channels];
      }
      this.inputShape = [...this.shape];
    }
  }

  private fail(index: number, node: OnnxTypes.INodeProto, problem: string): never {
    throw new InteropError(this.source, `node ${index} (${node.opType}${node.name ? ` "${node.name}"` : ''}): ${problem}`);
  }

  private constant(index: number, node: OnnxTypes.INodeProto, position: number, optional = false): Constant | undefined {
    const name = node.input?.[position];
    if (name === undefined || name === '') {
      if (optional) return undefined;
      return this.fail(index, node, `input ${position} is missing`);
    }
    const value = this.constants.get(name);
    if (value === undefined) return this.fail(index, node, `input ${position} (${name}) must be a constant (an initializer): only chains of layers are supported`);
    return value;
  }

  private floats(index: number, node: OnnxTypes.INodeProto, value: Constant): Float32Array {
    if (!(value.values instanceof Float32Array)) return this.fail(index, node, 'expected float32 weights');
    return value.values;
  }

  private push(spec: LayerSpec, index: number, node: OnnxTypes.INodeProto, weights: ImportedLayer['weights'] = []): void {
    this.layers.push({ spec, weights, origin: `node ${index} (${node.opType}${node.name ? ` "${node.name}"` : ''})` });
  }

  private needLayout(index: number, node: OnnxTypes.INodeProto, allowed: readonly Layout[]): void {
    if (!allowed.includes(this.layout as Layout)) this.fail(index, node, `cannot apply to a ${this.layout.toUpperCase()} tensor here`);
  }

  /** Applies the pending flatten permutation to per-feature values (batch-norm statistics). */
  private permuted(values: Float32Array): Float32Array {
    const permutation = this.permutation;
    if (permutation === null) return values;
    return Float32Array.from(permutation, (source) => values[source]);
  }

  read(): ImportedLayer[] {
    const nodes = this.nodes;
    for (let index = 0; index < nodes.length; index++) {
      const node = nodes[index];
      const op = node.opType ?? '';
      const attrs = attributes(node);
      const int = (name: string, fallback: number) => (attrs.has(name) ? int64(attrs.get(name)?.i) : fallback);
      const float = (name: string, fallback: number) => (attrs.has(name) ? shortestFloat32(attrs.get(name)?.f ?? fallback) : fallback);
      const ints = (name: string) => attrs.get(name)?.ints?.map(int64);
      const text = (name: string) => (attrs.has(name) ? new TextDecoder().decode(attrs.get(name)?.s ?? new Uint8Array()) : undefined);
      if (op === 'Constant') {
        const tensor = attrs.get('value')?.t;
        const values = tensor ? tensorValues(tensor) : 'only a tensor "value" is supported';
        if (typeof values === 'string') this.fail(index, node, values);
        this.constants.set(node.output?.[0] ?? '', values);
        continue;
      }
      if (node.input?.[0] !== this.current) {
        this.fail(index, node, `its input ${describe(node.input?.[0])} is not the previous node's output (${this.current}): only chains of layers are supported`);
      }
      const next = node.output?.[0] ?? '';
      switch (op) {
        case 'Identity':
          break;
        case 'Dropout': {
          const ratio = node.input?.[1] ? shortestFloat32(this.floats(index, node, this.constant(index, node, 1) as Constant)[0]) : float('ratio', 0.5);
          this.push({ kind: 'dropout', rate: ratio }, index, node);
          break;
        }
        case 'Transpose': {
          const perm = JSON.stringify(ints('perm'));
          if (this.layout === 'nhwc' && perm === '[0,3,1,2]') this.layout = 'nchw';
          else if (this.layout === 'nchw' && perm === '[0,2,3,1]') this.layout = 'nhwc';
          else this.fail(index, node, `perm ${perm} on a ${this.layout.toUpperCase()} tensor is not supported (only NHWC ↔ NCHW)`);
          break;
        }
        case 'Conv': {
          this.needLayout(index, node, ['nchw']);
          const weights = this.constant(index, node, 1) as Constant;
          const bias = this.constant(index, node, 2, true);
          if (weights.dims.length !== 4) this.fail(index, node, `weights must be [out, in, kh, kw], got [${weights.dims.join(', ')}]`);
          const [filters, channels, kernelHeight, kernelWidth] = weights.dims;
          if (int('group', 1) !== 1) this.fail(index, node, `group ${int('group', 1)} is not supported (1 is)`);
          if ((ints('dilations') ?? [1, 1]).some((d) => d !== 1)) this.fail(index, node, 'dilations other than 1 are not supported');
          const stride = (ints('strides') ?? [1, 1]) as [number, number];
          const autoPad = text('auto_pad') ?? 'NOTSET';
          const [height, width] = this.shape;
          let padding: Conv2dConfig['padding'];
          if (autoPad === 'SAME_UPPER') padding = 'same';
          else if (autoPad === 'VALID') padding = 'valid';
          else if (autoPad === 'SAME_LOWER') {
            // SAME_UPPER is nnkit's 'same'; SAME_LOWER puts the odd pixel first.
            const [top, bottom, left, right] = resolvePadding('same', height, width, [kernelHeight, kernelWidth], stride);
            padding = [bottom, top, right, left];
          } else if (autoPad === 'NOTSET') {
            const [top, left, bottom, right] = ints('pads') ?? [0, 0, 0, 0];
            padding = top + left + bottom + right === 0 ? 'valid' : [top, bottom, left, right];
          } else this.fail(index, node, `auto_pad ${autoPad} is not supported`);
          const oihw = this.floats(index, node, weights);
          const hwio = new Float32Array(oihw.length);
          for (let y = 0; y < kernelHeight; y++)
            for (let x = 0; x < kernelWidth; x++)
              for (let c = 0; c < channels; c++)
                for (let o = 0; o < filters; o++) hwio[((y * kernelWidth + x) * channels + c) * filters + o] = oihw[((o * channels + c) * kernelHeight + y) * kernelWidth + x];
          const spec: LayerSpec = {
            kind: 'conv2d',
            filters,
            kernelSize: kernelHeight === kernelWidth ? kernelHeight : [kernelHeight, kernelWidth],
            stride: stride[0] === stride[1] ? stride[0] : stride,
            padding,
          };
          this.push(spec, index, node, [
            { shape: [kernelHeight, kernelWidth, channels, filters], data: hwio },
            { shape: [filters], data: bias ? this.floats(index, node, bias) : new Float32Array(filters) },
          ]);
          const [top, bottom, left, right] = resolvePadding(padding as Padding, height, width, [kernelHeight, kernelWidth], stride);
          this.shape = [outputSize(height, kernelHeight, stride[0], top + bottom), outputSize(width, kernelWidth, stride[1], left + right), filters];
          break;
        }
        case 'MaxPool':
        case 'AveragePool': {
          this.needLayout(index, node, ['nchw']);
          const size = ints('kernel_shape') as [number, number] | undefined;
          if (size === undefined || size.length !== 2) this.fail(index, node, 'kernel_shape must be [height, width]');
          const stride = (ints('strides') ?? [1, 1]) as [number, number];
          if ((ints('pads') ?? []).some((pad) => pad !== 0)) this.fail(index, node, 'padded pooling is not supported');
          if (int('ceil_mode', 0) !== 0) this.fail(index, node, 'ceil_mode 1 is not supported');
          if ((ints('dilations') ?? [1, 1]).some((d) => d !== 1)) this.fail(index, node, 'dilations other than 1 are not supported');
          if (!['NOTSET', 'VALID'].includes(text('auto_pad') ?? 'NOTSET')) this.fail(index, node, `auto_pad ${text('auto_pad')} is not supported`);
          this.push(
            {
              kind: op === 'MaxPool' ? 'maxPool2d' : 'avgPool2d',
              size: size[0] === size[1] ? size[0] : size,
              stride: stride[0] === stride[1] ? stride[0] : stride,
            },
            index,
            node,
          );
          const [height, width, channels] = this.shape;
          this.shape = [outputSize(height, size[0], stride[0], 0), outputSize(width, size[1], stride[1], 0), channels];
          break;
        }
        case 'BatchNormalization': {
          this.needLayout(index, node, ['nchw', 'flat']);
          if (int('training_mode', 0) !== 0) this.fail(index, node, 'training_mode 1 is not supported');
          const values = [1, 2, 3, 4].map((position) => this.permuted(this.floats(index, node, this.constant(index, node, position) as Constant)));
          this.push(
            { kind: 'batchNorm', momentum: float('momentum', 0.9), epsilon: float('epsilon', 1e-5) },
            index,
            node,
            values.map((data) => ({ shape: [data.length], data })),
          );
          break;
        }
        case 'Flatten':
        case 'Reshape': {
          if (op === 'Flatten' && int('axis', 1) !== 1) this.fail(index, node, `axis ${int('axis', 1)} is not supported (1 is)`);
          const features = this.shape.reduce((product, size) => product * size, 1);
          if (op === 'Reshape') {
            const target = (this.constant(index, node, 1) as Constant).values;
            const flat = target.length === 2 && (target[0] === 0 || target[0] === -1 || target[0] === 1) && (target[1] === -1 || target[1] === features);
            if (!flat) this.fail(index, node, `only a reshape to [N, ${features}] is supported, got [${Array.from(target).join(', ')}]`);
          }
          if (this.layout === 'flat') break;
          if (this.layout === 'nchw') {
            const [height, width, channels] = this.shape;
            if (channels > 1 && height * width > 1) {
              const permutation = new Int32Array(features);
              for (let y = 0; y < height; y++)
                for (let x = 0; x < width; x++)
                  for (let c = 0; c < channels; c++) permutation[(y * width + x) * channels + c] = (c * height + y) * width + x;
              this.permutation = permutation;
            }
          }
          this.push({ kind: 'flatten' }, index, node);
          this.layout = 'flat';
          this.shape = [features];
          break;
        }
        case 'Gemm':
        case 'MatMul': {
          this.needLayout(index, node, ['flat']);
          const weights = this.constant(index, node, 1) as Constant;
          if (weights.dims.length !== 2) this.fail(index, node, `weights must be a matrix, got [${weights.dims.join(', ')}]`);
          if (op === 'Gemm' && int('transA', 0) !== 0) this.fail(index, node, 'transA 1 is not supported');
          const transposed = op === 'Gemm' && int('transB', 0) === 1;
          const [inputs, units] = transposed ? [weights.dims[1], weights.dims[0]] : weights.dims;
          const alpha = op === 'Gemm' ? float('alpha', 1) : 1;
          const beta = op === 'Gemm' ? float('beta', 1) : 1;
          const source = this.floats(index, node, weights);
          const kernel: Float32Array = new Float32Array(inputs * units);
          const permutation = this.permutation;
          for (let i = 0; i < inputs; i++) {
            const row = permutation === null ? i : permutation[i];
            for (let j = 0; j < units; j++) kernel[i * units + j] = alpha * (transposed ? source[j * inputs + row] : source[row * units + j]);
          }
          this.permutation = null;
          let bias: Float32Array = new Float32Array(units);
          let biasNode: OnnxTypes.INodeProto | undefined;
          if (op === 'Gemm') {
            const c = this.constant(index, node, 2, true);
            if (c !== undefined) bias = this.bias(index, node, c, units, beta);
          } else {
            // MatMul + Add(constant): one dense layer.
            const add = this.nodes[index + 1];
            if (add?.opType === 'Add' && add.input?.includes(next)) {
              const other = add.input.find((name) => name !== next) ?? '';
              const c = this.constants.get(other);
              if (c === undefined) this.fail(index + 1, add, `input ${other} must be a constant (the bias)`);
              bias = this.bias(index + 1, add, c, units, 1);
              biasNode = add;
            }
          }
          this.push({ kind: 'dense', units }, index, node, [
            { shape: [inputs, units], data: kernel },
            { shape: [units], data: bias },
          ]);
          this.shape = [units];
          if (biasNode !== undefined) {
            this.current = biasNode.output?.[0] ?? '';
            index++;
            continue;
          }
          break;
        }
        case 'Relu':
          this.push({ kind: 'relu' }, index, node);
          break;
        case 'Sigmoid':
          this.push({ kind: 'sigmoid' }, index, node);
          break;
        case 'Tanh':
          this.push({ kind: 'tanh' }, index, node);
          break;
        case 'LeakyRelu':
          this.push({ kind: 'leakyRelu', alpha: float('alpha', 0.01) }, index, node);
          break;
        case 'Elu':
          this.push({ kind: 'elu', alpha: float('alpha', 1) }, index, node);
          break;
        case 'Softmax': {
          const axis = int('axis', -1);
          const last = this.layout === 'flat' ? [1, -1] : this.layout === 'nchw' ? [1] : [3, -1];
          if (!last.includes(axis)) this.fail(index, node, `axis ${axis} is not the channel axis: nnkit's softmax runs over channels / features`);
          if (this.permutation !== null) this.fail(index, node, 'a softmax between a Flatten of NCHW data and a Gemm is not supported');
          this.push({ kind: 'softmax' }, index, node);
          break;
        }
        default:
          this.fail(index, node, `operator not supported by nnkit (${supportedOps} are)`);
      }
      this.current = next;
    }
    if (this.permutation !== null) throw new InteropError(this.source, 'the graph ends after a Flatten of NCHW data without a Gemm to reorder');
    return this.layers;
  }

  private bias(index: number, node: OnnxTypes.INodeProto, c: Constant, units: number, beta: number): Float32Array {
    const values = this.floats(index, node, c);
    if (values.length !== units && values.length !== 1) this.fail(index, node, `bias has ${values.length} values, expected ${units}`);
    return Float32Array.from({ length: units }, (_, j) => beta * values[values.length === 1 ? 0 : j]);
  }
}
