// Graph actions' logic without VS Code: derived file names (never overwriting), marks state, cuts from the
// chosen tensors (checked with the core library), PNG size caps and the SVG export (parsed by a strict XML parser).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { extractSubmodel, planCut } from '../../src/core/edit';
import { OnnxModelError } from '../../src/core/errors';
import { buildModelGraph } from '../../src/core/graph';
import { readModel } from '../../src/core/model';
import { cutFromMarks, cutOfNode } from '../../src/host/actions/cutRequest';
import { addExtractMark, clearExtractMarks, emptyMarks, opIndexOf, tensorsToMark } from '../../src/host/actions/marksState';
import { derivedModelPath, nextFreeModelPath, writeBesideModel } from '../../src/node/besideModel';
import { escapeXml, sceneToSvg } from '../../webview/actions/exportSvg';
import { MAX_CANVAS_AREA, MAX_CANVAS_SIDE, MAX_PNG_PIXELS, pngSize, pngSizeNote } from '../../webview/actions/pngSize';
import type { Palette } from '../../webview/render/palette';
import type { Scene } from '../../src/protocol/scene';
import { DT, makeChainModel, makeModel, makeSmallModel } from '../fixtures/builders';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-actions-'));
}

describe('derived model names', () => {
  test('model.onnx -> model.extract-N.onnx, the first free N, in the model folder', () => {
    const dir = tempDir();
    const model = path.join(dir, 'model.onnx');
    assert.equal(derivedModelPath(model, 'extract', 1), path.join(dir, 'model.extract-1.onnx'));
    const taken = new Set([path.join(dir, 'model.extract-1.onnx'), path.join(dir, 'model.extract-2.onnx')]);
    assert.equal(nextFreeModelPath(model, 'extract', (p) => taken.has(p)), path.join(dir, 'model.extract-3.onnx'));
    assert.equal(derivedModelPath(path.join(dir, 'a.b.onnx'), 'node', 4), path.join(dir, 'a.b.node-4.onnx'));
    fs.rmSync(dir, { recursive: true });
  });

  test('writing skips existing files and never changes them or the model', () => {
    const dir = tempDir();
    const model = path.join(dir, 'm.onnx');
    fs.writeFileSync(model, 'original');
    fs.writeFileSync(path.join(dir, 'm.outputs-1.onnx'), 'user file');
    const first = writeBesideModel(model, 'outputs', new Uint8Array([1, 2, 3]));
    const second = writeBesideModel(model, 'outputs', new Uint8Array([4]));
    assert.equal(first, path.join(dir, 'm.outputs-2.onnx'));
    assert.equal(second, path.join(dir, 'm.outputs-3.onnx'));
    assert.equal(fs.readFileSync(path.join(dir, 'm.outputs-1.onnx'), 'utf8'), 'user file');
    assert.equal(fs.readFileSync(model, 'utf8'), 'original');
    assert.deepEqual([...fs.readFileSync(first)], [1, 2, 3]);
    fs.rmSync(dir, { recursive: true });
  });

  test('gives up with a clear error when every name is taken', () => {
    assert.throws(() => nextFreeModelPath('/x/m.onnx', 'extract', () => true, 3), /no free file name like m\.extract-1\.onnx after 3 tries/);
  });
});

describe('marks state', () => {
  test('a tensor is a start or an end, never both; clear empties both', () => {
    const m = emptyMarks();
    addExtractMark(m, 'inputs', 'a');
    addExtractMark(m, 'inputs', 'a');
    addExtractMark(m, 'outputs', 'b');
    assert.deepEqual([m.inputs, m.outputs], [['a'], ['b']]);
    addExtractMark(m, 'outputs', 'a');
    assert.deepEqual([m.inputs, m.outputs], [[], ['b', 'a']]);
    clearExtractMarks(m);
    assert.deepEqual([m.inputs, m.outputs], [[], []]);
  });

  test('mark as output takes the chosen tensors plus the right-clicked one, once each', () => {
    assert.deepEqual(tensorsToMark({ chosen: ['a', 'b'] }, 'c'), ['a', 'b', 'c']);
    assert.deepEqual(tensorsToMark({ chosen: ['a', 'b'] }, 'a'), ['b', 'a']);
    assert.deepEqual(tensorsToMark({ chosen: ['a'] }, undefined), ['a']);
    assert.deepEqual(tensorsToMark({ chosen: [] }, undefined), []);
  });

  test('scene ids map to op indices only for ops', () => {
    assert.equal(opIndexOf('n:12'), 12);
    assert.equal(opIndexOf('i:n:1'), undefined);
    assert.equal(opIndexOf('g:/features'), undefined);
    assert.equal(opIndexOf(undefined), undefined);
  });
});

