// The scene as a PNG: drawn by the same drawScene as the view, on an offscreen canvas sized by pngSize.
import { drawScene, type EdgeHighlight } from '../render/drawScene';
import { detailFor } from '../render/levelOfDetail';
import type { Palette } from '../render/palette';
import type { SceneIndex } from '../render/sceneIndex';
import { TextFitter } from '../render/textFit';
import { pngSize, pngSizeNote } from './pngSize';

const PAD = 20;

export interface PngExport { bytes: Uint8Array; width: number; height: number; note?: string }

export async function sceneToPng(idx: SceneIndex, pal: Palette, highlights: readonly EdgeHighlight[]): Promise<PngExport> {
  const s = idx.scene;
  const size = pngSize(s.width + 2 * PAD, s.height + 2 * PAD);
  const canvas = document.createElement('canvas');
  canvas.width = size.width;
  canvas.height = size.height;
  const ctx = canvas.getContext('2d', { alpha: false });
  if (!ctx) throw new Error(`the browser could not make a ${size.width}\u00D7${size.height} canvas (out of memory?)`);
  const k = size.scale;
  drawScene(ctx, idx, pal, new TextFitter(ctx), { k, x: PAD * k, y: PAD * k, width: size.width, height: size.height, dpr: 1 },
    { edgeHighlights: highlights }, { detail: detailFor(Math.max(k, 1.1)) });
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  // Free the pixels now: a big canvas holds hundreds of MB until collected.
  canvas.width = canvas.height = 0;
  if (!blob) throw new Error(`the browser could not encode the ${size.width}\u00D7${size.height} PNG (out of memory?)`);
  return { bytes: new Uint8Array(await blob.arrayBuffer()), width: size.width, height: size.height, note: pngSizeNote(size) };
}
