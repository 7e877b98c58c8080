/** The frame of each subplot: its clip path, grid lines, axis lines, ticks, tick labels, axis titles and zero lines. */
import { ticksOf, toPx, type Axis, type Tick } from './axes';
import type { PlotArea, SvgContext } from './context';
import { CHAR_W, esc, num, plain, titleOf } from './text';

/** The pixel box of a subplot. */
function boxOf(xa: Axis, ya: Axis): PlotArea {
  return { x0: Math.min(xa.p0, xa.p1), x1: Math.max(xa.p0, xa.p1), y0: Math.min(ya.p0, ya.p1), y1: Math.max(ya.p0, ya.p1) };
}

/** Grid lines at the ticks, on axes that show a grid (category axes do not). */
function drawGrid(parts: string[], xa: Axis, ya: Axis, xt: Tick[], yt: Tick[], { x0, x1, y0, y1 }: PlotArea): void {
  const showGrid = (a: Axis) => a.layout.showgrid !== false && a.type !== 'category';
  if (showGrid(xa)) for (const t of xt) parts.push(`<line x1="${num(t.px)}" y1="${num(y0)}" x2="${num(t.px)}" y2="${num(y1)}" stroke="#eee"/>`);
  if (showGrid(ya)) for (const t of yt) parts.push(`<line x1="${num(x0)}" y1="${num(t.px)}" x2="${num(x1)}" y2="${num(t.px)}" stroke="#eee"/>`);
}

/** An x axis under its subplot: line, ticks, labels (rotated when long category labels would overlap) and title. */
function drawXAxis(parts: string[], xa: Axis, xt: Tick[], { x0, x1, y1 }: PlotArea): void {
  parts.push(`<line x1="${num(x0)}" y1="${num(y1)}" x2="${num(x1)}" y2="${num(y1)}" stroke="#444"/>`);
  const rotate = xa.type === 'category' && xt.length > 0 && Math.max(...xt.map((t) => t.label.length)) * CHAR_W > (x1 - x0) / xt.length;
  for (const t of xt) {
    parts.push(`<line x1="${num(t.px)}" y1="${num(y1)}" x2="${num(t.px)}" y2="${num(y1 + 5)}" stroke="#444"/>`);
    parts.push(
      rotate
        ? `<text x="${num(t.px)}" y="${num(y1 + 14)}" text-anchor="end" transform="rotate(-40 ${num(t.px)} ${num(y1 + 14)})">${esc(t.label)}</text>`
        : `<text x="${num(t.px)}" y="${num(y1 + 18)}" text-anchor="middle">${esc(t.label)}</text>`,
    );
  }
  const xTitle = plain(titleOf(xa.layout.title));
  const below = rotate ? 14 + Math.min(12, Math.max(...xt.map((t) => t.label.length))) * CHAR_W * 0.65 + 16 : 38;
  if (xTitle) parts.push(`<text x="${num((x0 + x1) / 2)}" y="${num(y1 + below)}" text-anchor="middle" font-size="13">${esc(xTitle)}</text>`);
}

/** A y axis left of its subplot: line, ticks, labels and title (left of the widest label). */
function drawYAxis(parts: string[], ya: Axis, yt: Tick[], { x0, y0, y1 }: PlotArea): void {
  parts.push(`<line x1="${num(x0)}" y1="${num(y0)}" x2="${num(x0)}" y2="${num(y1)}" stroke="#444"/>`);
  let widest = 0;
  for (const t of yt) {
    parts.push(`<line x1="${num(x0 - 5)}" y1="${num(t.px)}" x2="${num(x0)}" y2="${num(t.px)}" stroke="#444"/>`);
    parts.push(`<text x="${num(x0 - 8)}" y="${num(t.px + 4)}" text-anchor="end">${esc(t.label)}</text>`);
    widest = Math.max(widest, t.label.length * CHAR_W);
  }
  const yTitle = plain(titleOf(ya.layout.title));
  if (yTitle) {
    const x = Math.max(12, x0 - 8 - widest - 10);
    parts.push(`<text x="${num(x)}" y="${num((y0 + y1) / 2)}" text-anchor="middle" font-size="13" transform="rotate(-90 ${num(x)} ${num((y0 + y1) / 2)})">${esc(yTitle)}</text>`);
  }
}

/**
 * Draws each subplot's clip path (into `defs`) and grid lines, and each axis
 * once: its line, ticks, tick labels and title.
 * @example
 * ```ts
 * const ax = (id, p0, p1) => ({ id, layout: {}, type: 'category', categories: ['a'], lo: -0.5, hi: 0.5, p0, p1 });
 * const ctx = { pairs: new Map([['xy', [ax('x', 0, 100), ax('y', 50, 0)]]]), clipIds: new Map(), defs: [], parts: [] };
 * drawFrames(ctx);
 * ctx.defs; // ['<clipPath id="c0"><rect x="0" y="0" width="100" height="50"/></clipPath>']
 * ctx.parts.length; // 6
 * ```
 */
export function drawFrames(ctx: SvgContext): void {
  const drawnAxes = new Set<string>();
  for (const [key, [xa, ya]] of ctx.pairs) {
    const box = boxOf(xa, ya);
    const clip = `c${ctx.clipIds.size}`;
    ctx.clipIds.set(key, clip);
    ctx.defs.push(`<clipPath id="${clip}"><rect x="${num(box.x0)}" y="${num(box.y0)}" width="${num(box.x1 - box.x0)}" height="${num(box.y1 - box.y0)}"/></clipPath>`);
    const xt = ticksOf(xa);
    const yt = ticksOf(ya);
    drawGrid(ctx.parts, xa, ya, xt, yt, box);
    if (!drawnAxes.has(xa.id)) {
      drawnAxes.add(xa.id);
      drawXAxis(ctx.parts, xa, xt, box);
    }
    if (!drawnAxes.has(ya.id)) {
      drawnAxes.add(ya.id);
      drawYAxis(ctx.parts, ya, yt, box);
    }
  }
}

/**
 * Draws zero lines, as plotly draws them on linear axes that span 0.
 * @example
 * ```ts
 * const ax = (id, p0, p1) => ({ id, layout: {}, type: 'linear', categories: [], lo: -1, hi: 1, p0, p1 });
 * const ctx = { pairs: new Map([['xy', [ax('x', 0, 100), ax('y', 50, 0)]]]), parts: [] };
 * drawZeroLines(ctx);
 * ctx.parts; // ['<line x1="50" y1="0" x2="50" y2="50" stroke="#444" stroke-width="1"/>', '<line x1="0" y1="25" x2="100" y2="25" stroke="#444" stroke-width="1"/>']
 * ```
 */
export function drawZeroLines(ctx: SvgContext): void {
  const spans = (a: Axis) => a.type === 'linear' && a.layout.zeroline !== false && Math.min(a.lo, a.hi) < 0 && Math.max(a.lo, a.hi) > 0;
  for (const [, [xa, ya]] of ctx.pairs) {
    const { x0, x1, y0, y1 } = boxOf(xa, ya);
    if (spans(xa)) ctx.parts.push(`<line x1="${num(toPx(xa, 0))}" y1="${num(y0)}" x2="${num(toPx(xa, 0))}" y2="${num(y1)}" stroke="#444" stroke-width="1"/>`);
    if (spans(ya)) ctx.parts.push(`<line x1="${num(x0)}" y1="${num(toPx(ya, 0))}" x2="${num(x1)}" y2="${num(toPx(ya, 0))}" stroke="#444" stroke-width="1"/>`);
  }
}