describe('cuts from the chosen tensors', () => {
  const chain = readModel(makeChainModel(5));
  const graph = buildModelGraph(chain);

  test('start and end marks cut between them', () => {
    const cut = cutFromMarks(graph, ['t2'], ['t4']);
    const plan = planCut(graph, cut.inputs, cut.outputs);
    assert.deepEqual([...plan.keep].map((k, i) => (k ? graph.nodes[i].outputs[0] : '')).filter(Boolean), ['t3', 't4']);
    const r = extractSubmodel(chain, graph, { ...cut, types: new Map([['t2', { kind: 'tensor', elemType: 1, shape: [1] }]]) });
    const out = buildModelGraph(readModel(r.bytes));
    assert.deepEqual([out.inputs, out.outputs, out.nodes.length], [['t2'], ['t4'], 2]);
  });

  test('without a start the cut begins at the model inputs the ends need', () => {
    assert.deepEqual(cutFromMarks(graph, [], ['t3']), { inputs: ['x'], outputs: ['t3'] });
  });

  test('without an end it says what to do', () => {
    assert.throws(() => cutFromMarks(graph, ['t1'], []), /End Here/);
  });

  test('an impossible cut names the missing tensors', () => {
    const small = buildModelGraph(readModel(makeSmallModel()));
    // Nothing in the cut reaches 'x' from 'w' alone: the error must name x.
    const cut = cutFromMarks(small, ['w'], ['y']);
    assert.throws(() => planCut(small, cut.inputs, cut.outputs), (e: unknown) => e instanceof OnnxModelError && /'x'|'r'/.test(e.message));
  });

  test('a node alone: its non-weight inputs to its outputs', () => {
    const small = buildModelGraph(readModel(makeSmallModel()));
    const add = small.nodes.findIndex((n) => n.opType === 'Add');
    assert.deepEqual(cutOfNode(small, add), { inputs: ['r'], outputs: ['y'] });
    assert.throws(() => cutOfNode(small, undefined), /operator node/);
  });

  test('a node keeps constants computed from weights (Identity of a shared bias) instead of making them inputs', () => {
    const model = readModel(makeModel({
      inputs: [{ name: 'x', elemType: DT.FLOAT, shape: [4] }],
      outputs: [{ name: 'y', elemType: DT.FLOAT, shape: [4] }],
      initializers: [{ name: 'w', dataType: DT.FLOAT, dims: [4], raw: new Uint8Array(16) }],
      nodes: [
        { op: 'Identity', inputs: ['w'], outputs: ['b'] },
        { op: 'Relu', inputs: ['x'], outputs: ['r'] },
        { op: 'Add', inputs: ['r', 'b'], outputs: ['y'] },
      ],
    }));
    const g = buildModelGraph(model);
    const cut = cutOfNode(g, g.nodes.findIndex((n) => n.opType === 'Add'));
    assert.deepEqual(cut, { inputs: ['r'], outputs: ['y'] });
    const r = extractSubmodel(model, g, { ...cut, types: new Map([['r', { kind: 'tensor', elemType: DT.FLOAT, shape: [4] }]]) });
    assert.deepEqual(buildModelGraph(readModel(r.bytes)).nodes.map((n) => n.opType), ['Identity', 'Add']);
  });
});

describe('PNG size cap', () => {
  test('small scenes get the wanted scale, no note', () => {
    const s = pngSize(1000, 500, 2);
    assert.deepEqual([s.scale, s.width, s.height, s.reduced], [2, 2000, 1000, undefined]);
    assert.equal(pngSizeNote(s), undefined);
  });

  test('tall scenes are scaled to the largest canvas side', () => {
    const s = pngSize(400, 100_000, 2);
    assert.equal(s.reduced?.limit, 'canvas-side');
    assert.ok(s.height <= MAX_CANVAS_SIDE && s.width <= MAX_CANVAS_SIDE);
    assert.ok(Math.abs(s.scale - MAX_CANVAS_SIDE / 100_000) < 1e-12);
    assert.match(pngSizeNote(s)!, /scaled to 16%.*largest canvas side/);
  });

  test('big square scenes are scaled to the canvas area, staying under the 500 MP cap', () => {
    const s = pngSize(30_000, 30_000, 2);
    assert.ok(s.width * s.height <= MAX_CANVAS_AREA);
    assert.ok(s.width * s.height <= MAX_PNG_PIXELS);
    assert.equal(s.reduced?.limit, 'canvas-area');
    assert.equal(s.reduced?.wantedWidth, 60_000);
  });

  test('the 500 MP cap applies when the canvas allows more', () => {
    const s = pngSize(40_000, 40_000, 2, { pixels: MAX_PNG_PIXELS, side: 1e9, area: 1e12 });
    assert.equal(s.reduced?.limit, 'pixels');
    assert.ok(s.width * s.height <= MAX_PNG_PIXELS && s.width * s.height > MAX_PNG_PIXELS * 0.999);
    assert.match(pngSizeNote(s)!, /500 megapixel cap/);
  });
});

