// Pure parts of the webview, without a browser: hit-testing on the grid index and the expanded-set rules.
// Run: node --import tsx --test test/webview/sceneIndex.test.ts
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withAllExpanded, withCollapsed, withExpanded } from '../../webview/expansion';
import { SceneIndex } from '../../webview/render/sceneIndex';
import { largeScene, smallScene } from './syntheticScene';

test('hit-testing finds the deepest box, an expanded group only by its header or empty area, edges near their line', () => {
  const s = smallScene(['g:/encoder/layer.0']);
  const idx = new SceneIndex(s);
  const frame = s.nodes.find((n) => n.id === 'g:/encoder/layer.0')!;
  const child = s.nodes.find((n) => n.parent === frame.id && n.kind === 'op')!;
  const hitChild = idx.hitTest(child.x + 5, child.y + 5, 3);
  assert.equal(hitChild?.kind === 'node' && hitChild.node.id, child.id);
  const header = idx.hitTest(frame.x + frame.width - 4, frame.y + 4, 3);
  assert.ok(header?.kind === 'node' && header.node.id === frame.id && header.header);
  const body = idx.hitTest(frame.x + frame.width - 4, frame.y + frame.height - 4, 3);
  assert.ok(body?.kind === 'node' && body.node.id === frame.id && !body.header);
  const e = s.edges[0];
  const edgeHit = idx.hitTest(e.points[0] + 1, (e.points[1] + e.points[3]) / 2, 3);
  assert.ok(edgeHit?.kind === 'edge' && edgeHit.edge.id === e.id);
  assert.equal(idx.hitTest(-500, -500, 3), undefined);
});

test('hit-testing agrees with a brute-force scan on the 5,000-box scene', () => {
  const s = largeScene(5000);
  const idx = new SceneIndex(s);
  let checked = 0;
  for (let i = 0; i < s.nodes.length; i += 37) {
    const n = s.nodes[i];
    const [x, y] = [n.x + n.width * 0.3, n.y + n.height * 0.6];
    const expected = s.nodes.filter((m) => x >= m.x && x <= m.x + m.width && y >= m.y && y <= m.y + m.height);
    const hit = idx.hitTest(x, y, 2);
    assert.equal(expected.length, 1);
    assert.ok(hit?.kind === 'node' && hit.node.id === expected[0].id, `hit at ${n.id}`);
    checked++;
  }
  assert.ok(checked > 100);
});

test('collapsing a group drops its nested expanded groups; expanding adds once', () => {
  const s = smallScene(['g:/encoder/layer.0', 'g:/encoder/layer.0/attention', 'g:/encoder/layer.1']);
  assert.deepEqual(withCollapsed(s, s.expanded, 'g:/encoder/layer.0'), ['g:/encoder/layer.1']);
  assert.deepEqual(withCollapsed(s, s.expanded, 'g:/encoder/layer.0/attention'), ['g:/encoder/layer.0', 'g:/encoder/layer.1']);
  assert.deepEqual(withExpanded(['a'], 'a'), ['a']);
  assert.deepEqual(withExpanded(['a'], 'b'), ['a', 'b']);
  const closed = smallScene([]);
  assert.deepEqual(withAllExpanded(closed, []).sort(), ['g:/encoder/layer.0', 'g:/encoder/layer.1']);
  assert.deepEqual(withAllExpanded(closed, [], (id) => id.endsWith('.1')), ['g:/encoder/layer.1']);
});
