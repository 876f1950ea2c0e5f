// What an operator's inference function sees: its node's input facts and attributes (function attribute
// references resolved), and how it reports output types, folded values, and contradictions.
import { GraphModel, GraphNode } from '../graph';
import { AttributeMsg, int64ToNumber, TensorMsg } from '../onnxSchema';
import { Dim, ValueType } from '../types';
import { utf8Decode } from '../wire';
import { elemTypeOfFact, Fact, factValue, MAX_FOLDED_ELEMENTS, shapeOfFact, tensorType } from './facts';

export interface InferHost {
  /** Infers a subgraph whose inputs have the given types; returns its outputs' facts (undefined: unknown). */
  inferSubgraph(graph: GraphModel, inputs: (Fact | undefined)[], outerEnv: Env): (Fact | undefined)[];
  /** A new symbolic dim for a data-dependent size, named after the op. */
  freshDim(prefix: string): string;
  report(node: GraphNode, message: string, tensor?: string): void;
}

/** Values in scope: a graph's own, then its enclosing graphs'. */
export class Env {
  private readonly facts = new Map<string, Fact>();
  constructor(readonly parent?: Env) {}
  get(name: string): Fact | undefined {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    let e: Env | undefined = this;
    while (e) {
      const f = e.facts.get(name);
      if (f) return f;
      e = e.parent;
    }
    return undefined;
  }
  set(name: string, fact: Fact): void {
    this.facts.set(name, fact);
  }
  own(): Map<string, Fact> {
    return this.facts;
  }
}

/** Thrown by an op's inference when the node contradicts itself: reported, outputs stay unknown. */
export class ShapeContradiction extends Error {}

export class OpContext {
  readonly outputs: (Fact | undefined)[];
  constructor(
    readonly node: GraphNode,
    readonly opset: number,
    readonly env: Env,
    readonly host: InferHost,
    /** Attributes of the calling node when this node is inside a model-local function. */
    private readonly callerAttrs?: Map<string, AttributeMsg>,
  ) {
    this.outputs = new Array(node.outputs.length);
  }

  get inputCount(): number {
    return this.node.inputs.length;
  }
  hasInput(i: number): boolean {
    return i < this.node.inputs.length && this.node.inputs[i] !== '';
  }
  fact(i: number): Fact | undefined {
    return this.hasInput(i) ? this.env.get(this.node.inputs[i]) : undefined;
  }
  type(i: number): ValueType | undefined {
    return this.fact(i)?.type;
  }
  elemType(i: number): number {
    return elemTypeOfFact(this.fact(i));
  }
  shape(i: number): Dim[] | undefined {
    return shapeOfFact(this.fact(i));
  }
  rank(i: number): number | undefined {
    return this.shape(i)?.length;
  }
  /** Folded elements of input i (symbolic dims included), when known. */
  value(i: number): Dim[] | undefined {
    return factValue(this.fact(i));
  }
  /** Whether input i's elements are known or decodable (cheap: decodes nothing). */
  mayHaveValue(i: number): boolean {
    const f = this.fact(i);
    return f !== undefined && (f.value !== undefined || f.lazyValue !== undefined);
  }
  /** Folded elements of input i when every one is a known number. */
  numbers(i: number): number[] | undefined {
    const v = this.value(i);
    if (!v || v.some((x) => typeof x !== 'number')) return undefined;
    return v as number[];
  }

  // ---- attributes ----
  attr(name: string): AttributeMsg | undefined {
    for (const a of this.node.attributes) {
      if (a.name !== name) continue;
      if (a.ref_attr_name) return this.callerAttrs?.get(a.ref_attr_name);
      return a;
    }
    return undefined;
  }
  hasAttr(name: string): boolean {
    return this.attr(name) !== undefined;
  }
  int(name: string, def: number): number;
  int(name: string): number | undefined;
  int(name: string, def?: number): number | undefined {
    const a = this.attr(name);
    return a ? int64ToNumber(a.i) : def;
  }
  float(name: string, def: number): number {
    const a = this.attr(name);
    return a ? a.f ?? 0 : def;
  }
  ints(name: string): number[] | undefined {
    const a = this.attr(name);
    return a ? (a.ints ?? []).map(int64ToNumber) : undefined;
  }
  floats(name: string): number[] | undefined {
    const a = this.attr(name);
    return a ? a.floats ?? [] : undefined;
  }
  string(name: string, def: string): string {
    const a = this.attr(name);
    return a?.s ? utf8Decode(a.s, 0, a.s.length) : def;
  }
  tensor(name: string): TensorMsg | undefined {
    return this.attr(name)?.t ?? undefined;
  }
  subgraph(name: string): GraphModel | undefined {
    return this.node.subgraphs.find((s) => s.attribute === name)?.graph;
  }

  // ---- results ----
  /** Output k is a tensor of this element type (0: unknown) and shape (undefined: unknown rank). */
  out(k: number, elemType: number, shape?: Dim[], value?: Dim[] | (() => Dim[] | undefined)): void {
    if (k >= this.outputs.length || this.node.outputs[k] === '') return;
    const fact: Fact = { type: tensorType(elemType, shape) };
    if (typeof value === 'function') fact.lazyValue = value;
    else if (value && value.length <= MAX_FOLDED_ELEMENTS) fact.value = value;
    this.outputs[k] = fact;
  }
  /** Input i's elements computed only if something downstream reads them (weights moved by Reshape...). */
  lazyValue(i: number, map?: (v: Dim[]) => Dim[] | undefined): (() => Dim[] | undefined) | undefined {
    if (!this.mayHaveValue(i)) return undefined;
    const f = this.fact(i)!;
    return () => {
      const v = factValue(f);
      return v && map ? map(v) : v;
    };
  }
  outType(k: number, type: ValueType | undefined, value?: Dim[]): void {
    if (!type || k >= this.outputs.length || this.node.outputs[k] === '') return;
    this.outputs[k] = value ? { type, value } : { type };
  }
  outFact(k: number, fact: Fact | undefined): void {
    if (!fact || k >= this.outputs.length || this.node.outputs[k] === '') return;
    this.outputs[k] = fact;
  }
  /** Output k is absent from the node or unused. */
  wants(k: number): boolean {
    return k < this.node.outputs.length && this.node.outputs[k] !== '';
  }
  fail(message: string): never {
    throw new ShapeContradiction(message);
  }
  freshDim(): string {
    return this.host.freshDim(this.node.opType);
  }
}

/** An axis attribute or input value normalized into [0, rank), or a contradiction. */
export function normAxis(c: OpContext, axis: number, rank: number, what = 'axis'): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) c.fail(`${what} ${axis} is out of range for rank ${rank}`);
  return a;
}