describe('SVG export', () => {
  const pal: Palette = {
    themeKind: 'vscode-dark', highContrast: false, fontFamily: '"Segoe WPC", sans-serif', monoFontFamily: 'monospace',
    inputFill: 'rgb(1, 2, 3)', outputFill: 'rgb(4, 5, 6)',
    ui: Object.fromEntries(['background', 'foreground', 'muted', 'edge', 'edgeHighlight', 'input', 'output', 'groupFill', 'groupBorder', 'groupHeader', 'hover', 'selection', 'minimapViewport', 'minimapBackground']
      .map((k, i) => [k, `rgb(${i}, ${i}, ${i})`])) as Palette['ui'],
    category: new Proxy({}, { get: () => ({ stroke: 'rgb(9, 9, 9)', fill: 'rgb(8, 8, 8)' }) }) as Palette['category'],
  };
  const evil = '<script>alert("x")</script> & \'q\' \u0001';
  const scene: Scene = {
    version: 1, width: 400, height: 300, expanded: ['g:a'], layoutMs: 0, cached: false,
    nodes: [
      { id: 'g:a', kind: 'group', label: 'scope <a>', name: '/a', category: 'other', x: 0, y: 0, width: 400, height: 300, expanded: true, opCount: 1, depth: 0, inputs: [], outputs: [] },
      { id: 'i:x', kind: 'input', label: evil, name: evil, category: 'data', x: 10, y: 30, width: 120, height: 30, depth: 1, inputs: [], outputs: [{ tensor: evil, type: 'float[1]' }] },
      { id: 'n:0', kind: 'op', label: 'Relu', name: 'relu & <b>', category: 'activation', x: 10, y: 100, width: 120, height: 40, depth: 1, inputs: [], outputs: [] },
    ],
    edges: [{ id: 'e0', tensor: evil, from: 'i:x', to: 'n:0', fromPort: 0, toPort: 0, points: [70, 60, 70, 100], label: 'float<1>' }],
  };
  const fit = (t: string) => t;

  test('escapeXml escapes markup and replaces characters XML forbids', () => {
    assert.equal(escapeXml('<a href="x">&\'</a>'), '&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
    assert.equal(escapeXml('a\u0000b\u001Fc\uD800'), 'a\uFFFDb\uFFFDc\uFFFD');
    assert.equal(escapeXml('ok \u00E9 \uD83D\uDE00'), 'ok \u00E9 \uD83D\uDE00');
  });

  test('the document parses as XML and holds the names as text, highlights in their colors', () => {
    const svg = sceneToSvg(scene, pal, fit, [{ tensors: new Set([evil]), color: 'output' }]);
    // sax (a strict XML parser, installed with @vscode/vsce) rejects any malformed markup.
    const sax = createRequire(__filename)('sax');
    const parser = sax.parser(true);
    const texts: string[] = [];
    const elements: string[] = [];
    const strokes: string[] = [];
    parser.onerror = (e: Error) => { throw e; };
    parser.ontext = (t: string) => { if (t.trim()) texts.push(t); };
    parser.onopentag = (n: { name: string; attributes: Record<string, string> }) => {
      elements.push(n.name);
      if (n.attributes.stroke) strokes.push(n.attributes.stroke);
    };
    parser.write(svg).close();
    assert.equal(elements[0], 'svg');
    assert.ok(!elements.includes('script'), 'a name became markup');
    assert.ok(texts.includes(evil.replace('\u0001', '\uFFFD')), `texts: ${JSON.stringify(texts)}`);
    assert.ok(texts.includes('relu & <b>'));
    assert.ok(texts.includes('float<1>'));
    assert.ok(strokes.includes(pal.ui.output), 'the highlighted edge is drawn in the output color');
    assert.ok(elements.filter((e) => e === 'path').length >= 2, 'edge and highlight paths');
    assert.match(svg, /font-family="&quot;Segoe WPC&quot;, sans-serif"/);
  });
});
