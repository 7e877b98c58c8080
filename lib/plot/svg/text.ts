/** Text in the SVG: XML escaping, coordinate formatting, and plain text from plotly's titles. */
import { escapeHtml } from '../../core/notebook';

/** The font stack of the figure's text (plotly's default). */
export const FONT = "'Open Sans', verdana, arial, sans-serif";

/** Average width of a 12 px character, for layout estimates. */
export const CHAR_W = 6.6;

/**
 * Escapes text for SVG/XML.
 * @example
 * ```ts
 * esc('a < b & "c"'); // 'a &lt; b &amp; &quot;c&quot;'
 * ```
 */
export function esc(s: unknown): string {
  return escapeHtml(String(s)); // the same five entities serve XML
}

/**
 * A coordinate for the SVG text: at most 2 decimals, no trailing zeros.
 * @example
 * ```ts
 * num(1.23456); // '1.23'
 * num(2); // '2'
 * ```
 */
export function num(v: number): string {
  const r = Math.round(v * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
}

/**
 * The text of a plotly title, given as a string or as `{ text }` ('' when none).
 * @example
 * ```ts
 * titleOf({ text: 'Loss' }); // 'Loss'
 * titleOf(undefined); // ''
 * ```
 */
export function titleOf(t: unknown): string {
  if (typeof t === 'string') return t;
  if (t && typeof t === 'object' && typeof (t as { text?: unknown }).text === 'string') return (t as { text: string }).text;
  return '';
}

/**
 * Strips the small HTML subset plotly allows in titles (`<b>`, `<br>`, …) to plain text.
 * @example
 * ```ts
 * plain('<b>Loss</b><br>per epoch'); // 'Loss per epoch'
 * ```
 */
export function plain(s: string): string {
  return s.replace(/<br\s*\/?>/gi, ' ').replace(/<[^>]*>/g, '');
}
