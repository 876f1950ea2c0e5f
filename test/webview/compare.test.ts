// Compare Backends in the webview, on the fake-host test page: the host's result colors the boxes and edges
// (checked in the dock's state and in the canvas pixels), the threshold slider recolors live and the legend
// counts follow, the first divergence opens its group and selects the culprit, the table sorts and its rows
// ask the host to reveal and for histograms, which render from the bins sent.
// Run: node --import tsx --test test/webview/compare.test.ts
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { CompareResultView, TensorHistogramsView } from '../../src/protocol/compare';
import type { Scene } from '../../src/protocol/scene';
import { allowTsxEvaluate, chromiumMissing, answerRequests, useTestSite, waitForFirstPaint } from './page';
import { smallScene } from './syntheticScene';

const skip = chromiumMissing();
if (skip) console.log(`SKIP webview compare tests: ${skip}`);

const GROUP = 'g:/encoder/layer.1';

/** Errors spread over decades, by position: op k gets 10^(-9 + 1.6k); groups take their worst op. */
function resultFor(): { result: CompareResultView; culprit: string; errors: Map<string, number> } {
  const open = smallScene([GROUP]);
  const closed = smallScene([]);
  const ops = open.nodes.filter((n) => n.kind === 'op');
  const errors = new Map<string, number>();
  ops.forEach((n, k) => errors.set(n.id, 10 ** (-9 + 1.6 * k)));
  const tensors: CompareResultView['overlay']['tensors'] = {};
  const items: CompareResultView['overlay']['items'] = {};
  for (const n of ops) {
    const e = errors.get(n.id)!;
    tensors[n.outputs[0].tensor] = { abs: e, rel: e * 10, status: e > 1e-5 ? 'fail' : 'pass' };
    items[n.id] = { abs: e, rel: e * 10, worst: n.outputs[0].tensor, failed: e > 1e-5 };
  }
  for (const g of [...open.nodes, ...closed.nodes].filter((n) => n.kind === 'group')) {
    const inside = ops.filter((o) => o.name.startsWith(`${g.name}/`));
    if (!inside.length) continue;
    const worst = inside.reduce((a, b) => (errors.get(a.id)! >= errors.get(b.id)! ? a : b));
    const e = errors.get(worst.id)!;
    items[g.id] = { abs: e, rel: e * 10, worst: worst.outputs[0].tensor, failed: e > 1e-5 };
  }
  // The culprit: the first failing op, hidden inside GROUP while it is collapsed.
  const culprit = ops.find((o) => o.parent?.startsWith(GROUP) && errors.get(o.id)! > 1e-5)!;
  const rows = ops.map((n) => ({ name: n.outputs[0].tensor, status: tensors[n.outputs[0].tensor].status, maxAbs: errors.get(n.id)!, maxRel: errors.get(n.id)! * 10, cosine: 1 - errors.get(n.id)!, shape: '[1, 128, 768]', dtype: 'float32', reason: 'r' }));
  return {
    culprit: culprit.id,
    errors,
    result: {
      runners: { a: 'onnxruntime <b>A</b>', b: 'results B' },
      inputs: { warning: null, note: null },
      dockHeight: null,
      summary: { compared: rows.length, passed: rows.filter((r) => r.status === 'pass').length, failed: rows.filter((r) => r.status === 'fail').length, onlyA: 0, onlyB: 0, fused: 0, skipped: 0, seconds: 0.1 },
      tolerances: { atol: 1e-5, rtol: 1e-5, checkErrorStat: 'elemwise' },
      overlay: { tensors, items },
      rows,
      firstDivergence: { tensor: culprit.outputs[0].tensor, node: culprit.name, op: culprit.label, target: { box: culprit.id, expand: [GROUP] }, explains: 3 },
      notes: [],
    },
  };
}

const FUSED_NOTE = 'fused into Conv_3 + Relu_4 by TensorRT';

