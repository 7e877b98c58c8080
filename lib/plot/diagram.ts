/**
 * Flow diagrams (boxes and arrows) from one description, in two forms: Mermaid
 * text (mermaid.js.org/syntax/flowchart.html), which JupyterLab ≥ 4.1,
 * Notebook 7 and GitHub draw from a Markdown ```` ```mermaid ```` block, and a
 * static SVG drawn by this library for every other viewer (nbconvert's HTML,
 * untrusted notebooks, e-mail).
 *
 * Layout: nodes are placed in ranks by the longest path over the forward
 * edges (a node's `rank` overrides it), ranks top to bottom ('TB') or left to
 * right ('LR'); forward edges are straight arrows, `back` edges (loops) are
 * dashed curves on the side.
 */
import { ArgumentError, describe } from '../core/errors';
import { escapeHtml } from '../core/notebook';
import { svgDataUri } from './svg';

/** A box. `label` may hold line breaks (`\n`). */
export interface FlowNode {
  /** Identifier used by the edges: a letter, then letters, digits or `_`. */
  id: string;
  /** Text of the box; `\n` breaks lines, the first line is bold. */
  label: string;
  /** Rank (row for 'TB', column for 'LR'), overriding the computed one. */
  rank?: number;
}

/** An arrow. `back` marks a loop back to an earlier step (drawn dashed, on the side). */
export interface FlowEdge {
  /** Id of the node the arrow starts at. */
  from: string;
  /** Id of the node the arrow points to. */
  to: string;
  /** Text on the arrow. */
  label?: string;
  /** A loop back to an earlier step: not used for ranking, drawn dashed on the side. @default false */
  back?: boolean;
}

/** A flow diagram. */
export interface Flowchart {
  /** 'TB': top to bottom, 'LR': left to right. @default 'TB' */
  direction?: 'TB' | 'LR';
  /** The boxes, in reading order within a rank. */
  nodes: FlowNode[];
  /** The arrows. */
  edges: FlowEdge[];
}

function check(fn: string, chart: Flowchart): void {
  if (chart == null || !Array.isArray(chart.nodes) || !Array.isArray(chart.edges)) {
    throw new ArgumentError(`${fn}: chart must be { nodes: [...], edges: [...] }, got ${describe(chart)}`);
  }
  const ids = new Set<string>();
  for (const n of chart.nodes) {
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(n.id)) throw new ArgumentError(`${fn}: node id must be a letter then letters, digits or _, got ${describe(n.id)}`);
    if (ids.has(n.id)) throw new ArgumentError(`${fn}: node id ${JSON.stringify(n.id)} is used twice`);
    ids.add(n.id);
  }
  for (const e of chart.edges) {
    for (const end of [e.from, e.to]) if (!ids.has(end)) throw new ArgumentError(`${fn}: edge ${e.from} -> ${e.to} names an unknown node ${JSON.stringify(end)}`);
  }
}

/**
 * The diagram as Mermaid flowchart text.
 * @example
 * ```ts
 * flowchartMermaid({ nodes: [{ id: 'a', label: 'data' }, { id: 'b', label: 'model' }], edges: [{ from: 'a', to: 'b' }] }); // 'flowchart TB\n  a["data"]\n  b["model"]\n  a --> b'
 * ```
 */
