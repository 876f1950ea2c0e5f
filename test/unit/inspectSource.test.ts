// PyTorch source lookup: which stack frame to open, and where a frame's file is found locally (a temp tree
// standing in for workspace folders, site-packages and configured source roots).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseStackTrace } from '../../src/core/pytorchMetadata';
import { afterSitePackages, findSourceFile, notFoundMessage } from '../../src/host/inspect/sourcePaths';
import { defaultFrameIndex, framesInOrder, isTorchInternal } from '../../src/host/inspect/stackFrames';

const RESNET = '/opt/torch/.venv/lib/python3.12/site-packages/torchvision/models/resnet.py';

test('the deepest frame in model code is opened first; torch internals are listed after', () => {
  const frames = parseStackTrace([
    `File "/home/u/train.py", line 40, in main`, '    model(x)',
    `File "${RESNET}", line 285, in forward`, '    return self._forward_impl(x)',
    `File "/opt/torch/.venv/lib/python3.12/site-packages/torch/nn/modules/batchnorm.py", line 194, in forward`, '    return F.batch_norm(',
  ].join('\n'));
  assert.equal(defaultFrameIndex(frames), 1);
  assert.deepEqual(framesInOrder(frames).map((f) => [f.index, f.user]), [[1, true], [2, false], [0, true]]);
  assert.equal(isTorchInternal('<frozen runpy>'), true);
  assert.equal(isTorchInternal(RESNET), false);
  const onlyTorch = parseStackTrace(`File "/x/site-packages/torch/nn/modules/conv.py", line 5, in forward\n    y`);
  assert.equal(defaultFrameIndex(onlyTorch), 0, 'with only torch frames, the innermost');
  assert.equal(defaultFrameIndex([]), -1);
});

test('source paths: as recorded, then under workspace folders, site-packages and configured roots', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'inspect-src-'));
  try {
    const put = (rel: string) => {
      const p = path.join(tmp, rel);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, 'x\n');
      return p;
    };
    assert.deepEqual(afterSitePackages(RESNET), ['torchvision', 'models', 'resnet.py']);
    const none = { workspaceFolders: [], sitePackages: [], configured: [] };
    const recorded = put('abs/model.py');
    assert.equal(findSourceFile(recorded, none).found, recorded, 'an existing path is used as is');

    const ws = path.join(tmp, 'ws');
    const inWs = put('ws/torchvision/models/resnet.py');
    assert.equal(findSourceFile(RESNET, { ...none, workspaceFolders: [ws] }).found, inWs, 'site-packages tail under a workspace folder');

    const sp = path.join(tmp, 'venv/lib/python3.11/site-packages');
    const inSp = put('venv/lib/python3.11/site-packages/torchvision/models/resnet.py');
    assert.equal(findSourceFile(RESNET, { ...none, sitePackages: [sp] }).found, inSp, 'the selected environment\'s site-packages');

    // A configured root may point inside the tree: its tail matches a tail of the recorded path.
    const inner = path.join(tmp, 'checkout/vision/torchvision');
    const inInner = put('checkout/vision/torchvision/models/resnet.py');
    assert.equal(findSourceFile(RESNET, { ...none, configured: [inner] }).found, inInner);
    const rel = findSourceFile('src/model.py', { ...none, workspaceFolders: [path.join(tmp, 'proj')] });
    assert.equal(rel.found, undefined);
    assert.ok(rel.tried.includes(path.join(tmp, 'proj', 'src/model.py')), 'a relative path is tried under each workspace folder');
    const order = findSourceFile(RESNET, { workspaceFolders: [ws], sitePackages: [sp], configured: [inner] });
    assert.equal(order.found, fs.existsSync(RESNET) ? RESNET : inWs, 'workspace folders come before site-packages and roots');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('nothing found: the message says what was looked for and where', () => {
  const roots = { workspaceFolders: ['/nowhere/ws'], sitePackages: [], configured: ['/nowhere/src'] };
  const lookup = findSourceFile(RESNET, roots, () => false);
  assert.equal(lookup.found, undefined);
  assert.equal(lookup.tried[0], RESNET);
  assert.ok(lookup.tried.includes('/nowhere/ws/torchvision/models/resnet.py'));
  assert.ok(lookup.tried.includes('/nowhere/src/torchvision/models/resnet.py'));
  const msg = notFoundMessage(RESNET, 285, lookup, roots);
  assert.match(msg, /Cannot find .*resnet\.py:285 locally/);
  assert.match(msg, /workspace folders \(\/nowhere\/ws\)/);
  assert.match(msg, /no Python environment selected/);
  assert.match(msg, /onnxInspector\.pytorchSourceRoots \(\/nowhere\/src\)/);
});
