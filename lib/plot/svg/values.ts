/** Reading a plotly trace's data: finite numbers, arrays, trace type and mode, and the values a trace puts on an axis. */

/** A plotly trace, as in `Figure.data`. */
export type Trace = Record<string, unknown>;

/** A plotly axis layout (`layout.xaxis`, `layout.yaxis2`, …). */
export type AxisLayout = Record<string, unknown>;

/**
 * Whether a value is a finite number.
 * @example
 * ```ts
 * isNum(2); // true
 * isNum(NaN); // false
 * ```
 */
export function isNum(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/**
 * A plotly data array as a plain array (a typed array is copied), or undefined when `v` is not an array.
 * @example
 * ```ts
 * arr(new Float32Array([1, 2])); // [1, 2]
 * arr('ab'); // undefined
 * ```
 */
export function arr(v: unknown): unknown[] | undefined {
  if (Array.isArray(v)) return v;
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
  return undefined;
}

/**
 * A trace's type, `'scatter'` unless set.
 * @example
 * ```ts
 * traceType({ y: [1] }); // 'scatter'
 * ```
 */
export function traceType(t: Trace): string {
  return typeof t.type === 'string' ? t.type : 'scatter';
}

/**
 * A trace's x values, or 0…n-1 when it has none.
 * @example
 * ```ts
 * xs({ y: [5, 6, 7] }, 3); // [0, 1, 2]
 * ```
 */
export function xs(t: Trace, n: number): unknown[] {
  return arr(t.x) ?? Array.from({ length: n }, (_, i) => i);
}

/**
 * A scatter trace's mode: as set, else plotly's default (markers too on fewer than 20 points).
 * @example
 * ```ts
 * modeOf({ y: [1, 2] }); // 'lines+markers'
 * ```
 */
export function modeOf(t: Trace): string {
  return typeof t.mode === 'string' ? t.mode : (arr(t.y)?.length ?? 0) < 20 ? 'lines+markers' : 'lines';
}

/**
 * Values a trace puts on its x (`'x'`) or y (`'y'`) axis, for autorange and axis type.
 * @example
 * ```ts
 * axisValues({ y: [4, 5] }, 'x'); // [0, 1]
 * axisValues({ type: 'heatmap', z: [[1, 2, 3]] }, 'x'); // [0, 1, 2]
 * ```
 */
export function axisValues(t: Trace, dim: 'x' | 'y'): unknown[] {
  const type = traceType(t);
  if (type === 'heatmap') {
    const z = (arr(t.z) ?? []) as unknown[][];
    const n = dim === 'x' ? Math.max(0, ...z.map((r) => (arr(r) ?? []).length)) : z.length;
    return arr(t[dim]) ?? Array.from({ length: n }, (_, i) => i);
  }
  const y = arr(t.y) ?? [];
  const x = arr(t.x);
  if (dim === 'y') return type === 'bar' && t.orientation === 'h' ? x ?? [] : y;
  return type === 'bar' && t.orientation === 'h' ? y : xs(t, y.length);
}

/**
 * Heatmap cell edges along one dimension, from cell centres (or 0…n-1).
 * @example
 * ```ts
 * heatEdges([0, 1, 3]); // [-0.5, 0.5, 2, 4]
 * ```
 */
export function heatEdges(centres: number[]): number[] {
  if (centres.length === 1) return [centres[0] - 0.5, centres[0] + 0.5];
  const e = [centres[0] - (centres[1] - centres[0]) / 2];
  for (let i = 0; i < centres.length - 1; i++) e.push((centres[i] + centres[i + 1]) / 2);
  e.push(centres[centres.length - 1] + (centres[centres.length - 1] - centres[centres.length - 2]) / 2);
  return e;
}
