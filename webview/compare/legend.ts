// The overlay's legend: a log-scale color bar with decade ticks and the threshold marked, a slider that moves
// the threshold (recoloring live), the metric (max relative or absolute error) and how many tensors fail it.
import { fromPosition, logPosition, overlayColor, type ErrorMetric, type LogScale, type OverlayColors } from './errorScale';
import { formatError } from './format';

export interface LegendState {
  metric: ErrorMetric;
  threshold: number;
  scale: LogScale;
  colors: OverlayColors;
  counts: { pass: number; fail: number };
  /** Tensors a backend fused away / could not capture: keyed only when there are some. */
  absent: { fused: number; skipped: number };
}

const SLIDER_STEPS = 1000;

export class Legend {
  readonly element: HTMLElement;
  private readonly bar: HTMLElement;
  private readonly marker: HTMLElement;
  private readonly ticks: HTMLElement;
  private readonly slider: HTMLInputElement;
  private readonly metricSelect: HTMLSelectElement;
  private readonly value: HTMLElement;
  private readonly count: HTMLElement;
  private readonly fusedKey: HTMLElement;
  private readonly skippedKey: HTMLElement;
  private scale: LogScale = { lo: -6, hi: 0 };

  constructor(onThreshold: (t: number) => void, onMetric: (m: ErrorMetric) => void) {
    this.element = document.createElement('div');
    this.element.className = 'compare-legend';
    this.element.dataset.testid = 'compare-legend';
    this.metricSelect = document.createElement('select');
    this.metricSelect.className = 'compare-metric';
    this.metricSelect.dataset.testid = 'compare-metric';
    this.metricSelect.setAttribute('aria-label', 'Error shown');
    for (const [v, label] of [['abs', 'Max absolute error'], ['rel', 'Max relative error']]) {
      const o = document.createElement('option');
      o.value = v;
      o.textContent = label;
      this.metricSelect.appendChild(o);
    }
    this.metricSelect.addEventListener('change', () => onMetric(this.metricSelect.value as ErrorMetric));
    const barWrap = document.createElement('div');
    barWrap.className = 'compare-bar-wrap';
    this.bar = document.createElement('div');
    this.bar.className = 'compare-bar';
    this.bar.dataset.testid = 'compare-bar';
    this.marker = document.createElement('div');
    this.marker.className = 'compare-threshold-marker';
    this.ticks = document.createElement('div');
    this.ticks.className = 'compare-ticks';
    this.slider = document.createElement('input');
    this.slider.type = 'range';
    this.slider.min = '0';
    this.slider.max = String(SLIDER_STEPS);
    this.slider.className = 'compare-slider';
    this.slider.dataset.testid = 'compare-threshold';
    this.slider.setAttribute('aria-label', 'Error threshold (log scale)');
    this.slider.addEventListener('input', () => onThreshold(fromPosition(Number(this.slider.value) / SLIDER_STEPS, this.scale)));
    barWrap.append(this.bar, this.marker, this.slider, this.ticks);
    this.value = document.createElement('span');
    this.value.className = 'compare-threshold-value';
    this.value.dataset.testid = 'compare-threshold-value';
    this.count = document.createElement('span');
    this.count.className = 'compare-count';
    this.count.dataset.testid = 'compare-count';
    this.fusedKey = absentKey('fused', 'Dashed outline: fused into another layer by the backend, so not compared (not a failure)');
    this.skippedKey = absentKey('skipped', 'Dashed outline: the backend could not capture this tensor, so it was not compared');
    this.element.append(this.metricSelect, barWrap, this.value, this.count, this.fusedKey, this.skippedKey);
  }

  update(s: LegendState): void {
    this.scale = s.scale;
    this.metricSelect.value = s.metric;
    const pt = logPosition(s.threshold, s.scale);
    this.slider.value = String(Math.round(pt * SLIDER_STEPS));
    this.slider.setAttribute('aria-valuetext', formatError(s.threshold));
    // The bar shows the color each error would get with this threshold: 16 stops along the log scale.
    const stops: string[] = [];
    for (let i = 0; i <= 16; i++) {
      const t = i / 16;
      stops.push(`${overlayColor(fromPosition(t, s.scale), s.threshold, s.scale, s.colors)} ${(t * 100).toFixed(1)}%`);
    }
    this.bar.style.background = `linear-gradient(to right, ${stops.join(', ')})`;
    this.marker.style.left = `${(pt * 100).toFixed(2)}%`;
    const ticks: HTMLElement[] = [];
    const step = Math.max(1, Math.ceil((s.scale.hi - s.scale.lo) / 6));
    for (let e = s.scale.lo; e <= s.scale.hi; e += step) {
      const t = document.createElement('span');
      t.textContent = `1e${e}`;
      t.style.left = `${(((e - s.scale.lo) / (s.scale.hi - s.scale.lo)) * 100).toFixed(2)}%`;
      ticks.push(t);
    }
    this.ticks.replaceChildren(...ticks);
    this.value.textContent = `threshold ${formatError(s.threshold)}`;
    this.count.textContent = `${s.counts.fail} above, ${s.counts.pass} at or below`;
    this.count.dataset.fail = String(s.counts.fail);
    setAbsentKey(this.fusedKey, s.absent.fused, `${s.absent.fused} fused`);
    setAbsentKey(this.skippedKey, s.absent.skipped, `${s.absent.skipped} not captured`);
  }
}

/** A legend key: the dashed swatch the canvas draws around such boxes, and a count. */
function absentKey(kind: 'fused' | 'skipped', title: string): HTMLElement {
  const key = document.createElement('span');
  key.className = 'compare-absent-key';
  key.dataset.kind = kind;
  key.dataset.testid = `compare-legend-${kind}`;
  key.title = title;
  key.hidden = true;
  const swatch = document.createElement('span');
  swatch.className = 'compare-absent-swatch';
  swatch.setAttribute('aria-hidden', 'true');
  key.append(swatch, document.createElement('span'));
  return key;
}

function setAbsentKey(key: HTMLElement, count: number, text: string): void {
  key.hidden = count === 0;
  key.dataset.count = String(count);
  (key.lastChild as HTMLElement).textContent = text;
}
