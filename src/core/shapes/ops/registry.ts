// The table of operator rules of the default ONNX domain, gathered from one file per op family.
import type { OpContext } from '../context';
import { ATTENTION_OPS } from './attention';
import { CONTROL_FLOW_OPS } from './controlFlow';
import { CONV_OPS } from './conv';
import { DETECTION_OPS } from './detection';
import { ELEMENTWISE_OPS } from './elementwise';
import { GATHER_OPS } from './gather';
import { MATMUL_OPS } from './matmul';
import { MISC_OPS } from './misc';
import { NORMALIZATION_OPS } from './normalization';
import { QUANT_OPS } from './quant';
import { REDUCE_OPS } from './reduce';
import { SEQUENCE_OPS } from './sequence';
import { SHAPE_OPS } from './shapeOps';
import { SIGNAL_OPS } from './signal';
import { STRING_OPS } from './strings';
import { TENSOR_SOURCE_OPS } from './tensorSources';
import { TRAINING_OPS } from './training';

export type OpRule = (c: OpContext) => void;
export type OpRules = Record<string, OpRule>;

export const OPS: OpRules = Object.assign(
  Object.create(null) as OpRules,
  ELEMENTWISE_OPS, SHAPE_OPS, TENSOR_SOURCE_OPS, GATHER_OPS, REDUCE_OPS, MATMUL_OPS, CONV_OPS, NORMALIZATION_OPS,
  QUANT_OPS, DETECTION_OPS, CONTROL_FLOW_OPS, SEQUENCE_OPS, MISC_OPS, SIGNAL_OPS, STRING_OPS, ATTENTION_OPS,
);

/** Rules of other ONNX domains, by domain. */
export const DOMAIN_OPS: Record<string, OpRules> = {
  'ai.onnx.preview.training': TRAINING_OPS,
};
