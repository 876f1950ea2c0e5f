// Smoke test of the real extension in code-server: opening an .onnx file shows the graph webview.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT, SHARED_DIR, makeWorkspace, startSession } from './harness';
import { reportFailure } from './support/graph';

const built = fs.existsSync(path.join(REPO_ROOT, 'dist', 'extension.js'));
const model = SHARED_DIR && path.join(SHARED_DIR, 'models', 'squeezenet1_1.onnx');
const artifacts = path.join(REPO_ROOT, 'test-output', 'e2e');

test('opening squeezenet1_1.onnx renders the graph webview; a truncated model shows why it cannot be read', {
  timeout: 180_000,
  skip: built ? false : 'dist/extension.js is not built yet (npm run build); the extension cannot load',
}, async () => {
  assert.ok(model && fs.existsSync(model), `model not found: expected ../shared/models/squeezenet1_1.onnx beside the repo (got ${model})`);
  const workspace = makeWorkspace([model]);
  // The first half of a real model: the reader must fail with a reason.
  const bytes = fs.readFileSync(model);
  fs.writeFileSync(path.join(workspace, 'truncated.onnx'), bytes.subarray(0, bytes.length >> 1));
  fs.writeFileSync(path.join(workspace, 'picture.onnx'), Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'));
  const log = `${workspace}.log`;
  const s = await startSession({ workspace, env: { ONNX_INSPECTOR_LOG: log } });
  try {
    await s.openFile('squeezenet1_1.onnx');
    const root = s.webview().locator('[data-testid="graph-root"]');
    await root.waitFor({ state: 'visible', timeout: 90_000 });
    assert.ok(await root.isVisible(), 'graph-root is not visible');
    await s.screenshot(path.join(artifacts, 'smoke-squeezenet.png'));

    // A model that cannot be read shows the reason in its editor (not a blank page), and the host keeps working.
    const err = s.webview().locator('[data-testid="load-error"]');
    await s.openFile('truncated.onnx');
    await err.waitFor({ state: 'visible', timeout: 60_000 });
    const text = (await err.innerText()).replace(/\u00A0/g, ' ');
    assert.match(text, /Cannot open truncated\.onnx: /, `the error names the file: ${text}`);
    assert.match(text, /truncat|end of|length|past the end|bytes/i, `the error says what is wrong: ${text}`);
    await s.screenshot(path.join(artifacts, 'smoke-truncated.png'));

    // The editor reads through the CLI's reader: a file that is not a model gets the same hint as the CLI.
    await s.openFile('picture.onnx');
    await s.webview().getByText(/PNG image/).waitFor({ state: 'visible', timeout: 60_000 });
    const hint = (await err.innerText()).replace(/\u00A0/g, ' ');
    assert.match(hint, /Cannot open picture\.onnx: .*not an ONNX model: it looks like a PNG image/s, hint);
  } catch (e) {
    await reportFailure(s, path.join(artifacts, 'smoke-squeezenet-failure.png'), log);
    throw e;
  } finally {
    await s.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
    fs.rmSync(log, { force: true });
  }
});