export function flowchartMermaid(chart: Flowchart): string {
  check('flowchartMermaid', chart);
  const text = (s: string) => s.replace(/"/g, '#quot;').replace(/\n/g, '<br/>');
  const lines = [`flowchart ${chart.direction ?? 'TB'}`];
  for (const n of chart.nodes) lines.push(`  ${n.id}["${text(n.label)}"]`);
  for (const e of chart.edges) {
    const label = e.label ? `|"${text(e.label)}"|` : '';
    lines.push(`  ${e.from} ${e.back ? '-.->' : '-->'}${label} ${e.to}`);
  }
  return lines.join('\n');
}

interface Box {
  node: FlowNode;
  lines: string[];
  x: number; // centre
  y: number;
  w: number;
  h: number;
}

const CHAR_W = 7.2; // average width of a 13 px character
const LINE_H = 17;

/**
 * Node ranks: longest path from a source over forward edges, or a node's own `rank`.
 * @throws {ArgumentError} when the forward edges form a cycle (mark one edge `back`).
 */
function ranks(chart: Flowchart): Map<string, number> {
  const rank = new Map<string, number>(chart.nodes.map((n) => [n.id, 0]));
  const forward = chart.edges.filter((e) => !e.back);
  // Bellman-Ford style relaxation; more than |V| rounds means a cycle.
  for (let round = 0; ; round++) {
    let changed = false;
    for (const e of forward) {
      const r = rank.get(e.from)! + 1;
      if (r > rank.get(e.to)!) {
        rank.set(e.to, r);
        changed = true;
      }
    }
    if (!changed) break;
    if (round > chart.nodes.length) throw new ArgumentError(`flowchartSvg: the forward edges form a cycle; mark the edge that loops back with back: true`);
  }
  for (const n of chart.nodes) if (typeof n.rank === 'number') rank.set(n.id, n.rank);
  return rank;
}

/**
 * The diagram as a standalone SVG document.
 * @example
 * ```ts
 * flowchartSvg({ nodes: [{ id: 'a', label: 'data' }], edges: [] }).startsWith('<svg'); // true
 * ```
 */
export function flowchartSvg(chart: Flowchart): string {
  check('flowchartSvg', chart);
  const tb = (chart.direction ?? 'TB') === 'TB';
  const rank = ranks(chart);
  const boxes = new Map<string, Box>();
  for (const node of chart.nodes) {
    const lines = node.label.split('\n');
    boxes.set(node.id, { node, lines, x: 0, y: 0, w: Math.max(110, 24 + Math.max(...lines.map((l) => l.length)) * CHAR_W), h: 16 + lines.length * LINE_H });
  }
  const maxRank = Math.max(0, ...rank.values());
  const byRank = Array.from({ length: maxRank + 1 }, () => [] as Box[]);
  for (const node of chart.nodes) byRank[rank.get(node.id)!].push(boxes.get(node.id)!);
  const backEdges = chart.edges.filter((e) => e.back);
  const side = 70 + 50 * Math.ceil(backEdges.length / 2); // room for loops on each side
  const gap = 40; // between boxes of one rank
  const step = 46; // free space between ranks (for arrows and labels)
  // Along the flow: each rank as thick as its thickest box; across: boxes side by side, centred.
  const along = byRank.map((r) => Math.max(0, ...r.map((b) => (tb ? b.h : b.w))));
  const across = byRank.map((r) => r.reduce((s, b) => s + (tb ? b.w : b.h), 0) + gap * Math.max(0, r.length - 1));
  const crossSize = Math.max(...across);
  let pos = 20;
  byRank.forEach((r, k) => {
    let c = side + (crossSize - across[k]) / 2;
    for (const b of r) {
      const size = tb ? b.w : b.h;
      if (tb) [b.x, b.y] = [c + size / 2, pos + along[k] / 2];
      else [b.x, b.y] = [pos + along[k] / 2, c + size / 2];
      c += size + gap;
    }
    pos += along[k] + step;
  });
  const W = tb ? crossSize + 2 * side : pos - step + 20;
  const H = tb ? pos - step + 20 : crossSize + 2 * side;
  const f = (v: number) => String(Math.round(v * 10) / 10);
  const parts: string[] = [];
  const label = (x: number, y: number, text: string) => {
    const w = text.length * 6.4 + 8;
    parts.push(`<rect x="${f(x - w / 2)}" y="${f(y - 9)}" width="${f(w)}" height="16" fill="#fff" opacity="0.9"/><text x="${f(x)}" y="${f(y + 3)}" text-anchor="middle" font-size="11" fill="#555">${escapeHtml(text)}</text>`);
  };
  // Where the segment from a box's centre towards (tx, ty) leaves the box.
  const exit = (b: Box, tx: number, ty: number): [number, number] => {
    const dx = tx - b.x;
    const dy = ty - b.y;
    const s = Math.min(dx ? b.w / 2 / Math.abs(dx) : Infinity, dy ? b.h / 2 / Math.abs(dy) : Infinity);
    return [b.x + dx * s, b.y + dy * s];
  };
  for (const e of chart.edges.filter((e) => !e.back)) {
    const a = boxes.get(e.from)!;
    const b = boxes.get(e.to)!;
    const [x1, y1] = exit(a, b.x, b.y);
    const [x2, y2] = exit(b, a.x, a.y);
    parts.push(`<line x1="${f(x1)}" y1="${f(y1)}" x2="${f(x2)}" y2="${f(y2)}" stroke="#555" stroke-width="1.5" marker-end="url(#arrow)"/>`);
    if (e.label) label((x1 + x2) / 2, (y1 + y2) / 2, e.label);
  }
  backEdges.forEach((e, k) => {
    const a = boxes.get(e.from)!;
    const b = boxes.get(e.to)!;
    const dir = k % 2 === 0 ? 1 : -1; // alternate sides: right/below, then left/above
    const out = 40 + 45 * Math.floor(k / 2);
    let d: string;
    let lx: number;
    let ly: number;
    if (tb) {
      const x1 = a.x + (dir * a.w) / 2;
      const x2 = b.x + (dir * b.w) / 2;
      const xm = (dir > 0 ? Math.max(x1, x2) : Math.min(x1, x2)) + dir * out;
      d = `M${f(x1)},${f(a.y)} C${f(xm)},${f(a.y)} ${f(xm)},${f(b.y)} ${f(x2)},${f(b.y)}`;
      [lx, ly] = [x1 + (xm - x1) * 0.75, (a.y + b.y) / 2];
    } else {
      const y1 = a.y + (dir * a.h) / 2;
      const y2 = b.y + (dir * b.h) / 2;
      const ym = (dir > 0 ? Math.max(y1, y2) : Math.min(y1, y2)) + dir * out;
      d = `M${f(a.x)},${f(y1)} C${f(a.x)},${f(ym)} ${f(b.x)},${f(ym)} ${f(b.x)},${f(y2)}`;
      [lx, ly] = [(a.x + b.x) / 2, y1 + (ym - y1) * 0.75];
    }
    parts.push(`<path d="${d}" fill="none" stroke="#888" stroke-width="1.5" stroke-dasharray="6,4" marker-end="url(#arrow)"/>`);
    if (e.label) label(lx, ly, e.label);
  });
  for (const b of boxes.values()) {
    parts.push(`<rect x="${f(b.x - b.w / 2)}" y="${f(b.y - b.h / 2)}" width="${f(b.w)}" height="${f(b.h)}" rx="6" fill="#eef3fb" stroke="#5b7fb9" stroke-width="1.5"/>`);
    b.lines.forEach((line, i) => {
      const y = b.y - ((b.lines.length - 1) * LINE_H) / 2 + i * LINE_H + 4.5;
      parts.push(`<text x="${f(b.x)}" y="${f(y)}" text-anchor="middle"${i === 0 ? ' font-weight="bold"' : ' fill="#444"'}>${escapeHtml(line)}</text>`);
    });
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${f(W)}" height="${f(H)}" viewBox="0 0 ${f(W)} ${f(H)}" font-family="'Open Sans', verdana, arial, sans-serif" font-size="13" fill="#222">` +
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>` +
    `<rect width="100%" height="100%" fill="#fff"/>${parts.join('')}</svg>`
  );
}

/** The diagram as an `<img>` with an SVG data URI: shows in every HTML viewer. */
function flowchartImgHtml(chart: Flowchart, alt: string): string {
  const svg = flowchartSvg(chart);
  const [, w, h] = /width="([\d.]+)" height="([\d.]+)"/.exec(svg)!;
  return `<img src="${svgDataUri(svg)}" width="${w}" height="${h}" alt="${escapeHtml(alt)}"/>`;
}

/**
 * Markdown for a notebook cell: the diagram as a ```` ```mermaid ```` block
 * (drawn by JupyterLab ≥ 4.1, Notebook 7, GitHub), then the same diagram as a
 * static image in a `<details>` element for viewers that show the block as
 * text (nbconvert's HTML, older Jupyter). The image line carries a
 * markdownlint exemption comment (it is long and HTML by necessity).
 * @example
 * ```ts
 * flowchartMarkdown({ nodes: [{ id: 'a', label: 'data' }], edges: [] }, 'one box').startsWith('```mermaid\n'); // true
 * ```
 */
export function flowchartMarkdown(chart: Flowchart, alt: string): string {
  return (
    '```mermaid\n' +
    `${flowchartMermaid(chart)}\n` +
    '```\n\n' +
    // One line of HTML (a data URI, a <details> that JupyterLab users can leave closed): exempt from markdownlint's line length and no-HTML rules.
    '<!-- markdownlint-disable-next-line MD013 MD033 -->\n' +
    `<details><summary>The diagram as an image (if your viewer shows the text above instead of a diagram)</summary>${flowchartImgHtml(chart, alt)}</details>\n`
  );
}
