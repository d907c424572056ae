// onnx-proto is CommonJS (protobufjs static code for the official onnx.proto): its namespace is the default export.
import onnxProto from 'onnx-proto';

/** The `onnx` namespace of protobufjs classes (ModelProto, GraphProto, …) generated from onnx.proto. */
export const onnx = onnxProto.onnx;
/** Message shapes of onnx.proto, as plain objects. */
export type { onnx as OnnxTypes } from 'onnx-proto';

/** An int64 field's value (a number, or a Long where protobufjs found one) as a number. */
export function int64(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'object' && value !== null && 'toNumber' in value && typeof value.toNumber === 'function') return value.toNumber() as number;
  return Number(value);
}
