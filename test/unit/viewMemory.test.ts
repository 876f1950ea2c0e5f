// The per-file view memory: kept by URI, most recent first, bounded in files and size, malformed input refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { MAX_EXPANDED, MAX_FILES, ViewMemory } from '../../src/host/viewMemory';
import type { SavedView } from '../../src/protocol/viewState';

function memento(): vscode.Memento & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return {
    data,
    keys: () => [...data.keys()],
    get: <T>(key: string, fallback?: T) => (data.has(key) ? structuredClone(data.get(key)) as T : fallback),
    update: async (key: string, value: unknown) => { data.set(key, structuredClone(value)); },
  } as vscode.Memento & { data: Map<string, unknown> };
}

const view = (k: number, expanded: string[] = ['g:a']): SavedView => ({ expanded, view: { k, x: 10, y: -20 }, selected: 'n:3' });

test('a view is kept per file and replaced by the next one of that file', async () => {
  const m = new ViewMemory(memento());
  assert.equal(await m.set('file:///a.onnx', view(1.2)), true);
  await m.set('file:///b.onnx', view(0.5, []));
  await m.set('file:///a.onnx', view(2));
  assert.deepEqual(m.get('file:///a.onnx'), view(2));
  assert.deepEqual(m.get('file:///b.onnx'), view(0.5, []));
  assert.equal(m.get('file:///c.onnx'), undefined);
});

test('bounded: the most recently saved files are kept; a view with too many open groups is not', async () => {
  const store = memento();
  const m = new ViewMemory(store);
  for (let i = 0; i < MAX_FILES + 5; i++) await m.set(`file:///m${i}.onnx`, view(1));
  assert.equal(m.get('file:///m0.onnx'), undefined, 'the oldest is forgotten');
  assert.ok(m.get(`file:///m${MAX_FILES + 4}.onnx`));
  assert.equal((store.data.get('onnxInspector.graphViews') as unknown[]).length, MAX_FILES);
  const big = Array.from({ length: MAX_EXPANDED + 1 }, (_, i) => `g:${i}`);
  assert.equal(await m.set(`file:///m${MAX_FILES + 4}.onnx`, view(1, big)), false);
  assert.equal(m.get(`file:///m${MAX_FILES + 4}.onnx`), undefined, 'the older view of that file is dropped too');
});

test('malformed views (from a webview message or old storage) are refused, extra fields are not stored', async () => {
  const store = memento();
  const m = new ViewMemory(store);
  for (const bad of [undefined, {}, { expanded: 'g:a', view: { k: 1, x: 0, y: 0 } }, { expanded: [], view: { k: 0, x: 0, y: 0 } }, { expanded: [], view: { k: 1, x: NaN, y: 0 } }, { expanded: [1], view: { k: 1, x: 0, y: 0 } }]) {
    assert.equal(await m.set('file:///x.onnx', bad as unknown as SavedView), false, JSON.stringify(bad));
  }
  await m.set('file:///x.onnx', { ...view(1), extra: 'x'.repeat(1000) } as SavedView);
  assert.deepEqual(m.get('file:///x.onnx'), view(1));
  store.data.set('onnxInspector.graphViews', [['file:///y.onnx', { expanded: [] }], 'junk']);
  assert.equal(m.get('file:///y.onnx'), undefined);
  store.data.set('onnxInspector.graphViews', 'junk');
  assert.equal(m.get('file:///y.onnx'), undefined);
});
