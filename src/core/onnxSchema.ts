// The ONNX schema for the current IR (onnx.proto, IR version 11/12 with onnx-ml parts), written for protobufjs.
// Field numbers are facts of the format. protobufjs silently drops fields its schema lacks, so edits never
// re-encode messages they do not change: see modelIndex.ts and writer.ts.
import protobuf from 'protobufjs';

export const ONNX_PROTO = `
syntax = "proto2";
package onnx;

message AttributeProto {
  enum AttributeType {
    UNDEFINED = 0; FLOAT = 1; INT = 2; STRING = 3; TENSOR = 4; GRAPH = 5; SPARSE_TENSOR = 11; TYPE_PROTO = 13;
    FLOATS = 6; INTS = 7; STRINGS = 8; TENSORS = 9; GRAPHS = 10; SPARSE_TENSORS = 12; TYPE_PROTOS = 14;
  }
  optional string name = 1;
  optional string ref_attr_name = 21;
  optional string doc_string = 13;
  optional AttributeType type = 20;
  optional float f = 2;
  optional int64 i = 3;
  optional bytes s = 4;
  optional TensorProto t = 5;
  optional GraphProto g = 6;
  optional SparseTensorProto sparse_tensor = 22;
  optional TypeProto tp = 14;
  repeated float floats = 7;
  repeated int64 ints = 8;
  repeated bytes strings = 9;
  repeated TensorProto tensors = 10;
  repeated GraphProto graphs = 11;
  repeated SparseTensorProto sparse_tensors = 23;
  repeated TypeProto type_protos = 15;
}

message ValueInfoProto {
  optional string name = 1;
  optional TypeProto type = 2;
  optional string doc_string = 3;
  repeated StringStringEntryProto metadata_props = 4;
}

message NodeProto {
  repeated string input = 1;
  repeated string output = 2;
  optional string name = 3;
  optional string op_type = 4;
  optional string domain = 7;
  optional string overload = 8;
  repeated AttributeProto attribute = 5;
  optional string doc_string = 6;
  repeated StringStringEntryProto metadata_props = 9;
  repeated NodeDeviceConfigurationProto device_configurations = 10;
}

message IntIntListEntryProto {
  optional int64 key = 1;
  repeated int64 value = 2;
}

message NodeDeviceConfigurationProto {
  optional string configuration_id = 1;
  repeated ShardingSpecProto sharding_spec = 2;
  optional int32 pipeline_stage = 3;
}

message ShardingSpecProto {
  optional string tensor_name = 1;
  repeated int64 device = 2;
  repeated IntIntListEntryProto index_to_device_group_map = 3;
  repeated ShardedDimProto sharded_dim = 4;
}

message ShardedDimProto {
  optional int64 axis = 1;
  repeated SimpleShardedDimProto simple_sharding = 2;
}

message SimpleShardedDimProto {
  oneof dim {
    int64 dim_value = 1;
    string dim_param = 2;
  }
  optional int64 num_shards = 3;
}

message TrainingInfoProto {
  optional GraphProto initialization = 1;
  optional GraphProto algorithm = 2;
  repeated StringStringEntryProto initialization_binding = 3;
  repeated StringStringEntryProto update_binding = 4;
}

message ModelProto {
  optional int64 ir_version = 1;
  repeated OperatorSetIdProto opset_import = 8;
  optional string producer_name = 2;
  optional string producer_version = 3;
  optional string domain = 4;
  optional int64 model_version = 5;
  optional string doc_string = 6;
  optional GraphProto graph = 7;
  repeated StringStringEntryProto metadata_props = 14;
  repeated TrainingInfoProto training_info = 20;
  repeated FunctionProto functions = 25;
  repeated DeviceConfigurationProto configuration = 26;
}

message DeviceConfigurationProto {
  optional string name = 1;
  optional int32 num_devices = 2;
  repeated string device = 3;
}

message StringStringEntryProto {
  optional string key = 1;
  optional string value = 2;
}

message TensorAnnotation {
  optional string tensor_name = 1;
  repeated StringStringEntryProto quant_parameter_tensor_names = 2;
}

message GraphProto {
  repeated NodeProto node = 1;
  optional string name = 2;
  repeated TensorProto initializer = 5;
  repeated SparseTensorProto sparse_initializer = 15;
  optional string doc_string = 10;
  repeated ValueInfoProto input = 11;
  repeated ValueInfoProto output = 12;
  repeated ValueInfoProto value_info = 13;
  repeated TensorAnnotation quantization_annotation = 14;
  repeated StringStringEntryProto metadata_props = 16;
}

message TensorProto {
  enum DataType {
    UNDEFINED = 0; FLOAT = 1; UINT8 = 2; INT8 = 3; UINT16 = 4; INT16 = 5; INT32 = 6; INT64 = 7; STRING = 8;
    BOOL = 9; FLOAT16 = 10; DOUBLE = 11; UINT32 = 12; UINT64 = 13; COMPLEX64 = 14; COMPLEX128 = 15;
    BFLOAT16 = 16; FLOAT8E4M3FN = 17; FLOAT8E4M3FNUZ = 18; FLOAT8E5M2 = 19; FLOAT8E5M2FNUZ = 20;
    UINT4 = 21; INT4 = 22; FLOAT4E2M1 = 23; FLOAT8E8M0 = 24; UINT2 = 25; INT2 = 26;
    FLOAT6E2M3 = 27; FLOAT6E3M2 = 28;
  }
  repeated int64 dims = 1;
  optional int32 data_type = 2;
  message Segment {
    optional int64 begin = 1;
    optional int64 end = 2;
  }
  optional Segment segment = 3;
  repeated float float_data = 4 [packed = true];
  repeated int32 int32_data = 5 [packed = true];
  repeated bytes string_data = 6;
  repeated int64 int64_data = 7 [packed = true];
  optional string name = 8;
  optional string doc_string = 12;
  optional bytes raw_data = 9;
  repeated StringStringEntryProto external_data = 13;
  enum DataLocation { DEFAULT = 0; EXTERNAL = 1; }
  optional DataLocation data_location = 14;
  repeated double double_data = 10 [packed = true];
  repeated uint64 uint64_data = 11 [packed = true];
  repeated StringStringEntryProto metadata_props = 16;
}

message SparseTensorProto {
  optional TensorProto values = 1;
  optional TensorProto indices = 2;
  repeated int64 dims = 3;
}

message TensorShapeProto {
  message Dimension {
    oneof value {
      int64 dim_value = 1;
      string dim_param = 2;
    }
    optional string denotation = 3;
  }
  repeated Dimension dim = 1;
}

message TypeProto {
  message Tensor {
    optional int32 elem_type = 1;
    optional TensorShapeProto shape = 2;
  }
  message Sequence {
    optional TypeProto elem_type = 1;
  }
  message Map {
    optional int32 key_type = 1;
    optional TypeProto value_type = 2;
  }
  message Optional {
    optional TypeProto elem_type = 1;
  }
  message SparseTensor {
    optional int32 elem_type = 1;
    optional TensorShapeProto shape = 2;
  }
  message Opaque {
    optional string domain = 1;
    optional string name = 2;
  }
  oneof value {
    Tensor tensor_type = 1;
    Sequence sequence_type = 4;
    Map map_type = 5;
    Optional optional_type = 9;
    SparseTensor sparse_tensor_type = 8;
    Opaque opaque_type = 7;
  }
  optional string denotation = 6;
}

message OperatorSetIdProto {
  optional string domain = 1;
  optional int64 version = 2;
}

message FunctionProto {
  optional string name = 1;
  repeated string input = 4;
  repeated string output = 5;
  repeated string attribute = 6;
  repeated AttributeProto attribute_proto = 11;
  repeated NodeProto node = 7;
  optional string doc_string = 8;
  repeated OperatorSetIdProto opset_import = 9;
  optional string domain = 10;
  optional string overload = 13;
  repeated ValueInfoProto value_info = 12;
  repeated StringStringEntryProto metadata_props = 14;
}
`;

