/** Line dashes and marker symbols, as traces and the legend draw them. */
import { esc, num } from './text';

/**
 * An SVG `stroke-dasharray` for a plotly `line.dash` ('' for a solid line).
 * @example
 * ```ts
 * dashArray('dash', 2); // '6,6'
 * dashArray('5px,10px', 2); // '5,10'
 * dashArray('solid', 2); // ''
 * ```
 */
export function dashArray(dash: unknown, width: number): string {
  const w = Math.max(1, width);
  switch (dash) {
    case 'dash':
      return `${3 * w},${3 * w}`;
    case 'dot':
      return `${w},${w}`;
    case 'dashdot':
      return `${3 * w},${w},${w},${w}`;
    case 'longdash':
      return `${5 * w},${3 * w}`;
    default:
      return typeof dash === 'string' && /^[\d.,\spx]+$/.test(dash) ? dash.replace(/px/g, '') : '';
  }
}

/**
 * One marker: plotly's circle (default), square, diamond, x, cross and
 * triangle-up/down, filled, or outlined with an '-open' suffix.
 * @example
 * ```ts
 * markerSvg(10, 20, 6, '#f00', 'circle', ''); // '<circle cx="10" cy="20" r="3" fill="#f00"/>'
 * markerSvg(10, 20, 6, '#f00', 'square-open', ''); // '<rect x="7" y="17" width="6" height="6" fill="none" stroke="#f00" stroke-width="1.5"/>'
 * ```
 */
export function markerSvg(px: number, py: number, size: number, color: string, symbol: string, stroke: string): string {
  const open = symbol.endsWith('-open');
  const name = symbol.replace(/-open$/, '');
  const r = size / 2;
  const paint = open ? `fill="none" stroke="${esc(color)}" stroke-width="1.5"` : `fill="${esc(color)}"${stroke}`;
  const poly = (pts: [number, number][]) => `<polygon points="${pts.map(([a, b]) => `${num(px + a)},${num(py + b)}`).join(' ')}" ${paint}/>`;
  switch (name) {
    case 'square':
      return `<rect x="${num(px - r)}" y="${num(py - r)}" width="${num(size)}" height="${num(size)}" ${paint}/>`;
    case 'diamond':
      return poly([[0, -r * 1.3], [r * 1.3, 0], [0, r * 1.3], [-r * 1.3, 0]]);
    case 'triangle-up':
      return poly([[0, -r * 1.2], [r * 1.2, r * 0.9], [-r * 1.2, r * 0.9]]);
    case 'triangle-down':
      return poly([[0, r * 1.2], [r * 1.2, -r * 0.9], [-r * 1.2, -r * 0.9]]);
    case 'x':
    case 'cross': {
      const d = name === 'x' ? r * 0.9 : r * 1.2;
      const segs = name === 'x' ? [[-d, -d, d, d], [-d, d, d, -d]] : [[-d, 0, d, 0], [0, -d, 0, d]];
      return segs.map(([a, b, c2, d2]) => `<line x1="${num(px + a)}" y1="${num(py + b)}" x2="${num(px + c2)}" y2="${num(py + d2)}" stroke="${esc(color)}" stroke-width="${num(Math.max(1.5, size / 4))}"/>`).join('');
    }
    default:
      return `<circle cx="${num(px)}" cy="${num(py)}" r="${num(r)}" ${paint}/>`;
  }
}
