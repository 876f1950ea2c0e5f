// What op boxes say and how wide the layout makes them: middle ellipsis that keeps the last path segments,
// weight rows (`W 64×3×7×7`), and box widths that follow their text up to a limit, one width per repeated block.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateTextWidth, MAX_BOX_WIDTH, middleEllipsis, OP_HEADER_HEIGHT, ROW_HEIGHT, shapeText, weightRows, widthKey } from '../../src/protocol/boxText';
import { boxSize } from '../../src/layout/levelGraph';
import type { ViewItem } from '../../src/layout/viewModel';

/** One unit per character: easy to reason about. */
const chars = (s: string) => s.length;

test('middle ellipsis keeps the last path segments whole and as many leading ones as fit', () => {
  const name = '/model/encoder/layers.11/attn/proj/Add';
  assert.equal(middleEllipsis(name, 100, chars), name, 'fits: unchanged');
  assert.equal(middleEllipsis(name, 16, chars), '\u2026/attn/proj/Add');
  assert.equal(middleEllipsis(name, 23, chars), '/model/\u2026/attn/proj/Add');
  assert.equal(middleEllipsis(name, 30, chars), '\u2026/layers.11/attn/proj/Add', 'the end first: a leading segment only where room is left');
  for (let w = 5; w < name.length; w++) {
    const s = middleEllipsis(name, w, chars);
    assert.ok(s.length <= w, `${s} is wider than ${w}`);
    if (w >= 5) assert.ok(s.endsWith('/Add'), `${s} lost the last segment`);
  }
  // Dotted names (dynamo exporters) are cut at dots.
  assert.equal(middleEllipsis('model.layers.3.self_attn.q_proj.weight', 20, chars), '\u2026.q_proj.weight');
});

test('names without separators (or a last segment too long) are cut in the middle, keeping more of the end', () => {
  assert.equal(middleEllipsis('Unsqueeze_123', 13, chars), 'Unsqueeze_123');
  const cut = middleEllipsis('QLinearConv_quantized_0_QuantizeLinear', 16, chars);
  assert.equal(cut.length, 16);
  assert.ok(cut.startsWith('QLinea') && cut.endsWith('izeLinear'), cut);
  assert.equal(middleEllipsis('abcdef', 2, chars), '', 'not even two characters fit');
  const long = middleEllipsis('/a/VeryLongLastSegmentThatDoesNotFit', 12, chars);
  assert.ok(long.length <= 12 && long.includes('\u2026') && long.endsWith('NotFit'), long);
});

test('weight rows: schema name and shape, scalars, unknown shapes, and a summary row past six', () => {
  assert.equal(shapeText('float[64,3,7,7]'), '64\u00D73\u00D77\u00D77');
  assert.equal(shapeText('int64[]'), 'scalar');
  assert.equal(shapeText('float[batch,?]'), 'batch\u00D7?');
  assert.equal(shapeText('float'), undefined);
  assert.deepEqual(weightRows([{ type: 'float[64,3,7,7]' }, { type: 'float[64]' }], ['W', 'B']), ['W 64\u00D73\u00D77\u00D77', 'B 64']);
  assert.deepEqual(weightRows([{}], ['scale']), ['scale']);
  const many = weightRows(Array.from({ length: 8 }, () => ({ type: 'float[]' })), Array.from({ length: 8 }, (_, k) => `in${k}`));
  assert.equal(many.length, 6);
  assert.equal(many[5], '+3 more');
});

test('width keys widen short digit runs so repeated blocks measure alike', () => {
  assert.equal(widthKey('/layers.0/Add_7'), '/layers.000/Add_007');
  assert.equal(widthKey('/layers.11/Add_123'), '/layers.011/Add_123');
  assert.equal(estimateTextWidth(widthKey('/layers.0/Add'), 'mono', 10), estimateTextWidth(widthKey('/layers.11/Add'), 'mono', 10));
});

function op(label: string, name: string, rows: number): ViewItem {
  return {
    id: 'n:0', kind: 'op', label, name, category: 'conv', depth: 0, order: 0, inputs: [{ tensor: 'x' }], outputs: [{ tensor: 'y' }],
    initializers: Array.from({ length: rows }, (_, k) => ({ tensor: `w${k}`, type: 'float[64,3,7,7]' })),
    initializerNames: Array.from({ length: rows }, (_, k) => (k === 0 ? 'W' : `w${k}`)),
  };
}

test('op boxes: width follows the label, the name and the weight rows up to the limit; rows add height', () => {
  const small = boxSize(op('Relu', '', 0));
  assert.equal(small.height, OP_HEADER_HEIGHT);
  assert.equal(small.width, 72, 'short boxes keep the minimum width');
  const named = boxSize(op('Conv', '/features/features.3/squeeze/Conv', 0));
  assert.ok(named.width >= estimateTextWidth('/features/features.3/squeeze/Conv', 'mono', 10) + 14, `name does not fit in ${named.width}`);
  const custom = boxSize(op('MultiHeadAttentionWithRelativePositionBias', 'a', 0));
  assert.ok(custom.width >= estimateTextWidth('MultiHeadAttentionWithRelativePositionBias', 'label', 12) + 14 || custom.width === MAX_BOX_WIDTH);
  const huge = boxSize(op('Add', '/a'.repeat(200), 0));
  assert.equal(huge.width, MAX_BOX_WIDTH, 'long names are capped (and shortened when drawn)');
  const weights = boxSize(op('Conv', 'c', 2));
  assert.equal(weights.height, OP_HEADER_HEIGHT + 2 * ROW_HEIGHT + 3);
  assert.ok(weights.width >= estimateTextWidth('W 64\u00D73\u00D77\u00D77', 'mono', 10) + 14);
  // Repeated blocks: names that differ only in their indices give one width (one level shape, one layout).
  assert.equal(boxSize(op('Add', '/layers.0/Add_3', 0)).width, boxSize(op('Add', '/layers.11/Add_57', 0)).width);
});

test('the label width estimate is never below a bold UI font\'s advance (Helvetica Bold) for ASCII', () => {
  // The table is an upper estimate: wide letters wide, narrow ones narrow, unknown characters wider still.
  assert.ok(estimateTextWidth('W', 'label', 10) > estimateTextWidth('i', 'label', 10) * 3);
  assert.ok(estimateTextWidth('\u4E2D', 'label', 10) >= 10);
  assert.ok(estimateTextWidth('\u4E2D', 'mono', 10) >= 12, 'wide characters take two monospace cells');
});
