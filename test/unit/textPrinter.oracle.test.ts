// Oracle for the text printer: every libonnx-testdata model (plus our feature fixture) is printed by us
// and by onnx.printer; onnx.parser reads both back in one Python process (test/oracle/text_roundtrip.py).
// Wherever onnx's own text round-trips, ours must parse back to the same model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { readModel } from '../../src/core/model';
import { ModelMsg, onnxTypes } from '../../src/core/onnxSchema';
import { printModel } from '../../src/core/textPrinter';

const TESTDATA = '/usr/share/libonnx-testdata/data';
const FIXTURE = path.join(__dirname, '../fixtures/text_features.onnx');
const ORACLE = path.join(__dirname, '../oracle/text_roundtrip.py');

function whySkip(): string | false {
  const r = spawnSync('python3', ['-c', 'import onnx.parser, onnx.printer, numpy'], { encoding: 'utf8' });
  if (r.status !== 0) return `python3 with onnx is not available (${(r.error?.message ?? r.stderr).trim().split('\n').pop()})`;
  if (!fs.existsSync(TESTDATA)) return `libonnx-testdata is not installed (${TESTDATA} is missing)`;
  return false;
}

function modelFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => path.basename(f) === 'model.onnx')
    .map((f) => path.join(dir, f))
    .sort();
}

interface Check { parses: boolean; equal: boolean; error?: string }
interface Result { path: string; onnx: Check; ours: Check; identical: boolean }

test('text printer round-trips through onnx.parser wherever onnx.printer does', { skip: whySkip() }, (t) => {
  const files = [FIXTURE, ...modelFiles(TESTDATA)];
  assert.ok(files.length > 1000, `expected the full testdata set, found ${files.length} models`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'text-oracle-'));
  try {
    const lines: string[] = [];
    const t0 = performance.now();
    for (const file of files) {
      const bytes = fs.readFileSync(file);
      const text = printModel(readModel(bytes), { maxElements: Infinity });
      // The decoded-message path must print the same text as the byte-located model.
      const msg = onnxTypes.ModelProto.decode(bytes) as unknown as ModelMsg;
      assert.equal(printModel(msg, { maxElements: Infinity }), text, `${file}: ModelMsg and OnnxModel print differently`);
      lines.push(JSON.stringify({ path: file, text }));
    }
    const printMs = performance.now() - t0;
    // Control: a text that differs from its model must be reported as different, or the oracle proves nothing.
    const control = printModel(readModel(fs.readFileSync(FIXTURE)), { maxElements: Infinity });
    const mutated = control.replace('alpha: float = 0.5', 'alpha: float = 0.25');
    assert.notEqual(mutated, control);
    lines.push(JSON.stringify({ path: FIXTURE, text: mutated }));

    fs.writeFileSync(path.join(dir, 'in.jsonl'), `${lines.join('\n')}\n`);
    const t1 = performance.now();
    const r = spawnSync('python3', [ORACLE, path.join(dir, 'in.jsonl'), path.join(dir, 'out.json')], { encoding: 'utf8' });
    assert.equal(r.status, 0, `oracle failed: ${r.stderr}`);
    const out = JSON.parse(fs.readFileSync(path.join(dir, 'out.json'), 'utf8')) as { onnx_version: string; results: Result[] };
    const results = out.results;
    assert.equal(results.length, files.length + 1);

    const controlResult = results.pop() as Result;
    assert.equal(controlResult.ours.parses, true);
    assert.equal(controlResult.ours.equal, false, 'the oracle did not notice a changed attribute value');

    const count = (f: (x: Result) => boolean) => results.filter(f).length;
    const failures = results.filter((x) => x.onnx.parses && !x.ours.equal)
      .map((x) => `${x.path}: ${x.ours.error ?? 'parses to a different model'}`);
    t.diagnostic(`onnx ${out.onnx_version}: ${results.length} models; onnx text parses ${count((x) => x.onnx.parses)}, ` +
      `round-trips ${count((x) => x.onnx.equal)}; ours parses ${count((x) => x.ours.parses)}, round-trips ${count((x) => x.ours.equal)}; ` +
      `byte-identical to onnx ${count((x) => x.identical)}; print ${printMs.toFixed(0)} ms, oracle ${(performance.now() - t1).toFixed(0)} ms`);
    assert.deepEqual(failures, []);
    // The fixture exercises the constructs the testdata lacks; onnx itself must round-trip it, or it tests nothing.
    assert.equal(results[0].onnx.equal, true, `fixture does not round-trip with onnx: ${results[0].onnx.error}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