const root = protobuf.parse(ONNX_PROTO, { keepCase: true }).root;

function messageType(name: string): protobuf.Type {
  return root.lookupType(`onnx.${name}`);
}

// The message types the core decodes with. Decoded int64 fields may be Long objects: use toNumber() from ./long.
export const onnxTypes = {
  ModelProto: messageType('ModelProto'),
  GraphProto: messageType('GraphProto'),
  NodeProto: messageType('NodeProto'),
  TensorProto: messageType('TensorProto'),
  SparseTensorProto: messageType('SparseTensorProto'),
  ValueInfoProto: messageType('ValueInfoProto'),
  AttributeProto: messageType('AttributeProto'),
  TypeProto: messageType('TypeProto'),
  FunctionProto: messageType('FunctionProto'),
  OperatorSetIdProto: messageType('OperatorSetIdProto'),
  StringStringEntryProto: messageType('StringStringEntryProto'),
  TrainingInfoProto: messageType('TrainingInfoProto'),
};

export const ATTRIBUTE_TYPE: Record<number, string> = {
  0: 'UNDEFINED', 1: 'FLOAT', 2: 'INT', 3: 'STRING', 4: 'TENSOR', 5: 'GRAPH', 11: 'SPARSE_TENSOR', 13: 'TYPE_PROTO',
  6: 'FLOATS', 7: 'INTS', 8: 'STRINGS', 9: 'TENSORS', 10: 'GRAPHS', 12: 'SPARSE_TENSORS', 14: 'TYPE_PROTOS',
};

