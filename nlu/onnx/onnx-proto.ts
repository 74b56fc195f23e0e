// Writes ONNX model files. ONNX files are protobuf; protobufjs encodes them from a hand-written
// subset of the official onnx.proto that holds only the messages and fields our graphs use (field
// numbers match onnx.proto exactly). No npm package writes ONNX graphs from JavaScript, so the
// small graph-building helpers below are ours.
import protobuf from 'protobufjs';

const ONNX_SUBSET_PROTO = `
syntax = "proto2";
package onnx;
message AttributeProto {
  enum AttributeType { UNDEFINED = 0; FLOAT = 1; INT = 2; STRING = 3; TENSOR = 4; FLOATS = 6; INTS = 7; }
  optional string name = 1;
  optional float f = 2;
  optional int64 i = 3;
  optional bytes s = 4;
  optional TensorProto t = 5;
  repeated float floats = 7;
  repeated int64 ints = 8;
  optional AttributeType type = 20;
}
message ValueInfoProto { optional string name = 1; optional TypeProto type = 2; }
message NodeProto {
  repeated string input = 1;
  repeated string output = 2;
  optional string name = 3;
  optional string op_type = 4;
  repeated AttributeProto attribute = 5;
  optional string domain = 7;
}
message ModelProto {
  optional int64 ir_version = 1;
  optional string producer_name = 2;
  optional GraphProto graph = 7;
  repeated OperatorSetIdProto opset_import = 8;
}
message GraphProto {
  repeated NodeProto node = 1;
  optional string name = 2;
  repeated TensorProto initializer = 5;
  repeated ValueInfoProto input = 11;
  repeated ValueInfoProto output = 12;
  repeated ValueInfoProto value_info = 13;
}
message TensorProto {
  repeated int64 dims = 1;
  optional int32 data_type = 2;
  repeated float float_data = 4 [packed = true];
  repeated int64 int64_data = 7 [packed = true];
  optional string name = 8;
  optional bytes raw_data = 9;
}
message TensorShapeProto {
  message Dimension { oneof value { int64 dim_value = 1; string dim_param = 2; } }
  repeated Dimension dim = 1;
}
message TypeProto {
  message Tensor { optional int32 elem_type = 1; optional TensorShapeProto shape = 2; }
  oneof value { Tensor tensor_type = 1; }
}
message OperatorSetIdProto { optional string domain = 1; optional int64 version = 2; }
`;

/** ONNX element types used here (TensorProto.DataType). */
export const ONNX_FLOAT = 1;
export const ONNX_INT64 = 7;

/** AttributeProto.AttributeType values used here. */
const ATTRIBUTE_FLOAT = 1;
const ATTRIBUTE_INT = 2;
const ATTRIBUTE_INTS = 7;

/** A graph node as a plain object shaped like onnx.NodeProto. */
export type OnnxNode = Record<string, unknown>;
/** A tensor as a plain object shaped like onnx.TensorProto. */
export type OnnxTensor = Record<string, unknown>;
/** A graph input or output as a plain object shaped like onnx.ValueInfoProto. */
export type OnnxValueInfo = Record<string, unknown>;

/** An attribute value: a number is an INT unless `float` is set, an array is INTS. */
export type OnnxAttribute = number | number[] | { float: number };

/** A float tensor stored as little-endian raw bytes (what ONNX Runtime reads fastest). */
export function floatTensor(name: string, dims: readonly number[], values: Float32Array): OnnxTensor {
  if (values.length !== dims.reduce((a, b) => a * b, 1))
    throw new Error(`tensor ${name}: ${values.length} values do not fill dims [${dims.join(', ')}]`);
  return {
    name,
    dims: [...dims],
    dataType: ONNX_FLOAT,
    rawData: new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
  };
}

/** A 1-d int64 tensor (shapes, axes). */
export function int64Tensor(name: string, values: readonly number[]): OnnxTensor {
  const data = BigInt64Array.from(values.map((v) => BigInt(v)));
  return { name, dims: [values.length], dataType: ONNX_INT64, rawData: new Uint8Array(data.buffer) };
}

/** A graph input/output; string dims are symbolic (`batch`, `sequence`). */
export function valueInfo(
  name: string,
  elemType: number,
  dims: ReadonlyArray<number | string>,
): OnnxValueInfo {
  const dim = dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name, type: { tensorType: { elemType, shape: { dim } } } };
}

/** One operator node; `output` names must be unique in the graph. */
export function onnxNode(
  opType: string,
  input: readonly string[],
  output: readonly string[],
  attributes: Record<string, OnnxAttribute> = {},
): OnnxNode {
  const attribute = Object.entries(attributes).map(([name, value]) => {
    if (Array.isArray(value)) return { name, ints: value, type: ATTRIBUTE_INTS };
    if (typeof value === 'number') return { name, i: value, type: ATTRIBUTE_INT };
    return { name, f: value.float, type: ATTRIBUTE_FLOAT };
  });
  return { opType, input: [...input], output: [...output], name: `${opType}_${output[0]}`, attribute };
}

/** The parts of a model: nodes in topological order, weights, inputs and outputs. */
export interface OnnxGraphSpec {
  name: string;
  producer: string;
  opset: number;
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
}

let modelType: protobuf.Type | undefined;

/** Encodes a model to ONNX protobuf bytes (IR version 8, accepted by ONNX Runtime 1.14 and later). */
export function encodeOnnxModel(spec: OnnxGraphSpec): Uint8Array {
  modelType ??= protobuf.parse(ONNX_SUBSET_PROTO, { keepCase: false }).root.lookupType('onnx.ModelProto');
  const payload = {
    irVersion: 8,
    producerName: spec.producer,
    opsetImport: [{ domain: '', version: spec.opset }],
    graph: {
      name: spec.name,
      node: spec.nodes,
      initializer: spec.initializers,
      input: spec.inputs,
      output: spec.outputs,
    },
  };
  const problem = modelType.verify(payload);
  if (problem) throw new Error(`ONNX model ${spec.name} does not match the proto subset: ${problem}`);
  return modelType.encode(modelType.fromObject(payload)).finish();
}
