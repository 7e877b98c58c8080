/** Colours: plotly's default trace colours and colour scales, colour parsing, and each trace's colour. */
import { arr, type Trace } from './values';

/**
 * plotly.js's default trace colours (its `colorway`).
 * @see [Notebook 03 §1 The data](../../../notebooks/03-training-pipeline.ipynb#1.-The-data)
 */
export const PLOTLY_COLORWAY = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

/** A few of plotly.js's named colour scales, copied from plotly.js 2.35 (`src/components/colorscale/scales.js`). */
const COLORSCALES: Record<string, [number, string][]> = {
  Blues: [[0, 'rgb(5,10,172)'], [0.35, 'rgb(40,60,190)'], [0.5, 'rgb(70,100,245)'], [0.6, 'rgb(90,120,245)'], [0.7, 'rgb(106,137,247)'], [1, 'rgb(220,220,220)']],
  Greys: [[0, 'rgb(0,0,0)'], [1, 'rgb(255,255,255)']],
  Reds: [[0, 'rgb(220,220,220)'], [0.2, 'rgb(245,195,157)'], [0.4, 'rgb(245,160,105)'], [1, 'rgb(178,10,28)']],
  RdBu: [[0, 'rgb(5,10,172)'], [0.35, 'rgb(106,137,247)'], [0.5, 'rgb(190,190,190)'], [0.6, 'rgb(220,170,132)'], [0.7, 'rgb(230,145,90)'], [1, 'rgb(178,10,28)']],
  Viridis: [[0, '#440154'], [0.125, '#472d7b'], [0.25, '#3b528b'], [0.375, '#2c728e'], [0.5, '#21918c'], [0.625, '#28ae80'], [0.75, '#5ec962'], [0.875, '#addc30'], [1, '#fde725']],
};

/**
 * A CSS colour (`#rrggbb`, `#rgb`, `rgb()`, `rgba()`) as [r, g, b]; grey for anything else.
 * @example
 * ```ts
 * parseColor('#ff8000'); // [255, 128, 0]
 * parseColor('red'); // [128, 128, 128]
 * ```
 */
export function parseColor(c: string): [number, number, number] {
  const s = c.trim();
  let m = /^#([0-9a-f]{6})$/i.exec(s);
  if (m) return [parseInt(m[1].slice(0, 2), 16), parseInt(m[1].slice(2, 4), 16), parseInt(m[1].slice(4, 6), 16)];
  m = /^#([0-9a-f]{3})$/i.exec(s);
  if (m) return [0, 1, 2].map((i) => parseInt(m![1][i] + m![1][i], 16)) as [number, number, number];
  m = /^rgba?\(([^)]*)\)$/i.exec(s);
  if (m) {
    const p = m[1].split(',').map((x) => parseFloat(x));
    return [p[0], p[1], p[2]];
  }
  return [128, 128, 128];
}

/**
 * [r, g, b] as a CSS `rgb()` colour, rounded.
 * @example
 * ```ts
 * rgb([1.4, 2.6, 3]); // 'rgb(1,3,3)'
 * ```
 */
export function rgb(c: [number, number, number]): string {
  return `rgb(${c.map((v) => Math.round(v)).join(',')})`;
}

/**
 * The colour scale of a trace or marker (`colorscale`, named or given, `reversescale`), Viridis by default.
 * @example
 * ```ts
 * scaleOf({ colorscale: 'Greys', reversescale: true }); // [[0, 'rgb(255,255,255)'], [1, 'rgb(0,0,0)']]
 * ```
 */
export function scaleOf(trace: Trace): [number, string][] {
  const cs = trace.colorscale;
  let scale: [number, string][] = COLORSCALES.Viridis;
  if (typeof cs === 'string' && COLORSCALES[cs]) scale = COLORSCALES[cs];
  else if (Array.isArray(cs) && cs.every((s) => Array.isArray(s) && s.length === 2)) scale = cs as [number, string][];
  if (trace.reversescale === true) scale = scale.map(([p, c]) => [1 - p, c] as [number, string]).reverse();
  return scale;
}

/**
 * The colour at `t` in [0, 1] of a plotly colour scale (piecewise linear in RGB, as plotly does).
 * @example
 * ```ts
 * colorAt([[0, '#000000'], [1, '#ffffff']], 0.5); // [127.5, 127.5, 127.5]
 * ```
 */
export function colorAt(scale: [number, string][], t: number): [number, number, number] {
  const u = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
  for (let i = 1; i < scale.length; i++) {
    if (u <= scale[i][0] || i === scale.length - 1) {
      const [p0, c0] = scale[i - 1];
      const [p1, c1] = scale[i];
      const f = p1 > p0 ? Math.min(1, Math.max(0, (u - p0) / (p1 - p0))) : 1;
      const a = parseColor(c0);
      const b = parseColor(c1);
      return [a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]), a[2] + f * (b[2] - a[2])];
    }
  }
  return parseColor(scale[0][1]);
}

/**
 * The colour of each trace: its line or marker colour, else the colorway's in trace order.
 * @example
 * ```ts
 * const a = { y: [1] };
 * const b = { y: [2], line: { color: 'red' } };
 * [...traceColors([a, b], ['#111', '#222']).values()]; // ['#111', 'red']
 * ```
 */
export function traceColors(data: Trace[], colorway: string[]): Map<Trace, string> {
  const colorOf = new Map<Trace, string>();
  data.forEach((t, i) => {
    const line = t.line as { color?: unknown } | undefined;
    const marker = t.marker as { color?: unknown } | undefined;
    const c = typeof line?.color === 'string' ? line.color : typeof marker?.color === 'string' ? marker.color : colorway[i % colorway.length];
    colorOf.set(t, c);
  });
  return colorOf;
}

/**
 * A figure's colorway: `layout.colorway`, else plotly's.
 * @example
 * ```ts
 * colorwayOf({})[0]; // '#1f77b4'
 * ```
 */
export function colorwayOf(layout: Record<string, unknown>): string[] {
  return (arr(layout.colorway) as string[] | undefined) ?? PLOTLY_COLORWAY;
}
