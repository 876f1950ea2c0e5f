// Render benchmark: the webview test page with a synthetic 5,000-box / ~6,000-edge layered scene in headless
// Debian Chromium (software rendering: --disable-gpu), driven by real wheel and drag input at 60 events/s.
// Reports, per phase:
//   frame    requestAnimationFrame intervals while input flows (what the user sees; includes rasterisation),
//   draw     our drawScene JS time (excludes the raster work Chromium defers),
//   sync     draw + a forced raster (getImageData of one pixel), one frame at a time, no input in between.
// "bitmap" counts frames scaled from the far-zoom bitmap (render/farCache.ts); "[vector]" rows turn it off.
// Run: node --import tsx bench/render.bench.ts [--nodes 5000] [--dpr 1] [--json out.json]
import * as fs from 'node:fs';
import type { Page } from 'playwright-core';
import { allowTsxEvaluate, buildAndServe, chromiumMissing, launch } from '../test/webview/page';

const arg = (name: string, def: string) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : def; };
const NODES = Number(arg('nodes', '5000'));
const DPR = Number(arg('dpr', '1'));
const W = 1280, H = 800;

interface PhaseResult {
  phase: string; inputs: number; frames: number; cached: number;
  frameMedian: number; frameP95: number; drawMedian: number; drawP95: number; boxesMedian: number; edgesMedian: number; k: string;
}

const pct = (a: number[], p: number) => { if (!a.length) return 0; const s = [...a].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]; };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Records every animation frame's time and every paint's draw stats until stopped. */
async function startRecording(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as any;
    // The loop holds its own record: a previous phase's loop must not write into this one.
    const rec = w.__rec = { frames: [] as number[], draws: [] as { ms: number; boxes: number; edges: number; k: number }[], on: true };
    const loop = (t: number) => { if (!rec.on) return; rec.frames.push(t); requestAnimationFrame(loop); };
    requestAnimationFrame(loop);
    w.__onnxInspectorTest.resetFrameStats();
    w.__lastFrames = 0;
  });
}

async function sampleDraw(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as any;
    const s = w.__onnxInspectorTest.frameStats();
    if (s.frames !== w.__lastFrames) { w.__lastFrames = s.frames; w.__rec.draws.push({ ms: s.lastDrawMs, boxes: s.lastBoxes, edges: s.lastEdges, k: w.__onnxInspectorTest.transform().k }); }
  });
}

async function stopRecording(page: Page, phase: string, inputs: number): Promise<PhaseResult> {
  await sleep(100);
  const rec = await page.evaluate(() => { const w = window as any; w.__rec.on = false; return { frames: w.__rec.frames as number[], stats: w.__onnxInspectorTest.frameStats(), draws: w.__rec.draws as { boxes: number; edges: number; k: number }[] }; });
  // Frame intervals only while input was flowing: drop the trailing idle frames (after the last paint).
  const intervals: number[] = [];
  for (let i = 1; i < rec.frames.length; i++) intervals.push(rec.frames[i] - rec.frames[i - 1]);
  const busy = intervals.slice(0, Math.max(1, rec.stats.frames));
  const ks = rec.draws.map((d) => d.k);
  return {
    phase, inputs, frames: rec.stats.frames, cached: rec.stats.cachedFrames,
    frameMedian: pct(busy, 50), frameP95: pct(busy, 95),
    drawMedian: rec.stats.drawMedianMs, drawP95: rec.stats.drawP95Ms,
    boxesMedian: pct(rec.draws.map((d) => d.boxes), 50), edgesMedian: pct(rec.draws.map((d) => d.edges), 50),
    k: ks.length ? `${Math.min(...ks).toFixed(3)}-${Math.max(...ks).toFixed(3)}` : '',
  };
}

/** Wheel steps at the view's center, one every 16 ms (a 60 Hz trackpad/mouse). */
async function wheelPhase(page: Page, name: string, steps: number[]): Promise<PhaseResult> {
  await page.mouse.move(W / 2, H / 2 + 17);
  await startRecording(page);
  for (const dy of steps) {
    const t = Date.now();
    await page.mouse.wheel(0, dy);
    await sampleDraw(page);
    await sleep(Math.max(0, 16 - (Date.now() - t)));
  }
  return stopRecording(page, name, steps.length);
}

/** Drags across the canvas in 8 px moves at 60 Hz. */
async function dragPhase(page: Page, name: string, moves: number): Promise<PhaseResult> {
  await startRecording(page);
  let x = W / 2, y = H / 2, dir = 1;
  await page.mouse.move(x, y);
  await page.mouse.down();
  for (let i = 0; i < moves; i++) {
    const t = Date.now();
    if (i % 40 === 0) dir = -dir;
    x += 8 * dir; y += 5 * dir;
    await page.mouse.move(x, y);
    await sampleDraw(page);
    await sleep(Math.max(0, 16 - (Date.now() - t)));
  }
  await page.mouse.up();
  return stopRecording(page, name, moves);
}

