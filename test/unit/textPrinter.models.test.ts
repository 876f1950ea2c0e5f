// The printer on the real models in /work/shared/models: it never fails (external weights that are not
// present print as declarations with their external_data entries), and a model the size of swin_tiny
// prints in under 200 ms with the default elision.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readModel } from '../../src/core/model';
import { printId, printModel } from '../../src/core/textPrinter';
import { elementCount } from '../../src/core/tensorInfo';

const MODELS = '/work/shared/models';
const skip = fs.existsSync(MODELS) ? false : `${MODELS} is missing`;
const load = (name: string) => readModel(fs.readFileSync(path.join(MODELS, name)));

test('every shared model prints; initializers are shown, elided or external as stored', { skip }, () => {
  const files = fs.readdirSync(MODELS).filter((f) => f.endsWith('.onnx'));
  assert.ok(files.length > 0);
  for (const f of files) {
    const model = load(f);
    const text = printModel(model);
    for (const { value: n } of model.graph.nodes) {
      if (n.name) assert.ok(text.includes(`[${printId(n.name)}] `), `${f}: node ${n.name} missing`);
    }
    for (const init of model.graph.initializers) {
      if (init.data.kind === 'external') {
        assert.ok(text.includes(`"location": ${JSON.stringify(init.data.location)}`), `${f}: ${init.name} external note`);
      } else if (init.data.kind === 'raw' && elementCount(init.dims) > 16) {
        assert.ok(text.includes(`# ${elementCount(init.dims)} values elided, sha256:`), `${f}: ${init.name} not elided`);
      }
    }
  }
});

test('resnet18_dynamo: external weights print with shape and location', { skip }, () => {
  const text = printModel(load('resnet18_dynamo.onnx'));
  assert.match(text, /float\[64,3,7,7\] "conv1\.weight" = \["location": "resnet18_dynamo\.weights", "offset": "0", "length": "37632"\]/);
  assert.match(text, /^ {3}\[node_Conv_292\] getitem = Conv <group: int = 1, pads: ints = \[3, 3, 3, 3\],/m);
});

test('swin_tiny prints in under 200 ms', { skip }, (t) => {
  const model = load('swin_tiny.onnx');
  for (let i = 0; i < 3; i++) printModel(model); // warm-up: the first calls also compile the printer
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    const text = printModel(model);
    times.push(performance.now() - t0);
    assert.ok(text.length > 100000);
  }
  times.sort((a, b) => a - b);
  t.diagnostic(`swin_tiny: best ${times[0].toFixed(1)} ms, median ${times[3].toFixed(1)} ms, worst ${times[6].toFixed(1)} ms`);
  // The best run measures the printer; the others also measure whatever else shares the machine.
  assert.ok(times[0] < 200, `best of 7 took ${times[0].toFixed(1)} ms`);
});
