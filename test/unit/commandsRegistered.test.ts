// Every command package.json contributes is registered by activate(), and every command activate() registers
// is contributed (or it could only be reached by id), checked against a stand-in `vscode` module that records
// registerCommand and answers everything else with inert stand-ins.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from './editSupport';

/** Anything: callable, constructible, every property another stand-in; thenable-free so awaits don't hang. */
function inert(): any {
  const target = function () { /* stand-in */ };
  return new Proxy(target, {
    get: (_t, key) => (key === 'then' ? undefined : key === Symbol.toPrimitive ? () => '' : key === 'dispose' ? () => undefined : inert()),
    apply: () => inert(),
    construct: () => inert(),
  });
}

test('commands in package.json and commands registered by activate() are the same set', async () => {
  const registered: string[] = [];
  // A plain object: the bundler's interop copies a module's own keys, so each namespace used is listed.
  const fake: Record<string, unknown> = {
    commands: new Proxy({}, { get: (_c, k) => (k === 'registerCommand' ? (id: string) => { registered.push(id); return { dispose() {} }; } : inert()) }),
  };
  for (const name of ['window', 'workspace', 'env', 'extensions', 'languages', 'Uri', 'Disposable', 'EventEmitter', 'ProgressLocation', 'Range', 'RelativePattern', 'ViewColumn']) fake[name] = inert();
  const mod = Module as unknown as { _load(request: string, parent: unknown, isMain: boolean): unknown };
  const load = mod._load;
  mod._load = function (request: string, parent: unknown, isMain: boolean) {
    return request === 'vscode' ? fake : load.call(this, request, parent, isMain);
  };
  const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-inspector-activate-'));
  const context = {
    subscriptions: [] as { dispose(): unknown }[],
    extensionUri: { fsPath: repoRoot, path: repoRoot, scheme: 'file' },
    globalStorageUri: { fsPath: storage, path: storage, scheme: 'file' },
  };
  try {
    const { activate } = await import('../../src/host/extension');
    activate(context as never);
  } finally {
    mod._load = load;
    for (const d of context.subscriptions) await Promise.resolve(d.dispose?.()).catch(() => undefined);
    fs.rmSync(storage, { recursive: true, force: true });
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { contributes: { commands: { command: string }[] } };
  const contributed = pkg.contributes.commands.map((c) => c.command).sort();
  assert.equal(new Set(registered).size, registered.length, `a command is registered twice: ${registered.join(', ')}`);
  assert.ok(registered.length >= 10, `activate() registered ${registered.length} commands`);
  assert.deepEqual([...registered].sort(), contributed, 'registered (actual) vs contributed (expected)');
});