/** A protobufjs int64: a plain number when it fits, else a Long-like object. */
export type Int64 = number | { low: number; high: number; unsigned: boolean; toNumber?: () => number };

export interface StringStringEntry { key?: string; value?: string }
export interface OperatorSetId { domain?: string; version?: Int64 }
export interface Dimension { dim_value?: Int64; dim_param?: string; denotation?: string }
export interface TensorShape { dim?: Dimension[] }
export interface TypeMsg {
  tensor_type?: { elem_type?: number; shape?: TensorShape };
  sequence_type?: { elem_type?: TypeMsg };
  map_type?: { key_type?: number; value_type?: TypeMsg };
  optional_type?: { elem_type?: TypeMsg };
  sparse_tensor_type?: { elem_type?: number; shape?: TensorShape };
  opaque_type?: { domain?: string; name?: string };
  denotation?: string;
}
export interface ValueInfoMsg { name?: string; type?: TypeMsg; doc_string?: string; metadata_props?: StringStringEntry[] }
export interface TensorMsg {
  dims?: Int64[]; data_type?: number; segment?: { begin?: Int64; end?: Int64 };
  float_data?: number[]; int32_data?: number[]; string_data?: Uint8Array[]; int64_data?: Int64[];
  name?: string; doc_string?: string; raw_data?: Uint8Array; external_data?: StringStringEntry[];
  data_location?: number; double_data?: number[]; uint64_data?: Int64[]; metadata_props?: StringStringEntry[];
}
export interface SparseTensorMsg { values?: TensorMsg; indices?: TensorMsg; dims?: Int64[] }
export interface AttributeMsg {
  name?: string; ref_attr_name?: string; doc_string?: string; type?: number;
  f?: number; i?: Int64; s?: Uint8Array; t?: TensorMsg; g?: GraphMsg; sparse_tensor?: SparseTensorMsg; tp?: TypeMsg;
  floats?: number[]; ints?: Int64[]; strings?: Uint8Array[]; tensors?: TensorMsg[]; graphs?: GraphMsg[];
  sparse_tensors?: SparseTensorMsg[]; type_protos?: TypeMsg[];
}
export interface NodeMsg {
  input?: string[]; output?: string[]; name?: string; op_type?: string; domain?: string; overload?: string;
  attribute?: AttributeMsg[]; doc_string?: string; metadata_props?: StringStringEntry[];
}
export interface GraphMsg {
  node?: NodeMsg[]; name?: string; initializer?: TensorMsg[]; sparse_initializer?: SparseTensorMsg[]; doc_string?: string;
  input?: ValueInfoMsg[]; output?: ValueInfoMsg[]; value_info?: ValueInfoMsg[];
  quantization_annotation?: { tensor_name?: string; quant_parameter_tensor_names?: StringStringEntry[] }[];
  metadata_props?: StringStringEntry[];
}
export interface FunctionMsg {
  name?: string; input?: string[]; output?: string[]; attribute?: string[]; attribute_proto?: AttributeMsg[];
  node?: NodeMsg[]; doc_string?: string; opset_import?: OperatorSetId[]; domain?: string; overload?: string;
  value_info?: ValueInfoMsg[]; metadata_props?: StringStringEntry[];
}
export interface ModelMsg {
  ir_version?: Int64; opset_import?: OperatorSetId[]; producer_name?: string; producer_version?: string;
  domain?: string; model_version?: Int64; doc_string?: string; graph?: GraphMsg;
  metadata_props?: StringStringEntry[]; training_info?: unknown[]; functions?: FunctionMsg[];
}

/** int64 as a JS number (exact up to 2^53; ONNX dims and attributes stay far below that in practice). */
export function int64ToNumber(v: Int64 | undefined | null): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return v;
  if (typeof v.toNumber === 'function') return v.toNumber();
  const hi = v.unsigned ? v.high >>> 0 : v.high;
  return hi * 4294967296 + (v.low >>> 0);
}

/** int64 as a decimal string, exact for every value (for the text form and JSON). */
export function int64ToString(v: Int64 | undefined | null): string {
  if (v === undefined || v === null) return '0';
  if (typeof v === 'number') return String(v);
  const big = (BigInt(v.unsigned ? v.high >>> 0 : v.high) << 32n) | BigInt(v.low >>> 0);
  return big.toString();
}
