// Op type -> coarse family for coloring. Non-default domains are 'custom' unless they are well-known
// Microsoft contrib ops with an obvious family (attention, quantization).
import type { OpCategory } from '../protocol/scene';

const BY_OP: Record<string, OpCategory> = {};
function add(category: OpCategory, ops: string): void {
  for (const op of ops.split(/\s+/)) if (op) BY_OP[op] = category;
}
add('conv', 'Conv ConvTranspose ConvInteger DeformConv');
add('matmul', 'MatMul Gemm MatMulInteger Einsum');
add('activation', `Relu LeakyRelu PRelu Sigmoid HardSigmoid HardSwish Tanh Elu Selu Celu Gelu FastGelu BiasGelu QuickGelu
  Softplus Softsign Mish Swish ThresholdedRelu Softmax LogSoftmax Hardmax Erf`);
add('normalization', `BatchNormalization LayerNormalization InstanceNormalization GroupNormalization RMSNormalization
  SkipLayerNormalization SimplifiedLayerNormalization SkipSimplifiedLayerNormalization LpNormalization
  MeanVarianceNormalization LRN EmbedLayerNormalization`);
add('pool', 'MaxPool AveragePool GlobalAveragePool GlobalMaxPool LpPool GlobalLpPool MaxRoiPool RoiAlign MaxUnpool');
add('elementwise', `Add Sub Mul Div Pow Sqrt Exp Log Abs Neg Reciprocal Floor Ceil Round Sign Mod Min Max Sum Mean Clip
  Where Equal Less LessOrEqual Greater GreaterOrEqual And Or Xor Not BitShift BitwiseAnd BitwiseOr BitwiseXor BitwiseNot
  Sin Cos Tan Asin Acos Atan Sinh Cosh Asinh Acosh Atanh IsNaN IsInf Cast CastLike Identity Dropout`);
add('shape', `Reshape Transpose Concat Split Slice Gather GatherElements GatherND Scatter ScatterElements ScatterND Squeeze
  Unsqueeze Flatten Expand Tile Pad Shape Size Resize Upsample DepthToSpace SpaceToDepth ConstantOfShape Range Trilu
  OneHot NonZero Compress ReverseSequence CenterCropPad Col2Im`);
add('reduce', `ReduceMean ReduceSum ReduceMax ReduceMin ReduceProd ReduceL1 ReduceL2 ReduceLogSum ReduceLogSumExp
  ReduceSumSquare ArgMax ArgMin TopK CumSum`);
add('data', 'EyeLike RandomNormal RandomUniform RandomNormalLike RandomUniformLike Multinomial Bernoulli NonMaxSuppression Unique');
add('control', 'If Loop Scan');
add('attention', 'Attention MultiHeadAttention GroupQueryAttention PackedAttention RotaryEmbedding');
add('quantize', `QuantizeLinear DequantizeLinear DynamicQuantizeLinear QLinearConv QLinearMatMul QLinearAdd QLinearMul
  DynamicQuantizeMatMul MatMulNBits`);
add('constant', 'Constant');

const DEFAULT_DOMAINS = new Set(['', 'ai.onnx', 'ai.onnx.ml']);

export function opCategory(opType: string, domain: string): OpCategory {
  const known = BY_OP[opType];
  if (DEFAULT_DOMAINS.has(domain)) return known ?? 'other';
  // Contrib ops of ORT's own domain that name a clear family keep it; anything else is a custom op.
  if (domain === 'com.microsoft' && known && known !== 'other') return known;
  return 'custom';
}