/** Draw plus forced rasterisation, frame by frame, across zoom factors (no input, no rAF pacing). */
async function syncPhase(page: Page, name: string, factors: number[]): Promise<PhaseResult> {
  const r = await page.evaluate((fs: number[]) => {
    const api = (window as any).__onnxInspectorTest;
    const ctx = (document.querySelector('canvas.graph-canvas') as HTMLCanvasElement).getContext('2d')!;
    const times: number[] = [], draws: number[] = [], boxes: number[] = [], edges: number[] = [], ks: number[] = [];
    let cached = 0;
    for (const f of fs) {
      api.zoomBy(f);
      const t0 = performance.now();
      const info = api.paint();
      ctx.getImageData(0, 0, 1, 1); // forces Chromium to rasterise the recorded canvas ops now
      times.push(performance.now() - t0);
      draws.push(info.ms); boxes.push(info.boxes); edges.push(info.edges); ks.push(api.transform().k);
      if (info.cached) cached++;
    }
    return { times, draws, boxes, edges, ks, cached };
  }, factors);
  return {
    phase: name, inputs: factors.length, frames: factors.length, cached: r.cached,
    frameMedian: pct(r.times, 50), frameP95: pct(r.times, 95), drawMedian: pct(r.draws, 50), drawP95: pct(r.draws, 95),
    boxesMedian: pct(r.boxes, 50), edgesMedian: pct(r.edges, 50), k: `${Math.min(...r.ks).toFixed(3)}-${Math.max(...r.ks).toFixed(3)}`,
  };
}

async function main(): Promise<void> {
  const missing = chromiumMissing();
  if (missing) { console.log(`SKIP render bench: ${missing}`); return; }
  const site = await buildAndServe();
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: W, height: H }, deviceScaleFactor: DPR });
    await allowTsxEvaluate(page);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const t0 = Date.now();
    await page.goto(`${site.url}?scene=large&nodes=${NODES}`);
    await page.waitForFunction(() => (window as any).__fakeHost.posted.some((m: any) => m.type === 'metric' && m.name === 'firstPaint'));
    const firstPaint = await page.evaluate(() => (window as any).__fakeHost.posted.find((m: any) => m.name === 'firstPaint').ms);
    const scene = await page.evaluate(() => { const s = (window as any).__onnxInspectorTest.scene(); return { nodes: s.nodes.length, edges: s.edges.length }; });
    console.log(`scene: ${scene.nodes} boxes, ${scene.edges} edges; viewport ${W}x${H} @${DPR}x; page load ${Date.now() - t0} ms; firstPaint metric ${firstPaint.toFixed(1)} ms (init message -> interactive)`);
    const fitK = await page.evaluate(() => { const t = (window as any).__onnxInspectorTest; t.fit(); return t.transform().k; });

    const results: PhaseResult[] = [];
    // Each scenario twice: with the far-zoom bitmap (the default) and with every shape drawn as vectors.
    for (const farCache of [true, false]) {
      await page.evaluate((on: boolean) => (window as any).__onnxInspectorTest.setFarCache(on), farCache);
      await page.evaluate(() => (window as any).__onnxInspectorTest.fit());
      if (farCache) await page.waitForFunction(() => (window as any).__onnxInspectorTest.paint().cached === true);
      const tag = farCache ? '' : ' [vector]';
      // A: zoom out and back in around "fit": every box and edge stays in view.
      const outIn = Array.from({ length: 8 }, () => [...Array(4).fill(100), ...Array(4).fill(-100)]).flat();
      results.push(await wheelPhase(page, `wheel zoom, all visible${tag}`, outIn));
      // B: zoom deep in (labels, names, ports appear) and back out.
      const deep = Array.from({ length: 2 }, () => [...Array(20).fill(-100), ...Array(20).fill(100)]).flat();
      results.push(await wheelPhase(page, `wheel zoom, fit <-> near${tag}`, deep));
      // C: drag pan at fit (all visible), then at a labelled mid zoom.
      await page.evaluate(() => (window as any).__onnxInspectorTest.fit());
      results.push(await dragPhase(page, `drag pan at fit${tag}`, 120));
      await page.evaluate((k: number) => (window as any).__onnxInspectorTest.zoomBy(0.6 / k), fitK);
      results.push(await dragPhase(page, `drag pan at k=0.6 (labels)${tag}`, 120));
      // D: synchronous cost at fit: draw + forced raster.
      await page.evaluate(() => (window as any).__onnxInspectorTest.fit());
      results.push(await syncPhase(page, `sync draw+raster, all visible${tag}`, Array.from({ length: 40 }, (_, i) => (i % 8 < 4 ? 0.95 : 1 / 0.95))));
      results.push(await syncPhase(page, `sync draw+raster, zooming in${tag}`, Array.from({ length: 40 }, () => 1.1)));
    }

    console.log('\nphase                                       inputs frames bitmap  frame med/p95 ms   draw(JS) med/p95 ms   boxes  edges  zoom k');
    for (const r of results) {
      console.log(`${r.phase.padEnd(43)} ${String(r.inputs).padStart(6)} ${String(r.frames).padStart(6)} ${String(r.cached).padStart(6)}  ${r.frameMedian.toFixed(1).padStart(7)} / ${r.frameP95.toFixed(1).padEnd(7)}  ${r.drawMedian.toFixed(1).padStart(9)} / ${r.drawP95.toFixed(1).padEnd(8)}  ${String(r.boxesMedian).padStart(5)}  ${String(r.edgesMedian).padStart(5)}  ${r.k}`);
    }
    console.log('\nframe = rAF interval during input for wheel/drag phases (60 Hz cap => 16.7 ms floor); for sync phases it is draw + forced raster.');
    if (errors.length) console.log(`page errors: ${errors.join('; ')}`);
    const out = arg('json', '');
    if (out) fs.writeFileSync(out, JSON.stringify({ nodes: scene.nodes, edges: scene.edges, dpr: DPR, firstPaint, results }, null, 2));
  } finally {
    await browser.close();
    await site.close();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
