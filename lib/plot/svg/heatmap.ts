/** A heatmap trace: coloured cells with their labels, or one embedded PNG when it has many cells. */
import { PNG } from 'pngjs';
import { toPx, type Axis } from './axes';
import { colorAt, rgb, scaleOf } from './colors';
import { esc, num, plain } from './text';
import { arr, heatEdges, isNum, type Trace } from './values';

type Rgb = [number, number, number];

/** A heatmap's cells: z by row, the x and y of each column and row, and the colour of a value (null for none). */
interface Cells {
  z: unknown[][];
  nx: number;
  ny: number;
  xv: unknown[];
  yv: unknown[];
  colorOfZ: (v: unknown) => Rgb | null;
}

/** Cell edges in pixels: categories are ±0.5 around their index; numbers use midpoints. */
function edgesPx(ax: Axis, v: unknown[], n: number): number[] {
  if (ax.type === 'category') {
    const idx = v.slice(0, n).map((c) => ax.categories.indexOf(String(c)));
    return [...idx.map((i) => i - 0.5), idx[idx.length - 1] + 0.5].map((u) => ax.p0 + ((u - ax.lo) / (ax.hi - ax.lo)) * (ax.p1 - ax.p0));
  }
  const centres = v.slice(0, n).map(Number);
  return heatEdges(centres).map((e) => toPx(ax, e));
}

/** One pixel per cell, scaled up; the image's rows run from the top of the plot down. */
function heatmapPng({ z, nx, ny, colorOfZ }: Cells, ex: number[], ey: number[]): string {
  const png = new PNG({ width: nx, height: ny });
  const flipY = ey[0] < ey[ny];
  const flipX = ex[0] > ex[nx];
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const c = colorOfZ(z[j][i]);
      const row = flipY ? j : ny - 1 - j;
      const col = flipX ? nx - 1 - i : i;
      const o = (row * nx + col) * 4;
      png.data[o] = c ? c[0] : 0;
      png.data[o + 1] = c ? c[1] : 0;
      png.data[o + 2] = c ? c[2] : 0;
      png.data[o + 3] = c ? 255 : 0;
    }
  }
  const href = `data:image/png;base64,${PNG.sync.write(png).toString('base64')}`;
  const x = Math.min(ex[0], ex[nx]);
  const y = Math.min(ey[0], ey[ny]);
  return `<image x="${num(x)}" y="${num(y)}" width="${num(Math.abs(ex[nx] - ex[0]))}" height="${num(Math.abs(ey[ny] - ey[0]))}" preserveAspectRatio="none" style="image-rendering:pixelated" href="${href}" xlink:href="${href}"/>`;
}

/** One rectangle per cell, labelled by `texttemplate` when there are at most 625 cells. */
function heatmapCells(t: Trace, { z, nx, ny, xv, yv, colorOfZ }: Cells, ex: number[], ey: number[]): string {
  const out: string[] = [];
  const text = (arr(t.text) ?? []) as unknown[];
  const template = typeof t.texttemplate === 'string' ? t.texttemplate : '';
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < z[j].length; i++) {
      const c = colorOfZ(z[j][i]);
      if (!c) continue;
      const x = Math.min(ex[i], ex[i + 1]);
      const y = Math.min(ey[j], ey[j + 1]);
      const w = Math.abs(ex[i + 1] - ex[i]);
      const h = Math.abs(ey[j + 1] - ey[j]);
      out.push(`<rect x="${num(x)}" y="${num(y)}" width="${num(w + 0.3)}" height="${num(h + 0.3)}" fill="${rgb(c)}"/>`);
      if (template && nx * ny <= 625) {
        const rowText = (arr(text[j]) ?? []) as unknown[];
        const label = template.replace(/%\{text\}/g, String(rowText[i] ?? '')).replace(/%\{z[^}]*\}/g, String(z[j][i])).replace(/%\{x\}/g, String(xv[i])).replace(/%\{y\}/g, String(yv[j]));
        const lum = (0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]) / 255;
        out.push(`<text x="${num(x + w / 2)}" y="${num(y + h / 2 + 4)}" text-anchor="middle" font-size="${h < 16 ? 9 : 11}" fill="${lum < 0.55 ? '#fff' : '#222'}">${esc(plain(label))}</text>`);
      }
    }
  }
  return out.join('');
}

/**
 * A heatmap as rectangles (with cell labels), or as one embedded PNG when it has many cells.
 * @example
 * ```ts
 * const ax = (id, p0, p1) => ({ id, layout: {}, type: 'linear', categories: [], lo: -0.5, hi: 0.5, p0, p1 });
 * heatmapSvg({ type: 'heatmap', z: [[1]] }, ax('x', 0, 10), ax('y', 10, 0)); // '<rect x="0" y="0" width="10.3" height="10.3" fill="rgb(33,145,140)"/>'
 * ```
 */
export function heatmapSvg(t: Trace, xa: Axis, ya: Axis): string {
  const z = ((arr(t.z) ?? []) as unknown[]).map((r) => (arr(r) ?? []) as unknown[]);
  const ny = z.length;
  const nx = Math.max(0, ...z.map((r) => r.length));
  if (!nx || !ny) return '';
  const flat = z.flat().filter(isNum);
  const zmin = isNum(t.zmin) ? t.zmin : Math.min(...flat);
  const zmax = isNum(t.zmax) ? t.zmax : Math.max(...flat);
  const scale = scaleOf(t);
  const colorOfZ = (v: unknown) => (isNum(v) ? colorAt(scale, zmax > zmin ? (v - zmin) / (zmax - zmin) : 0.5) : null);
  const xv = arr(t.x) ?? Array.from({ length: nx }, (_, i) => i);
  const yv = arr(t.y) ?? Array.from({ length: ny }, (_, i) => i);
  const cells: Cells = { z, nx, ny, xv, yv, colorOfZ };
  const ex = edgesPx(xa, xv, nx);
  const ey = edgesPx(ya, yv, ny);
  return nx * ny > 900 ? heatmapPng(cells, ex, ey) : heatmapCells(t, cells, ex, ey);
}
