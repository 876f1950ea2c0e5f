// Packaging: scripts/package.sh linux-x64 makes a vsix with only linux-x64 onnxruntime binaries that
// code-server installs, whose onnxruntime loads and runs, and whose extension opens a model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT, SHARED_DIR, installVsix, makeWorkspace, startSession } from './harness';

const built = fs.existsSync(path.join(REPO_ROOT, 'dist', 'extension.js'));
const model = SHARED_DIR && path.join(SHARED_DIR, 'models', 'squeezenet1_1.onnx');

test('package.sh linux-x64: platform-only vsix that installs and runs', {
  timeout: 420_000,
  skip: built ? false : 'dist/ is not built yet (npm run build); nothing to package',
}, async (t) => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-vsix-'));
  t.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const vsix = path.join(tmp, 'onnx-inspector-linux-x64.vsix');

  // dist/ was just built by setup; package exactly what the other e2e tests ran.
  const pkg = spawnSync('bash', ['scripts/package.sh', 'linux-x64'], {
    cwd: REPO_ROOT, encoding: 'utf8', timeout: 300_000,
    env: { ...process.env, OUT_DIR: tmp, PACKAGE_SKIP_BUILD: '1' },
  });
  assert.equal(pkg.status, 0, `package.sh failed (status ${pkg.status}, ${pkg.error?.message ?? pkg.signal ?? ''}):\n${pkg.stdout}${pkg.stderr}`);
  assert.ok(fs.existsSync(vsix), `package.sh did not write ${vsix}:\n${pkg.stdout}`);

  const list = spawnSync('unzip', ['-Z1', vsix], { encoding: 'utf8' });
  assert.equal(list.status, 0, `unzip -Z1 failed: ${list.stderr}`);
  const entries = list.stdout.split('\n').filter(Boolean);
  const ortBins = entries.filter((e) => e.startsWith('extension/node_modules/onnxruntime-node/bin/'));
  assert.ok(ortBins.some((e) => /\/napi-v\d+\/linux\/x64\/onnxruntime_binding\.node$/.test(e)), `no linux-x64 binding in:\n${ortBins.join('\n')}`);
  assert.ok(ortBins.some((e) => /\/napi-v\d+\/linux\/x64\/libonnxruntime\.so\.1$/.test(e)), `no linux-x64 libonnxruntime in:\n${ortBins.join('\n')}`);
  const foreign = ortBins.filter((e) => !/\/bin\/napi-v\d+\/linux\/x64\/[^/]+$/.test(e));
  assert.deepEqual(foreign, [], 'binaries of other platforms in the vsix');
  assert.ok(entries.includes('extension/node_modules/onnxruntime-common/package.json'), 'onnxruntime-common missing');
  assert.ok(entries.includes('extension/dist/extension.js'), 'dist/extension.js missing');
  const packages = new Set(entries.filter((e) => e.startsWith('extension/node_modules/'))
    .map((e) => e.split('/').slice(2, e.split('/')[2]?.startsWith('@') ? 4 : 3).join('/')));
  assert.deepEqual([...packages].sort(), ['onnxruntime-common', 'onnxruntime-node'], 'only onnxruntime ships in node_modules (the rest is bundled)');
  const sources = entries.filter((e) => /^extension\/(src|webview|test|scripts|bench|\.e2e|\.tmp)\//.test(e) || /\.ts$/.test(e));
  assert.deepEqual(sources, [], 'sources or test files in the vsix');

  const extsDir = path.join(tmp, 'exts');
  const out = installVsix(vsix, extsDir);
  assert.match(out, /was successfully installed/, out);
  const installed = fs.readdirSync(extsDir).filter((d) => d.startsWith('onnx-inspector.onnx-inspector-0.1.0'));
  assert.equal(installed.length, 1, `expected one installed folder in ${extsDir}, got ${fs.readdirSync(extsDir).join(', ')}`);
  const extDir = path.join(extsDir, installed[0]);

  assert.ok(model && fs.existsSync(model), `model not found: expected ../shared/models/squeezenet1_1.onnx beside the repo (got ${model})`);
  // The pruned onnxruntime-node from the installed extension must load and run on this platform.
  const run = spawnSync(process.execPath, ['-e', `
    const ort = require(${JSON.stringify(path.join(extDir, 'node_modules', 'onnxruntime-node'))});
    (async () => {
      const s = await ort.InferenceSession.create(${JSON.stringify(model)});
      const x = new ort.Tensor('float32', new Float32Array(1 * 3 * 224 * 224).fill(0.5), [1, 3, 224, 224]);
      const r = await s.run({ [s.inputNames[0]]: x });
      console.log(JSON.stringify(r[s.outputNames[0]].dims));
    })().catch((e) => { console.error(e); process.exit(1); });`], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(run.status, 0, `onnxruntime from the vsix failed:\n${run.stdout}${run.stderr}`);
  assert.deepEqual(JSON.parse(run.stdout.trim()), [1, 1000], 'squeezenet output dims');

  // And the installed extension itself opens a model in VS Code.
  const workspace = makeWorkspace([model]);
  t.after(() => fs.rmSync(workspace, { recursive: true, force: true }));
  const s = await startSession({ workspace, extensionsDir: extsDir });
  try {
    await s.openFile('squeezenet1_1.onnx');
    await s.webview().locator('[data-testid="graph-root"]').waitFor({ state: 'visible', timeout: 90_000 });
  } catch (e) {
    console.error(s.diagnostics());
    throw e;
  } finally {
    await s.stop();
  }
});