/** resultFor() with two passing ops' tensors fused away by run A's backend (as TensorRT reports them). */
function fusedResultFor(): { result: CompareResultView; fused: string[]; fusedTensors: string[] } {
  const { result, culprit } = resultFor();
  const ops = smallScene([GROUP]).nodes.filter((n) => n.kind === 'op' && n.id !== culprit && !n.parent?.startsWith(GROUP));
  const chosen = ops.filter((n) => result.overlay.items[n.id].failed === false).slice(0, 2);
  const fusedTensors = chosen.map((n) => n.outputs[0].tensor);
  for (const n of chosen) {
    const t = n.outputs[0].tensor;
    result.overlay.tensors[t] = { abs: null, rel: null, status: 'fused', note: FUSED_NOTE };
    result.overlay.items[n.id] = { abs: null, rel: null, worst: t, failed: false, state: 'fused', note: FUSED_NOTE };
  }
  result.rows = result.rows.map((r) => (fusedTensors.includes(r.name)
    ? { name: r.name, status: 'fused' as const, maxAbs: null, maxRel: null, cosine: null, shape: '', dtype: '', reason: 'fused into Conv_3 + Relu_4' }
    : r));
  result.summary = { ...result.summary, compared: result.summary.compared - 2, passed: result.summary.passed - 2, fused: 2 };
  return { result, fused: chosen.map((n) => n.id), fusedTensors };
}

const HIST: TensorHistogramsView = {
  tensor: 'x', runners: { a: 'onnxruntime CPU, opt all', b: 'results file pert.json, runner trt-runner-N0' },
  actual: { edges: [0, 1, 2, 3, 4], counts: [5, 0, 7, 1], nan: 0, posInf: 0, negInf: 0 },
  expected: { edges: [0, 1, 2, 3, 4], counts: [4, 2, 6, 1], nan: 2, posInf: 0, negInf: 0 },
  absError: { edges: [0, 0.5, 1], counts: [12, 1], nan: 0, posInf: 0, negInf: 0 },
};

function answer(m: any): { ok: true; result: unknown } | { ok: false; error: string } {
  const { result } = resultFor();
  switch (m.method) {
    case 'compare.reveal': {
      const op = smallScene([GROUP]).nodes.find((n) => n.kind === 'op' && n.outputs[0].tensor === m.params.tensor);
      return op ? { ok: true, result: { box: op.id, expand: op.parent ? [GROUP] : [] } } : { ok: false, error: 'no such tensor' };
    }
    case 'compare.histograms': return result.rows.some((r) => r.name === m.params.tensor) ? { ok: true, result: { ...HIST, tensor: m.params.tensor } } : { ok: false, error: 'not compared' };
    case 'compare.command': return { ok: true, result: { done: true } };
    case 'inspect.node': return { ok: true, result: { kind: 'node', title: m.params.id, sections: [{ title: 'Node', rows: [{ key: 'op', value: 'Conv' }] }] } };
    default: return { ok: false, error: `unexpected ${m.method}` };
  }
}

