// Elementwise operators: unary ops keep their input's type and shape; binary and variadic ops broadcast;
// comparisons and logic give bool. Integer (and small float) values are folded, symbolic dims included, so
// shape arithmetic like `Shape -> Gather -> Mul -> Concat` resolves.
import { Dim } from '../../types';
import { broadcastShapes, foldBroadcast } from '../broadcast';
import { OpContext } from '../context';
import { dimAdd, dimDivExact, dimMul, dimNeg, dimSub } from '../dimExpr';
import { BOOL, FLOAT_TYPES, INT_TYPES } from '../facts';
import { OpRules } from './registry';

/** Same element type and shape as input 0 (values not folded). */
function sameAsInput(c: OpContext): void {
  c.out(0, c.elemType(0), c.shape(0));
}

const UNARY = [
  'Abs', 'Acos', 'Acosh', 'Asin', 'Asinh', 'Atan', 'Atanh', 'BitwiseNot', 'Ceil', 'Celu', 'Cos', 'Cosh', 'Elu', 'Erf', 'Exp',
  'Floor', 'Gelu', 'HardSigmoid', 'HardSwish', 'Hardmax', 'LeakyRelu', 'Log', 'LogSoftmax', 'LpNormalization', 'LRN',
  'MeanVarianceNormalization', 'Mish', 'Neg', 'Reciprocal', 'Relu', 'Round', 'Selu', 'Shrink', 'Sigmoid', 'Sign', 'Sin', 'Sinh',
  'Softmax', 'Softplus', 'Softsign', 'Sqrt', 'Tan', 'Tanh', 'ThresholdedRelu', 'CumSum', 'Trilu', 'ReverseSequence', 'Clip',
  'PRelu', 'Swish', 'CumProd',
];

/** Unary ops worth folding over small values (the exporter's `Cast -> Floor -> Cast` size computations). */
const UNARY_FOLD: Record<string, (x: number, isInt: boolean) => number> = {
  Neg: (x) => -x,
  Abs: (x) => Math.abs(x),
  Floor: (x) => Math.floor(x),
  Ceil: (x) => Math.ceil(x),
  Sqrt: (x) => Math.sqrt(x),
  Reciprocal: (x) => 1 / x,
  Round: (x) => roundHalfEven(x),
  Relu: (x) => Math.max(0, x),
  Sign: (x) => Math.sign(x),
};

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function unary(op: string) {
  return (c: OpContext): void => {
    const et = c.elemType(0);
    const fold = UNARY_FOLD[op];
    let value: Dim[] | undefined;
    const v = c.value(0);
    if (v) {
      const isInt = INT_TYPES.has(et);
      value = v.map((x) => (op === 'Neg' && typeof x === 'string' ? dimNeg(x) : typeof x === 'number' ? fit(fold(x, isInt), et) : null));
      if (value.some((x) => x === null)) value = undefined;
    }
    c.out(0, et, c.shape(0), value);
  };
}

/** A computed number as the element type holds it (float32 rounding, integer range), else null. */
function fit(x: number, elemType: number): Dim {
  if (!Number.isFinite(x)) return elemType === 1 || elemType === 11 ? x : null;
  if (INT_TYPES.has(elemType)) return Number.isSafeInteger(x) ? x : null;
  if (elemType === 1) return Math.fround(x);
  if (elemType === 11) return x;
  return null; // float16 and smaller: rounding we do not model
}

type Binary = (a: Dim, b: Dim, isInt?: boolean) => Dim;

const num = (f: (a: number, b: number) => number): Binary => (a, b) => (typeof a === 'number' && typeof b === 'number' ? f(a, b) : null);

const BINARY_FOLD: Record<string, Binary> = {
  Add: (a, b, isInt) => (isInt ? dimAdd(a, b) : num((x, y) => x + y)(a, b, isInt)),
  Sub: (a, b, isInt) => (isInt ? dimSub(a, b) : num((x, y) => x - y)(a, b, isInt)),
  Mul: (a, b, isInt) => (isInt ? dimMul(a, b) : num((x, y) => x * y)(a, b, isInt)),
  Div: (a, b, isInt) => {
    if (!isInt) return num((x, y) => x / y)(a, b, isInt);
    if (typeof a === 'number' && typeof b === 'number') return b === 0 ? null : Math.trunc(a / b);
    return dimDivExact(a, b);
  },
  Mod: num((x, y) => (y === 0 ? NaN : ((x % y) + y) % y)),
  Pow: num((x, y) => x ** y),
  Max: (a, b) => (a === b ? a : num(Math.max)(a, b, false)),
  Min: (a, b) => (a === b ? a : num(Math.min)(a, b, false)),
};

const COMPARE: Record<string, (a: Dim, b: Dim) => Dim> = {
  Equal: (a, b) => (a === b && a !== null ? 1 : typeof a === 'number' && typeof b === 'number' ? 0 : null),
  Less: num((x, y) => +(x < y)),
  Greater: num((x, y) => +(x > y)),
  LessOrEqual: num((x, y) => +(x <= y)),
  GreaterOrEqual: num((x, y) => +(x >= y)),
  And: num((x, y) => +(x !== 0 && y !== 0)),
  Or: num((x, y) => +(x !== 0 || y !== 0)),
  Xor: num((x, y) => +((x !== 0) !== (y !== 0))),
};

/** Present inputs' shapes, and their values when every one has values (activations have none: no decoding). */
function operands(c: OpContext) {
  const list: { shape?: Dim[]; value?: Dim[] }[] = [];
  let foldable = true;
  for (let i = 0; i < c.inputCount; i++) {
    if (!c.hasInput(i)) continue;
    list.push({ shape: c.shape(i) });
    foldable &&= c.mayHaveValue(i);
  }
  if (foldable) {
    let k = 0;
    for (let i = 0; i < c.inputCount; i++) if (c.hasInput(i)) list[k++].value = c.value(i);
  }
  return list;
}

