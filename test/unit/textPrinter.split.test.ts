// The diff form of the text printer (lineWidth: long nodes split one attribute and one input per line, long
// initializer lists one per line) is still ONNX text: onnx.parser reads it back to the same model, on our
// feature fixture and the libonnx-testdata models, through the same oracle as the one-line form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { readModel } from '../../src/core/model';
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

test('split lines: the text parses back to the same model', { skip: whySkip() }, () => {
  const files = [FIXTURE, ...fs.readdirSync(TESTDATA, { recursive: true, encoding: 'utf8' })
    .filter((f) => path.basename(f) === 'model.onnx').map((f) => path.join(TESTDATA, f)).sort()];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'text-split-'));
  try {
    const lines: string[] = [];
    let split = 0;
    for (const file of files) {
      const model = readModel(fs.readFileSync(file));
      const text = printModel(model, { maxElements: Infinity, lineWidth: 40 });
      if (text !== printModel(model, { maxElements: Infinity })) split++;
      lines.push(JSON.stringify({ path: file, text }));
    }
    assert.ok(split > files.length / 2, `most models have a line over 40 characters to split (${split} of ${files.length})`);
    fs.writeFileSync(path.join(dir, 'in.jsonl'), `${lines.join('\n')}\n`);
    const r = spawnSync('python3', [ORACLE, path.join(dir, 'in.jsonl'), path.join(dir, 'out.json')], { encoding: 'utf8' });
    assert.equal(r.status, 0, `oracle failed: ${r.stderr}`);
    const results = (JSON.parse(fs.readFileSync(path.join(dir, 'out.json'), 'utf8')) as { results: { path: string; onnx: { parses: boolean }; ours: { equal: boolean; error?: string } }[] }).results;
    const failures = results.filter((x) => x.onnx.parses && !x.ours.equal).map((x) => `${x.path}: ${x.ours.error ?? 'parses to a different model'}`);
    assert.deepEqual(failures, []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('split lines: a long node puts each attribute and each input on its own line', () => {
  const text = printModel(readModel(fs.readFileSync(FIXTURE)), { lineWidth: 60 });
  for (const line of text.split('\n')) {
    // Only lines that cannot be split further stay long: a single attribute, input, declaration or header.
    if (line.length > 60) assert.ok(!/ = \S+ <.*>.*\(.*,.*\)/.test(line), `a node line with several inputs was not split: ${line}`);
  }
});
