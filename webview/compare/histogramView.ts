// One tensor's histograms as SVG bars: run A's and run B's values over one shared range (overlaid), and the
// absolute error. Drawn from the bins the host computed; non-finite values are counted in the caption.
import type { HistogramView, TensorHistogramsView } from '../../src/protocol/compare';
import { formatError } from './format';

const SVG = 'http://www.w3.org/2000/svg';
const W = 260, H = 70;

function svgEl<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

function nonFinite(h: HistogramView): string {
  const parts = [h.nan && `${h.nan} NaN`, h.posInf && `${h.posInf} +inf`, h.negInf && `${h.negInf} -inf`].filter(Boolean);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/** A chart of one or two series over the same bins; bars are log-free heights scaled to the largest count. */
function chart(title: string, series: { name: string; cls: string; h: HistogramView }[]): HTMLElement {
  const fig = document.createElement('figure');
  fig.className = 'compare-hist';
  fig.dataset.testid = 'compare-histogram';
  fig.dataset.title = title;
  const svg = svgEl('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'aria-label': title });
  const peak = Math.max(1, ...series.flatMap((s) => s.h.counts));
  for (const s of series) {
    const n = s.h.counts.length, bw = W / n;
    s.h.counts.forEach((c, i) => {
      if (c === 0) return;
      const h = Math.max(1, (c / peak) * (H - 2));
      const r = svgEl('rect', { x: i * bw, y: H - h, width: Math.max(0.5, bw - 0.5), height: h, class: `bar ${s.cls}` });
      r.dataset.series = s.name;
      r.dataset.count = String(c);
      const tip = svgEl('title', {});
      tip.textContent = `${s.name}: ${c} in [${formatError(s.h.edges[i])}, ${formatError(s.h.edges[i + 1])}]`;
      r.appendChild(tip);
      svg.appendChild(r);
    });
  }
  const cap = document.createElement('figcaption');
  const h0 = series[0].h;
  cap.textContent = `${title}: ${formatError(h0.edges[0])} \u2026 ${formatError(h0.edges[h0.edges.length - 1])}${series.map((s) => nonFinite(s.h)).join('')}`;
  fig.append(svg, cap);
  return fig;
}

export function renderHistograms(host: HTMLElement, v: TensorHistogramsView): void {
  const title = document.createElement('div');
  title.className = 'compare-hist-title';
  title.textContent = v.tensor;
  const legend = document.createElement('div');
  legend.className = 'compare-hist-legend';
  for (const [cls, text] of [['series-a', `A: ${v.runners.a}`], ['series-b', `B: ${v.runners.b}`]]) {
    const s = document.createElement('span');
    s.className = `swatch ${cls}`;
    s.textContent = text;
    legend.appendChild(s);
  }
  host.replaceChildren(title, legend,
    chart('Values', [{ name: 'A', cls: 'series-a', h: v.actual }, { name: 'B', cls: 'series-b', h: v.expected }]),
    chart('Absolute error', [{ name: 'error', cls: 'series-err', h: v.absError }]));
}
