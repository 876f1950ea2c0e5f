// ONNX operator schemas (input/output names, attributes with defaults, type constraints), read from the JSON that
// scripts/gen-op-schemas.py writes at build time from the `onnx` package. A model's node is matched to the
// version its opset import selects: the newest schema whose since_version is at most the imported version.
import type { OpsetId } from './model';

export interface SchemaParam {
  name: string;
  optional: boolean;
  variadic: boolean;
  /** Type string: a constraint parameter (`T`) or a type (`tensor(int64)`). */
  type: string;
}

export interface SchemaAttribute {
  name: string;
  /** `int`, `ints`, `float`, `string`, `tensor`, `graph`, ... */
  type: string;
  required: boolean;
  /** Display text of the default value, when the schema gives one. */
  defaultText?: string;
}

export interface OpSchema {
  domain: string;
  name: string;
  sinceVersion: number;
  deprecated: boolean;
  inputs: SchemaParam[];
  outputs: SchemaParam[];
  attributes: SchemaAttribute[];
  typeConstraints: { param: string; types: string[] }[];
}

type RawParam = [string, string, string];
type RawAttribute = [string, string, boolean, string | null];
type RawVersion = [number, number, RawParam[], RawParam[], RawAttribute[], [string, string[]][]];
interface RawFile { onnx: string; domains: Record<string, Record<string, RawVersion[]>> }

/** Every schema version of every op, decoded on demand (the file holds ~650 versions; a model uses a few dozen). */
export class OpSchemaTable {
  private readonly decoded = new Map<string, OpSchema>();

  private constructor(private readonly raw: RawFile) {}

  /** The `onnx` package version the schemas come from. */
  get onnxVersion(): string { return this.raw.onnx; }

  static parse(text: string): OpSchemaTable {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw new Error(`operator schema file is not JSON: ${(e as Error).message}`);
    }
    const r = raw as Partial<RawFile> | null;
    if (!r || typeof r.onnx !== 'string' || typeof r.domains !== 'object' || r.domains === null) {
      throw new Error('operator schema file has no "onnx" version or "domains" (regenerate it: node scripts/build.mjs)');
    }
    return new OpSchemaTable(r as RawFile);
  }

  /** The schema `opsetVersion` of `domain` selects for `op`; undefined for ops the table does not know. */
  lookup(domain: string, op: string, opsetVersion: number | undefined): OpSchema | undefined {
    const d = normalizeDomain(domain);
    const versions = Object.prototype.hasOwnProperty.call(this.raw.domains, d) ? this.raw.domains[d] : undefined;
    const list = versions && Object.prototype.hasOwnProperty.call(versions, op) ? versions[op] : undefined;
    if (!list || list.length === 0) return undefined;
    let pick: RawVersion | undefined;
    if (opsetVersion === undefined) pick = list[list.length - 1];
    else for (const v of list) if (v[0] <= opsetVersion) pick = v;
    if (!pick) return undefined; // the op did not exist yet in that opset
    const key = `${d}\u0000${op}\u0000${pick[0]}`;
    let s = this.decoded.get(key);
    if (!s) this.decoded.set(key, (s = decode(d, op, pick)));
    return s;
  }

  /** The schema a node of a model with these opset imports uses. */
  forNode(opsets: readonly OpsetId[], domain: string, op: string): OpSchema | undefined {
    const d = normalizeDomain(domain);
    const imported = opsets.find((o) => normalizeDomain(o.domain) === d);
    return this.lookup(d, op, imported?.version);
  }
}

/** `ai.onnx` and '' are the same domain. */
export function normalizeDomain(domain: string): string {
  return domain === 'ai.onnx' ? '' : domain;
}

function decode(domain: string, name: string, v: RawVersion): OpSchema {
  const param = ([n, flags, type]: RawParam): SchemaParam => ({ name: n, optional: flags.includes('o'), variadic: flags.includes('v'), type });
  return {
    domain, name, sinceVersion: v[0], deprecated: v[1] === 1,
    inputs: v[2].map(param), outputs: v[3].map(param),
    attributes: v[4].map(([n, type, required, def]) => (def === null ? { name: n, type, required } : { name: n, type, required, defaultText: def })),
    typeConstraints: v[5].map(([p, types]) => ({ param: p, types })),
  };
}

/**
 * The schema names of a node's `count` inputs (or outputs): `X`, `W`, `B`; a variadic last parameter names each
 * of its tensors `inputs[0]`, `inputs[1]`, ...; positions the schema does not have get their index.
 */
export function paramNames(params: readonly SchemaParam[], count: number): string[] {
  const names: string[] = [];
  for (let k = 0; k < count; k++) {
    const last = params.length - 1;
    if (k < last || (k === last && !params[last].variadic)) names.push(params[k].name);
    else if (last >= 0 && params[last].variadic) names.push(`${params[last].name}[${k - last}]`);
    else names.push(String(k));
  }
  return names;
}

/** The operator's documentation page: onnx.ai for the onnx domains, onnxruntime's contrib list for com.microsoft. */
export function opDocUrl(domain: string, op: string): string | undefined {
  const d = normalizeDomain(domain);
  if (!/^[A-Za-z0-9_]+$/.test(op)) return undefined;
  if (d === '') return `https://onnx.ai/onnx/operators/onnx__${op}.html`;
  if (d === 'ai.onnx.ml') return `https://onnx.ai/onnx/operators/onnx_aionnxml_${op}.html`;
  if (d === 'ai.onnx.preview.training') return `https://onnx.ai/onnx/operators/onnx_aionnxpreviewtraining_${op}.html`;
  if (d === 'com.microsoft') return `https://github.com/microsoft/onnxruntime/blob/main/docs/ContribOperators.md#com.microsoft.${op}`;
  return undefined;
}

/** Names a node's inputs by its op's schema under these opset imports (undefined for ops the table lacks). */
export function schemaInputNamer(table: OpSchemaTable, opsets: readonly OpsetId[]): (node: { domain: string; opType: string; inputs: readonly string[] }) => string[] | undefined {
  return (node) => {
    const s = table.forNode(opsets, node.domain, node.opType);
    return s ? paramNames(s.inputs, node.inputs.length) : undefined;
  };
}

const DOC_URL = /^https:\/\/(onnx\.ai\/onnx\/operators\/onnx_[a-z]*_[A-Za-z0-9_]+\.html|github\.com\/microsoft\/onnxruntime\/blob\/main\/docs\/ContribOperators\.md#com\.microsoft\.[A-Za-z0-9_]+)$/;

/** Whether `url` is an operator documentation page opDocUrl gives (the only pages the panel's links may open). */
export function isOpDocUrl(url: string): boolean {
  return DOC_URL.test(url);
}
