// Type and shape inference in the core (pure TypeScript): see infer.ts.
export { inferShapes, mergeTypes } from './infer';
export type { InferOptions, ShapeDiagnostic, ShapeInference } from './infer';
export { dimAdd, dimMul, dimSub, dimDivExact, dimProduct } from './dimExpr';
export { annotateModel, typeProtoOf } from './annotate';
export type { AnnotateResult } from './annotate';
export { applyInferredShapes } from './apply';
