// Quantization: QuantizeLinear gives the zero point's type (uint8 by default, or output_dtype);
// DequantizeLinear gives the scale's type; both keep the input's shape.
import { OpContext } from '../context';
import { FLOAT } from '../facts';
import type { OpRules } from './registry';

const UINT8 = 2;

function quantize(c: OpContext): void {
  const et = c.hasInput(2) ? c.elemType(2) : c.int('output_dtype', 0) || UINT8;
  c.out(0, et, c.shape(0));
}

function dequantize(c: OpContext): void {
  // Before opset 19 the output is float; from 19 it is the scale's type (output_dtype from 23 when given).
  const et = c.int('output_dtype', 0) || (c.opset >= 19 ? c.elemType(1) : FLOAT);
  c.out(0, et, c.shape(0));
}

function dynamicQuantize(c: OpContext): void {
  c.out(0, UINT8, c.shape(0));
  c.out(1, FLOAT, []);
  c.out(2, UINT8, []);
}

export const QUANT_OPS: OpRules = { QuantizeLinear: quantize, DequantizeLinear: dequantize, DynamicQuantizeLinear: dynamicQuantize };