/** Binary and variadic arithmetic: broadcast shape, element type of input 0, values folded. */
function arithmetic(op: string) {
  return (c: OpContext): void => {
    const et = c.elemType(0);
    const ins = operands(c);
    const shape = broadcastShapes(c, ins.map((x) => x.shape));
    const f = BINARY_FOLD[op];
    let value: Dim[] | undefined;
    if (f && (INT_TYPES.has(et) || FLOAT_TYPES.has(et)) && ins.every((x) => x.value)) {
      const isInt = INT_TYPES.has(et);
      value = foldBroadcast(shape, ins, (xs) => {
        let acc: Dim = xs[0];
        for (let j = 1; j < xs.length && acc !== null; j++) {
          const r = f(acc, xs[j], isInt);
          acc = typeof r === 'number' ? fit(r, et) : r;
        }
        return acc;
      });
      if (value && value.some((x) => x === null)) value = undefined;
    }
    c.out(0, et, shape, value);
  };
}

function comparison(op: string) {
  return (c: OpContext): void => {
    const ins = operands(c);
    const shape = broadcastShapes(c, ins.map((x) => x.shape));
    let value = foldBroadcast(shape, ins, (xs) => COMPARE[op](xs[0], xs[1]));
    if (value && value.some((x) => x === null)) value = undefined;
    c.out(0, BOOL, shape, value);
  };
}

function where(c: OpContext): void {
  const ins = operands(c);
  const shape = broadcastShapes(c, ins.map((x) => x.shape));
  let value = foldBroadcast(shape, ins, ([cond, a, b]) => (cond === null ? (a === b ? a : null) : cond !== 0 ? a : b));
  if (value && value.some((x) => x === null)) value = undefined;
  c.out(0, c.elemType(1) || c.elemType(2), shape, value);
}

function cast(c: OpContext): void {
  const to = c.int('to', 0);
  const v = c.value(0);
  const from = c.elemType(0);
  let value: Dim[] | undefined;
  if (v && (INT_TYPES.has(to) || to === BOOL || to === 1 || to === 11)) {
    value = v.map((x) => {
      if (typeof x === 'string') return INT_TYPES.has(to) && INT_TYPES.has(from) ? x : null;
      if (x === null) return null;
      if (to === BOOL) return x !== 0 ? 1 : 0;
      if (INT_TYPES.has(to)) return Number.isFinite(x) ? fit(Math.trunc(x), to) : null;
      return fit(x, to);
    });
    if (value.some((x) => x === null)) value = undefined;
  }
  c.out(0, to, c.shape(0), value);
}

function not(c: OpContext): void {
  const v = c.value(0);
  c.out(0, BOOL, c.shape(0), v && v.every((x) => typeof x === 'number') ? v.map((x) => +(x === 0)) : undefined);
}

function bitShift(c: OpContext): void {
  c.out(0, c.elemType(0), broadcastShapes(c, [c.shape(0), c.shape(1)]));
}

function dropout(c: OpContext): void {
  c.out(0, c.elemType(0), c.shape(0), c.lazyValue(0));
  c.out(1, BOOL, c.shape(0));
}

function identity(c: OpContext): void {
  c.outFact(0, c.fact(0));
}

function isNanInf(c: OpContext): void {
  c.out(0, BOOL, c.shape(0));
}

function castLike(c: OpContext): void {
  c.out(0, c.elemType(1), c.shape(0));
}

function randomLike(c: OpContext): void {
  c.out(0, c.int('dtype') ?? c.elemType(0), c.shape(0));
}

function bernoulli(c: OpContext): void {
  c.out(0, c.int('dtype') ?? c.elemType(0), c.shape(0));
}

/** BitCast: the same bits as another type of the same width, same shape. */
function bitCast(c: OpContext): void {
  c.out(0, c.int('to', 0), c.shape(0));
}

/** SwiGLU: A and B have one shape (no broadcasting). */
function swiglu(c: OpContext): void {
  const a = c.shape(0);
  const b = c.shape(1);
  if (a && b && (a.length !== b.length || a.some((d, i) => typeof d === 'number' && typeof b[i] === 'number' && d !== b[i]))) {
    c.fail(`gate and value shapes differ: [${a}] and [${b}]`);
  }
  c.out(0, c.elemType(0), a && b ? a.map((d, i) => (typeof d === 'number' ? d : b[i] ?? d)) : a ?? b);
}

export const ELEMENTWISE_OPS: OpRules = {
  Identity: identity,
  Cast: cast,
  CastLike: castLike,
  Not: not,
  Where: where,
  BitShift: bitShift,
  Dropout: dropout,
  IsNaN: isNanInf,
  IsInf: isNanInf,
  RandomUniformLike: randomLike,
  RandomNormalLike: randomLike,
  Bernoulli: bernoulli,
  BitCast: bitCast,
  SwiGLU: swiglu,
  Sum: arithmetic('Sum'),
  Mean: arithmetic('Mean'),
  BitwiseAnd: arithmetic('BitwiseAnd'),
  BitwiseOr: arithmetic('BitwiseOr'),
  BitwiseXor: arithmetic('BitwiseXor'),
};
for (const op of UNARY) ELEMENTWISE_OPS[op] = UNARY_FOLD[op] ? unary(op) : sameAsInput;
for (const op of Object.keys(BINARY_FOLD)) ELEMENTWISE_OPS[op] = arithmetic(op);
for (const op of Object.keys(COMPARE)) ELEMENTWISE_OPS[op] = comparison(op);
