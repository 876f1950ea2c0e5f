// Compare Models in the webview, on the fake-host test page: the host's difference marks the boxes (added,
// changed, removed with a dashed outline, and the groups holding them), the list steps through the entries
// (next, previous, wrapping, F7, a click on a row), each step asks the host where the box is, opens its group,
// selects and frames it, and the entry shows what changed, old → new.
// Run: node --import tsx --test test/webview/modelDiff.test.ts
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { ModelDiffView } from '../../src/protocol/modelDiff';
import { allowTsxEvaluate, chromiumMissing, answerRequests, useTestSite, waitForFirstPaint } from './page';
import { smallScene } from './syntheticScene';

const skip = chromiumMissing();
if (skip) console.log(`SKIP webview model diff tests: ${skip}`);

const GROUP = 'g:/encoder/layer.1';

/** Three differences: an op outside any group (changed), one hidden in GROUP (removed), the last op (added). */
function diffFor(): { diff: ModelDiffView; ids: string[] } {
  const ops = smallScene([GROUP]).nodes.filter((n) => n.kind === 'op');
  const outside = ops.find((o) => !o.parent)!;
  const inside = ops.find((o) => o.parent?.startsWith(GROUP))!;
  const last = ops.filter((o) => !o.parent && o.id !== outside.id).at(-1)!;
  const diff: ModelDiffView = {
    a: 'old.onnx', b: 'new.onnx',
    summary: { added: 1, removed: 1, changed: 1, unchanged: ops.length - 2 },
    entries: [
      { status: 'changed', id: outside.id, name: outside.name, opType: outside.label, matchedBy: 'name', changes: [{ kind: 'attribute', key: 'kernel_shape', before: 'ints = [3, 3]', after: 'ints = [5, 5]' }] },
      { status: 'removed', id: inside.id, name: inside.name, opType: inside.label, changes: [] },
      { status: 'added', id: last.id, name: last.name, opType: last.label, changes: [] },
    ],
    graphChanges: [],
    marks: { [outside.id]: 'changed', [inside.id]: 'removed', [last.id]: 'added', [GROUP]: 'removed', 'g:/encoder': 'removed' },
  };
  return { diff, ids: [outside.id, inside.id, last.id] };
}

function answer(m: any): { ok: true; result: unknown } | { ok: false; error: string } {
  switch (m.method) {
    case 'modelDiff.reveal': {
      const op = smallScene([GROUP]).nodes.find((n) => n.id === m.params.id);
      return op ? { ok: true, result: { box: op.id, expand: op.parent ? [GROUP] : [] } } : { ok: false, error: 'no such box' };
    }
    case 'modelDiff.textDiff': return { ok: true, result: { done: true } };
    case 'inspect.node': return { ok: true, result: { kind: 'node', title: m.params.id, sections: [{ title: 'Node', rows: [{ key: 'op', value: 'Conv' }] }] } };
    default: return { ok: false, error: `unexpected ${m.method}` };
  }
}

describe('webview model diff: marks and the list of differences', { skip }, () => {
  const web = useTestSite();

  async function open(): Promise<{ page: Page; errors: string[] }> {
    const page = await web.browser.newPage({ viewport: { width: 1200, height: 1000 } });
    await allowTsxEvaluate(page);
    await answerRequests(page, ['modelDiff.', 'inspect.node'], (m: unknown) => answer(m));
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${web.site.url}?scene=small`);
    await waitForFirstPaint(page);
    const { diff } = diffFor();
    await page.evaluate((d) => (window as any).__fakeHost.send({ type: 'modelDiff.show', diff: d }), diff as any);
    await page.waitForSelector('[data-testid="diff-dock"]:not([hidden])');
    return { page, errors };
  }

  const state = (page: Page) => page.evaluate(() => (window as any).__onnxInspectorDiff.state());
  const waitSelected = (page: Page, id: string) => page.waitForFunction((x) => (window as any).__onnxInspectorDiff.state().selected === x, id, { timeout: 10_000 });

  test('boxes and groups are marked; removed ones are outlined', async () => {
    const { page, errors } = await open();
    const { ids } = diffFor();
    const st = await state(page);
    assert.equal(st.shown, true);
    assert.match(await page.innerText('[data-testid="diff-summary"]'), /old\.onnx → new\.onnx: 1 added, 1 removed, 1 changed/);
    // GROUP starts collapsed: its card carries the removed node's mark.
    assert.ok(st.boxColors[ids[0]], 'the changed op is filled');
    assert.ok(st.boxColors[ids[2]], 'the added op is filled');
    assert.notEqual(st.boxColors[ids[0]], st.boxColors[ids[2]], 'added and changed differ');
    const scene = await page.evaluate(() => (window as any).__onnxInspectorTest.scene());
    const outerGroup = scene.nodes.find((n: any) => n.kind === 'group' && (n.id === GROUP || GROUP.startsWith(`${n.id}/`)));
    assert.ok(outerGroup && st.removedOutlines[outerGroup.id], `the collapsed group holding the removed node is outlined: ${JSON.stringify(st.removedOutlines)}`);
    assert.equal(await page.locator('[data-testid="diff-list"] > li').count(), 3);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('next and previous step through the list, reveal each box and show what changed', async () => {
    const { page, errors } = await open();
    const { ids } = diffFor();
    await page.click('[data-testid="diff-next"]');
    await waitSelected(page, ids[0]);
    let st = await state(page);
    assert.equal(st.counter, '1 / 3');
    assert.equal(st.framed, ids[0]);
    const first = page.locator('[data-testid="diff-list"] > li').nth(0);
    assert.equal(await first.getAttribute('aria-selected'), 'true');
    assert.match(await first.innerText(), /attribute kernel_shape: ints = \[3, 3\] → ints = \[5, 5\]/);
    // The removed node is inside the collapsed group: the step asks for a layout with it open, then selects it.
    await page.click('[data-testid="diff-next"]');
    await waitSelected(page, ids[1]);
    const layouts = await page.evaluate(() => (window as any).__fakeHost.posted.filter((m: any) => m.type === 'request' && m.method === 'layout'));
    assert.ok(layouts.at(-1).params.expanded.includes(GROUP));
    st = await state(page);
    assert.equal(st.counter, '2 / 3');
    assert.ok(st.removedOutlines[ids[1]], 'the removed op, now drawn, has its dashed outline');
    // F7 goes on, and wraps around to the first; Previous wraps back to the last.
    await page.keyboard.press('F7');
    await waitSelected(page, ids[2]);
    await page.keyboard.press('F7');
    await waitSelected(page, ids[0]);
    await page.click('[data-testid="diff-prev"]');
    await waitSelected(page, ids[2]);
    assert.equal((await state(page)).counter, '3 / 3');
    // A click on a row goes to it.
    await page.locator('[data-testid="diff-list"] > li').nth(1).click();
    await waitSelected(page, ids[1]);
    assert.equal((await state(page)).current, 1);
    // Selecting a differing box in the graph selects its entry.
    await page.evaluate((id) => (window as any).__onnxInspectorTest.click(id), ids[0]);
    await page.waitForFunction(() => (window as any).__onnxInspectorDiff.state().current === 0);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