describe('webview compare overlay, legend, table and histograms', { skip }, () => {
  const web = useTestSite();

  async function open(): Promise<{ page: Page; errors: string[] }> {
    const page = await web.browser.newPage({ viewport: { width: 1200, height: 1000 } });
    await allowTsxEvaluate(page);
    await answerRequests(page, ['compare.', 'inspect.node'], (m: unknown) => answer(m));
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${web.site.url}?scene=small`);
    await waitForFirstPaint(page);
    return { page, errors };
  }

  const state = (page: Page) => page.evaluate(() => (window as any).__onnxInspectorCompare.state());
  const posted = (page: Page) => page.evaluate(() => (window as any).__fakeHost.posted as any[]);
  const show = async (page: Page) => {
    const { result } = resultFor();
    await page.evaluate((r) => (window as any).__fakeHost.send({ type: 'compare.show', result: r }), result as any);
  };

  /** The canvas pixel (as [r,g,b]) a little inside a box's lower left corner, where no text is drawn. */
  const pixelOf = (page: Page, id: string) => page.evaluate((boxId) => {
    const t = (window as any).__onnxInspectorTest;
    const n = (t.scene() as Scene).nodes.find((x) => x.id === boxId)!;
    const tr = t.transform();
    t.paint();
    const canvas = document.querySelector('canvas.graph-canvas') as HTMLCanvasElement;
    const dpr = canvas.width / canvas.clientWidth;
    const inset = n.kind === 'group' ? 14 : 4;
    const x = Math.round(((n.x + inset) * tr.k + tr.x) * dpr), y = Math.round(((n.y + n.height - inset) * tr.k + tr.y) * dpr);
    return Array.from(canvas.getContext('2d')!.getImageData(x, y, 1, 1).data.slice(0, 3));
  }, id);
  const rgb = (s: string) => s.match(/\d+/g)!.slice(0, 3).map(Number);
  const close = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]) <= 3);

  test('the result colors boxes and edges by error; the first divergence is revealed and selected', async () => {
    const { page, errors } = await open();
    const { culprit, errors: errs } = resultFor();
    await show(page);
    await page.waitForSelector('[data-testid="compare-dock"]:not([hidden])');
    // The culprit sits in a collapsed group: the dock asks for a layout with it open, then selects it.
    await page.waitForFunction((id) => (window as any).__onnxInspectorCompare.state().selected === id, culprit, { timeout: 10_000 });
    const layouts = (await posted(page)).filter((m) => m.type === 'request' && m.method === 'layout');
    assert.ok(layouts.at(-1).params.expanded.includes(GROUP));
    const st = await state(page);
    assert.equal(st.culprit, culprit);
    assert.equal(st.metric, 'abs');
    const scene: Scene = await page.evaluate(() => (window as any).__onnxInspectorTest.scene());
    const colored = scene.nodes.filter((n) => n.kind === 'op' || n.kind === 'group').filter((n) => st.boxColors[n.id]);
    assert.ok(colored.length >= scene.nodes.filter((n) => n.kind === 'op').length, 'every op and group with an error has a color');
    // Passing and failing boxes get different colors, and the canvas draws them.
    const opIds = scene.nodes.filter((n) => n.kind === 'op').map((n) => n.id);
    const passing = opIds.find((id) => errs.get(id)! <= 1e-5)!, failing = opIds.find((id) => errs.get(id)! > 1e-3)!;
    assert.notEqual(st.boxColors[passing], st.boxColors[failing]);
    await page.evaluate((id) => { (window as any).__onnxInspectorTest.click(id); }, passing); // away from the culprit's selection frame
    for (const id of [passing, failing]) {
      await page.evaluate((bid) => {
        const t = (window as any).__onnxInspectorTest;
        const n = t.scene().nodes.find((x: any) => x.id === bid);
        const tr = t.transform();
        const c = document.querySelector('canvas.graph-canvas') as HTMLCanvasElement;
        t.panBy(c.clientWidth / 2 - ((n.x + n.width / 2) * tr.k + tr.x), c.clientHeight / 2 - ((n.y + n.height / 2) * tr.k + tr.y));
      }, id);
      assert.ok(close(await pixelOf(page, id), rgb(st.boxColors[id])), `${id} painted in ${st.boxColors[id]}: ${await pixelOf(page, id)}`);
    }
    // Edges take their tensor's error color.
    const edge = scene.edges.find((e) => e.from === failing)!;
    assert.equal(st.edgeColors[edge.id], st.boxColors[failing]);
    // The first divergence is named as text (the runner names too: no HTML parsed).
    const first = page.locator('[data-testid="compare-first-divergence"]');
    assert.equal(await first.getAttribute('data-box'), culprit);
    assert.match(await first.innerText(), /First divergence/);
    assert.match(await page.innerText('[data-testid="compare-summary"]'), /onnxruntime <b>A<\/b>/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('moving the threshold recolors live and the legend counts follow', async () => {
    const { page } = await open();
    const { errors: errs, result } = resultFor();
    await show(page);
    await page.waitForSelector('[data-testid="compare-dock"]:not([hidden])');
    const count = async () => Number(await page.getAttribute('[data-testid="compare-count"]', 'data-fail'));
    const values = [...errs.values()];
    assert.equal(await count(), values.filter((v) => v > 1e-5).length);
    const before = await state(page);
    // Slide to 1e-2 (the slider's scale spans the errors' decades; position from the scale's ticks).
    const setSlider = (pos: number) => page.$eval('[data-testid="compare-threshold"]', (el, p) => {
      const input = el as HTMLInputElement;
      input.value = String(p);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }, pos);
    await setSlider(900);
    const after1 = await state(page);
    assert.ok(after1.threshold > before.threshold);
    assert.equal(await count(), values.filter((v) => v > after1.threshold).length);
    const flipped = Object.entries(result.overlay.items).map(([id, e]) => [id, e.abs!] as const)
      .find(([id, v]) => v > before.threshold && v <= after1.threshold && before.boxColors[id]);
    assert.ok(flipped, 'some box moved from fail to pass');
    assert.notEqual(after1.boxColors[flipped[0]], before.boxColors[flipped[0]]);
    await setSlider(0);
    const after2 = await state(page);
    assert.equal(await count(), values.filter((v) => v > after2.threshold).length);
    assert.ok(after2.threshold < before.threshold);
    assert.match(await page.innerText('[data-testid="compare-threshold-value"]'), /threshold/);
    // The metric switch: relative errors (10x here) with the rtol default.
    await page.selectOption('[data-testid="compare-metric"]', 'rel');
    assert.equal(await count(), values.filter((v) => v * 10 > 1e-5).length);
    await page.close();
  });

  test('the table sorts by column and a row click asks to reveal its node and for its histograms', async () => {
    const { page } = await open();
    const { result } = resultFor();
    await show(page);
    const names = () => page.$$eval('[data-testid="compare-row"]', (rows) => rows.map((r) => (r as HTMLElement).dataset.tensor));
    const failuresFirst = [...result.rows.filter((r) => r.status === 'fail'), ...result.rows.filter((r) => r.status !== 'fail')].map((r) => r.name);
    assert.deepEqual(await names(), failuresFirst, 'failures first, each part in graph order');
    await page.click('[data-testid="compare-sort-maxAbs"]');
    assert.deepEqual(await names(), [...result.rows].sort((a, b) => b.maxAbs! - a.maxAbs!).map((r) => r.name));
    assert.equal(await page.getAttribute('th[data-key="maxAbs"]', 'aria-sort'), 'descending');
    await page.click('[data-testid="compare-sort-maxAbs"]');
    assert.deepEqual(await names(), [...result.rows].sort((a, b) => a.maxAbs! - b.maxAbs!).map((r) => r.name));
    await page.click('[data-testid="compare-sort-status"]');
    const statuses = await page.$$eval('[data-testid="compare-row"]', (rows) => rows.map((r) => (r as HTMLElement).dataset.status));
    assert.deepEqual(statuses, [...statuses].sort((a, b) => (a === b ? 0 : a === 'fail' ? -1 : 1)));

    const target = result.rows.find((r) => r.status === 'pass')!.name;
    await page.click(`[data-testid="compare-row"][data-tensor="${target}"]`);
    await page.waitForSelector(`[data-testid="compare-histograms"][data-state="ready"][data-tensor="${target}"]`);
    const reqs = (await posted(page)).filter((m) => m.type === 'request');
    assert.deepEqual(reqs.filter((m) => m.method === 'compare.reveal').at(-1).params, { tensor: target });
    assert.deepEqual(reqs.filter((m) => m.method === 'compare.histograms').at(-1).params, { tensor: target });
    const box = smallScene([GROUP]).nodes.find((n) => n.kind === 'op' && n.outputs[0].tensor === target)!.id;
    await page.waitForFunction((id) => (window as any).__onnxInspectorCompare.state().selected === id, box);
    // Keyboard: Enter on a focused row does the same.
    const other = result.rows.find((r) => r.status === 'fail' && r.name !== target)!.name;
    await page.focus(`[data-testid="compare-row"][data-tensor="${other}"]`);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`[data-testid="compare-histograms"][data-tensor="${other}"]`);
    // Export buttons go to the host.
    await page.click('[data-testid="compare-export-json"]');
    await page.waitForFunction(() => (window as any).__fakeHost.posted.some((m: any) => m.method === 'compare.command' && m.params.command === 'exportJson'));
    // A result with failures offers Reduce, which asks the host to reduce this comparison.
    assert.equal(await page.isVisible('[data-testid="compare-reduce"]'), true);
    await page.click('[data-testid="compare-reduce"]');
    await page.waitForFunction(() => (window as any).__fakeHost.posted.some((m: any) => m.method === 'compare.command' && m.params.command === 'reduce'));
    await page.close();
  });

  test('histograms render the bins the host sent', async () => {
    const { page } = await open();
    const { result } = resultFor();
    await show(page);
    await page.click(`[data-testid="compare-row"][data-tensor="${result.rows[0].name}"]`);
    await page.waitForSelector('[data-testid="compare-histograms"][data-state="ready"]');
    const charts = await page.$$eval('[data-testid="compare-histogram"]', (figs) => figs.map((f) => ({
      title: (f as HTMLElement).dataset.title,
      bars: Array.from(f.querySelectorAll('rect')).map((r) => ({ series: (r as SVGElement).dataset.series, count: Number((r as SVGElement).dataset.count), h: Number(r.getAttribute('height')) })),
      caption: f.querySelector('figcaption')!.textContent,
    })));
    assert.deepEqual(charts.map((c) => c.title), ['Values', 'Absolute error']);
    const bars = (title: string, series: string) => charts.find((c) => c.title === title)!.bars.filter((b) => b.series === series);
    assert.deepEqual(bars('Values', 'A').map((b) => b.count), HIST.actual.counts.filter((c) => c > 0));
    assert.deepEqual(bars('Values', 'B').map((b) => b.count), HIST.expected.counts.filter((c) => c > 0));
    assert.deepEqual(bars('Absolute error', 'error').map((b) => b.count), HIST.absError.counts.filter((c) => c > 0));
    // Heights follow the counts; the tallest bar is the largest count.
    const vals = bars('Values', 'A');
    const tallest = vals.reduce((a, b) => (b.h > a.h ? b : a));
    assert.equal(tallest.count, Math.max(...HIST.actual.counts, ...HIST.expected.counts));
    assert.match(charts[0].caption!, /2 NaN/);
    await page.close();
  });

  test('fused tensors: their own rows, filter and sort, legend key, a dashed outline on the canvas, tooltip and properties', async () => {
    const { page, errors } = await open();
    const { result, fused, fusedTensors } = fusedResultFor();
    await page.evaluate((r) => (window as any).__fakeHost.send({ type: 'compare.show', result: r }), result as any);
    await page.waitForSelector('[data-testid="compare-dock"]:not([hidden])');
    // Rows: verdict "fused", the layer as the reason; failures first, then passes, then the fused ones, each in graph order.
    const rows = () => page.$$eval('[data-testid="compare-row"]', (trs) => trs.map((tr) => ({
      name: (tr as HTMLElement).dataset.tensor, status: (tr as HTMLElement).dataset.status,
      verdict: (tr as HTMLTableRowElement).cells[1].textContent, reason: tr.querySelector('[data-testid="compare-reason"]')?.textContent,
    })));
    const all = await rows();
    const byStatus = (st: string) => result.rows.filter((r) => r.status === st).map((r) => r.name);
    assert.deepEqual(all.map((r) => r.name), [...byStatus('fail'), ...byStatus('pass'), ...byStatus('fused')]);
    const fusedRows = all.filter((r) => r.status === 'fused');
    assert.deepEqual(fusedRows.map((r) => r.name), fusedTensors);
    for (const r of fusedRows) {
      assert.equal(r.verdict, 'fused');
      assert.equal(r.reason, 'fused into Conv_3 + Relu_4');
    }
    assert.ok(all.filter((r) => r.status !== 'fused').every((r) => r.verdict === r.status));
    // Filter to the fused ones, back to all; sorting by verdict puts failures first and fused rows after passes.
    await page.selectOption('[data-testid="compare-filter"]', 'fused');
    assert.deepEqual((await rows()).map((r) => r.name), fusedTensors);
    assert.match(await page.innerText('.compare-table-note'), /Showing 2 of/);
    await page.selectOption('[data-testid="compare-filter"]', 'all');
    assert.equal((await rows()).length, result.rows.length);
    await page.click('[data-testid="compare-sort-status"]');
    const order = (await rows()).map((r) => r.status);
    const rank = { fail: 0, pass: 1, fused: 2 } as Record<string, number>;
    assert.deepEqual(order, [...order].sort((a, b) => rank[a!] - rank[b!]));
    assert.equal(order.at(-1), 'fused');
    // Summary and legend say how many were fused; the not-captured key stays hidden.
    assert.match(await page.innerText('[data-testid="compare-summary"]'), /; 2 fused away by a backend \(not compared\)/);
    const key = page.locator('[data-testid="compare-legend-fused"]');
    assert.equal(await key.isVisible(), true);
    assert.equal(await key.innerText(), '2 fused');
    assert.match((await key.getAttribute('title'))!, /fused into another layer/);
    assert.equal(await page.locator('[data-testid="compare-legend-skipped"]').isVisible(), false);
    // The overlay: fused boxes get no error fill but a mark of their own in the theme's fused color.
    const st = await state(page);
    for (const id of fused) {
      assert.equal(st.boxColors[id], undefined, `${id} has no error color`);
      assert.equal(st.absentBoxes[id], st.colors.fused, `${id} marked as fused`);
    }
    assert.notEqual(st.colors.fused, st.colors.pass);
    assert.notEqual(st.colors.fused, st.colors.fail);
    const scene: Scene = await page.evaluate(() => (window as any).__onnxInspectorTest.scene());
    const fusedEdge = scene.edges.find((e) => e.from === fused[0] && fusedTensors.includes(e.tensor))!;
    assert.equal(st.absentEdges[fusedEdge.id], st.colors.fused);
    assert.equal(st.edgeColors[fusedEdge.id], undefined);
    // The canvas: along the outline 3 px above the box, dashes in the fused color with gaps between them.
    const target = fused[0];
    await page.evaluate((id) => {
      const t = (window as any).__onnxInspectorTest;
      t.click(t.scene().nodes.find((x: any) => x.kind === 'input')?.id ?? id); // selection frame away from the box
      const n = t.scene().nodes.find((x: any) => x.id === id);
      const tr = t.transform();
      const c = document.querySelector('canvas.graph-canvas') as HTMLCanvasElement;
      t.panBy(c.clientWidth / 2 - ((n.x + n.width / 2) * tr.k + tr.x), c.clientHeight / 2 - ((n.y + n.height / 2) * tr.k + tr.y));
    }, target);
    const line = await page.evaluate((id) => {
      const t = (window as any).__onnxInspectorTest;
      const n = (t.scene() as Scene).nodes.find((x) => x.id === id)!;
      const tr = t.transform();
      t.paint();
      const canvas = document.querySelector('canvas.graph-canvas') as HTMLCanvasElement;
      const dpr = canvas.width / canvas.clientWidth;
      const y = Math.floor((n.y * tr.k + tr.y - 3) * dpr); // the pixel row holding the 2 px line's center: fully covered
      const x0 = Math.round((n.x * tr.k + tr.x) * dpr), x1 = Math.round(((n.x + n.width) * tr.k + tr.x) * dpr);
      const data = canvas.getContext('2d')!.getImageData(x0, y, x1 - x0, 1).data;
      const out: number[][] = [];
      for (let i = 0; i < data.length; i += 4) out.push([data[i], data[i + 1], data[i + 2]]);
      return out;
    }, target);
    const onLine = line.filter((p) => close(p, rgb(st.colors.fused))).length;
    assert.ok(onLine >= line.length / 4, `dashes in ${st.colors.fused}: ${onLine} of ${line.length} pixels ${JSON.stringify([...new Set(line.map(String))])}`);
    assert.ok(line.length - onLine >= line.length / 8, `gaps between the dashes: ${line.length - onLine} of ${line.length} pixels`);
    // Hovering the box: the canvas's tooltip names the layer and the backend.
    const center = await page.evaluate((id) => {
      const t = (window as any).__onnxInspectorTest;
      const n = t.scene().nodes.find((x: any) => x.id === id);
      const tr = t.transform();
      const r = (document.querySelector('canvas.graph-canvas') as HTMLCanvasElement).getBoundingClientRect();
      return { x: r.left + (n.x + n.width / 2) * tr.k + tr.x, y: r.top + (n.y + n.height / 2) * tr.k + tr.y };
    }, target);
    await page.mouse.move(center.x, center.y);
    await page.waitForFunction((note) => document.querySelector('canvas.graph-canvas')!.getAttribute('title') === note, FUSED_NOTE);
    // Selecting it: the properties gain a Comparison section saying the same.
    await page.evaluate((id) => (window as any).__onnxInspectorTest.click(id), target);
    await page.waitForSelector('[data-testid="props-section"][data-title="Comparison"]', { state: 'attached' });
    assert.match(await page.textContent('[data-testid="props-section"][data-title="Comparison"]') ?? '', /fused into Conv_3 \+ Relu_4 by TensorRT/);
    // A fused row asks for no histograms: one run has no values for it.
    await page.click(`[data-testid="compare-row"][data-tensor="${fusedTensors[1]}"]`);
    await page.waitForSelector(`[data-testid="compare-histograms"][data-state="fused"][data-tensor="${fusedTensors[1]}"]`);
    assert.match(await page.innerText('[data-testid="compare-histograms"]'), /fused into Conv_3 \+ Relu_4 by TensorRT; no values to compare/);
    const asked = (await posted(page)).filter((m) => m.type === 'request' && m.method === 'compare.histograms').map((m) => m.params.tensor);
    assert.ok(!asked.includes(fusedTensors[1]));
    assert.deepEqual(errors, []);
    await page.close();
  });
  test('opens failures first (the input that differs on top, weights last), names both runs, warns of different inputs; the dock resizes and reports its height', async () => {
    const { page, errors } = await open();
    const { result } = resultFor();
    const weight = { name: 'encoder.weight', status: 'pass' as const, maxAbs: 0, maxRel: 0, cosine: 1, shape: '[768]', dtype: 'float32', reason: 'ok', weight: true };
    const input = { name: 'input_ids', status: 'fail' as const, maxAbs: 5, maxRel: 1, cosine: 0.5, shape: '[1, 128]', dtype: 'int64', reason: 'differs' };
    const warning = 'The runs were fed different inputs (input_ids: max abs difference 5.00): the tensors after them differ because of the inputs, not because of a layer.';
    const shown: CompareResultView = {
      ...result,
      rows: [input, weight, ...result.rows],
      runners: { a: 'onnxruntime CPU, opt all', b: 'results file pert.json, runner trt-runner-N0' },
      inputs: { warning, note: null },
      dockHeight: 300,
    };
    await page.evaluate((r) => (window as any).__fakeHost.send({ type: 'compare.show', result: r }), shown as any);
    await page.waitForSelector('[data-testid="compare-dock"]:not([hidden])');
    const names = () => page.$$eval('[data-testid="compare-row"]', (rows) => rows.map((r) => (r as HTMLElement).dataset.tensor));
    const fails = result.rows.filter((r) => r.status === 'fail').map((r) => r.name);
    const passes = result.rows.filter((r) => r.status === 'pass').map((r) => r.name);
    assert.deepEqual(await names(), ['input_ids', ...fails, ...passes, 'encoder.weight']);
    // Another sort, then back to failures first.
    await page.click('[data-testid="compare-sort-name"]');
    assert.notDeepEqual(await names(), ['input_ids', ...fails, ...passes, 'encoder.weight']);
    await page.click('[data-testid="compare-sort-triage"]');
    assert.deepEqual(await names(), ['input_ids', ...fails, ...passes, 'encoder.weight']);
    assert.equal(await page.getAttribute('[data-testid="compare-sort-triage"]', 'aria-pressed'), 'true');
    // Both runs are named above the columns, with their roles.
    assert.equal(await page.innerText('[data-testid="compare-runner-a"]'), 'A (compared): onnxruntime CPU, opt all');
    assert.equal(await page.innerText('[data-testid="compare-runner-b"]'), 'B (reference): results file pert.json, runner trt-runner-N0');
    // The warning is shown as an alert, above the table.
    const banner = page.locator('[data-testid="compare-inputs-warning"]');
    assert.equal(await banner.isVisible(), true);
    assert.equal(await banner.innerText(), warning);
    assert.equal(await banner.getAttribute('role'), 'alert');
    assert.ok((await banner.boundingBox())!.y < (await page.locator('[data-testid="compare-table"]').boundingBox())!.y);
    // The histogram legend names the runs the same way.
    await page.click(`[data-testid="compare-row"][data-tensor="${fails[0]}"]`);
    await page.waitForSelector('[data-testid="compare-histograms"][data-state="ready"]');
    // A histogram shown before this click may still read "ready" while the clicked tensor's is drawn.
    await page.waitForFunction(() => document.querySelectorAll('.compare-hist-legend .swatch').length > 0);
    assert.deepEqual(await page.$$eval('.compare-hist-legend .swatch', (s) => s.map((x) => x.textContent)),
      ['A: onnxruntime CPU, opt all', 'B: results file pert.json, runner trt-runner-N0']);

    // The remembered height is applied; keys and drags change it, and each change ends with the height posted.
    const height = async () => (await state(page)).dockHeight as number;
    assert.equal(await height(), 300);
    const heightPosts = async () => (await posted(page)).filter((m) => m.type === 'compare.dockHeight').map((m) => m.height);
    await page.focus('[data-testid="compare-resize"]');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    assert.equal(await height(), 332);
    await page.waitForFunction(() => (window as any).__fakeHost.posted.some((m: any) => m.type === 'compare.dockHeight' && m.height === 332));
    assert.equal(await page.getAttribute('[data-testid="compare-resize"]', 'aria-valuenow'), '332');
    const handle = (await page.locator('[data-testid="compare-resize"]').boundingBox())!;
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await page.mouse.down();
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2 - 100, { steps: 5 });
    await page.mouse.up();
    assert.equal(await height(), 432);
    assert.equal((await heightPosts()).at(-1), 432);
    // Limits: never below 120 px, and the graph keeps 80 px.
    await page.keyboard.press('Home');
    assert.equal(await height(), 120);
    await page.keyboard.press('End');
    const graphArea = await page.evaluate(() => document.querySelector('.compare-dock')!.parentElement!.clientHeight);
    assert.equal(await height(), graphArea - 80);
    await page.waitForFunction((h) => (window as any).__fakeHost.posted.filter((m: any) => m.type === 'compare.dockHeight').at(-1)?.height === h, graphArea - 80);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
