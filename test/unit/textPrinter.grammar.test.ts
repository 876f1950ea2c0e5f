// The TextMate grammar for the ONNX text form (syntaxes/onnx.tmLanguage.json): valid JSON whose regexes
// compile, and, when vscode-textmate and vscode-oniguruma are installed (devDependencies), the scopes it
// gives to printed text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { readModel } from '../../src/core/model';
import { printModel } from '../../src/core/textPrinter';

const GRAMMAR = path.join(__dirname, '../../syntaxes/onnx.tmLanguage.json');
const FIXTURE = path.join(__dirname, '../fixtures/text_features.onnx');
const SWIN = '/work/shared/models/swin_tiny.onnx';

interface Rule { match?: string; begin?: string; end?: string; patterns?: Rule[]; include?: string; name?: string }
const grammar = JSON.parse(fs.readFileSync(GRAMMAR, 'utf8')) as { scopeName: string; fileTypes: string[]; patterns: Rule[]; repository: Record<string, Rule> };

function rules(): Rule[] {
  const out: Rule[] = [];
  const walk = (r: Rule) => { out.push(r); r.patterns?.forEach(walk); };
  grammar.patterns.forEach(walk);
  Object.values(grammar.repository).forEach(walk);
  return out;
}

test('grammar JSON: scope, file type, includes resolve, regexes compile', () => {
  assert.equal(grammar.scopeName, 'source.onnx-text');
  assert.deepEqual(grammar.fileTypes, ['onnxtxt']);
  let regexes = 0;
  for (const r of rules()) {
    if (r.include) assert.ok(r.include.startsWith('#') && grammar.repository[r.include.slice(1)], `unresolved include ${r.include}`);
    for (const src of [r.match, r.begin, r.end]) {
      if (src === undefined) continue;
      assert.doesNotThrow(() => new RegExp(src, 'u'), `regex does not compile: ${src}`);
      regexes++;
    }
    if (r.name) assert.match(r.name, /\.onnx-text$/, `scope ${r.name} lacks the language suffix`);
  }
  assert.ok(regexes >= 10);
});

// The parts of vscode-textmate and vscode-oniguruma used here, typed locally so the test typechecks
// without them; they are loaded only when installed (devDependencies the project may not have yet).
interface TmGrammar { tokenizeLine(line: string, state: unknown): { tokens: { startIndex: number; endIndex: number; scopes: string[] }[]; ruleStack: unknown } }
interface VscodeTextmate {
  Registry: new (options: unknown) => { loadGrammar(scope: string): Promise<TmGrammar | null> };
  INITIAL: unknown;
  parseRawGrammar(content: string, filePath: string): unknown;
}
interface VscodeOniguruma { loadWASM(data: ArrayBuffer): Promise<void>; OnigScanner: new (s: string[]) => unknown; OnigString: new (s: string) => unknown }
const req = createRequire(__filename);
function textmate(): { vt: VscodeTextmate; onig: VscodeOniguruma } | string {
  try {
    return { vt: req('vscode-textmate'), onig: req('vscode-oniguruma') };
  } catch {
    return 'vscode-textmate and vscode-oniguruma are not installed (add them to devDependencies)';
  }
}
const tm = textmate();

async function loadGrammar(): Promise<TmGrammar> {
  if (typeof tm === 'string') throw new Error(tm);
  const wasm = fs.readFileSync(path.join(path.dirname(req.resolve('vscode-oniguruma')), 'onig.wasm'));
  await tm.onig.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new tm.vt.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (s: string[]) => new tm.onig.OnigScanner(s), createOnigString: (s: string) => new tm.onig.OnigString(s) }),
    loadGrammar: async (scope: string) => (scope === grammar.scopeName ? tm.vt.parseRawGrammar(fs.readFileSync(GRAMMAR, 'utf8'), GRAMMAR) : null),
  });
  const g = await registry.loadGrammar(grammar.scopeName);
  assert.ok(g);
  return g as TmGrammar;
}

/** Every token as [text, innermost scope], line by line. */
function tokenize(g: TmGrammar, text: string): [string, string][] {
  if (typeof tm === 'string') throw new Error(tm);
  const out: [string, string][] = [];
  let state = tm.vt.INITIAL;
  for (const line of text.split('\n')) {
    const r = g.tokenizeLine(line, state);
    for (const tok of r.tokens) out.push([line.slice(tok.startIndex, tok.endIndex), tok.scopes[tok.scopes.length - 1]]);
    state = r.ruleStack;
  }
  return out;
}

test('grammar scopes printed text (vscode-textmate)', { skip: typeof tm === 'string' ? tm : false }, async () => {
  const g = await loadGrammar();
  const text = printModel(readModel(fs.readFileSync(FIXTURE)));
  const tokens = tokenize(g, text);
  const scopeOf = (s: string) => tokens.find(([t]) => t === s)?.[1];
  const expect: [string, string][] = [
    ['ir_version', 'keyword.other.header-key.onnx-text'],
    ['producer_name', 'keyword.other.header-key.onnx-text'],
    ['"make_text_fixtures"'.slice(1, -1), 'string.quoted.double.onnx-text'],
    ['float', 'storage.type.element.onnx-text'],
    ['seq', 'storage.type.constructor.onnx-text'],
    ['my.domain.', 'entity.name.namespace.domain.onnx-text'],
    ['Custom', 'entity.name.function.op.onnx-text'],
    ['LeakyRelu', 'entity.name.function.op.onnx-text'],
    ['floats', 'variable.parameter.attribute.onnx-text'],
    ['ints', 'variable.parameter.attribute.onnx-text'],
    ['type_proto', 'storage.type.attribute.onnx-text'],
    ['alpha', 'variable.parameter.attribute.onnx-text'],
    ['\\"', 'constant.character.escape.onnx-text'],
    ['1e-05', 'constant.numeric.onnx-text'],
    ['-inf', 'constant.numeric.onnx-text'],
    ['=>', 'keyword.operator.arrow.onnx-text'],
    ['"neg node"', 'entity.name.tag.node-name.onnx-text'],
    ['/a/out:0', 'string.quoted.double.onnx-text'],
    ['...', 'constant.other.elided.onnx-text'],
    ['cond', 'variable.other.onnx-text'],
  ];
  for (const [tok, scope] of expect) assert.equal(scopeOf(tok), scope, `token ${JSON.stringify(tok)}`);
  const comment = tokens.find(([t]) => t.includes('values elided'));
  assert.equal(comment?.[1], 'comment.line.number-sign.onnx-text');
  // The @ reference: `alpha: float = @alpha` in the function body.
  assert.ok(tokens.some(([t, s]) => t === 'alpha' && s === 'variable.other.reference.onnx-text'));
  // Graph attributes: the subgraph's name after `graph =` is not mistaken for an op.
  assert.equal(scopeOf('then_g'), 'variable.other.onnx-text');
});

test('grammar tokenizes all of swin_tiny quickly', { skip: typeof tm === 'string' ? tm : !fs.existsSync(SWIN) && `${SWIN} is missing` }, async () => {
  const g = await loadGrammar();
  const text = printModel(readModel(fs.readFileSync(SWIN)));
  const t0 = performance.now();
  const tokens = tokenize(g, text);
  const ms = performance.now() - t0;
  assert.ok(tokens.filter(([, s]) => s === 'entity.name.function.op.onnx-text').length >= readModel(fs.readFileSync(SWIN)).graph.nodes.length);
  assert.ok(ms < 10000, `${ms.toFixed(0)} ms`);
});
