/**
 * Progress reporters for long transfers (bytes) and for work on many items
 * (files, images): a cli-progress bar on a terminal, and on anything else
 * (notebook, CI log, pipe) one plain line per 10% so logs stay short and readable.
 */
import * as cliProgress from 'cli-progress';
import { checkInteger } from '../core/errors';

/** What a reporter writes to: `process.stderr` or any stream-like object with `write`. */
export interface ProgressStream {
  /** Writes `text` as it is (lines end with "\n"). */
  write(text: string): unknown;
  /** True on a terminal; a bar is drawn only then. */
  isTTY?: boolean;
}

/** Options of {@link createByteProgress}. */
export interface ByteProgressOptions {
  /** Name shown in front of each line, e.g. the file name. */
  label: string;
  /** Total size in bytes, or `undefined` when the server did not say. */
  totalBytes?: number;
  /** Where to write. @default process.stderr */
  stream?: ProgressStream;
  /** Clock in milliseconds, for tests. @default Date.now */
  now?: () => number;
}

/** Receives byte counts as a transfer goes on. */
export interface ByteProgress {
  /** Reports that `receivedBytes` bytes (a running total, not a delta) have arrived. */
  update(receivedBytes: number): void;
  /** Ends the report after a successful transfer. */
  finish(): void;
  /** Ends the report after a failed transfer (the bar is stopped, no 100% line). */
  fail(): void;
}

/** Bytes per plain line when the total size is unknown: 10 MB. */
const UNKNOWN_TOTAL_STEP_BYTES = 10_000_000;

/**
 * Formats a byte count in decimal units (1 MB = 10^6 bytes), one decimal.
 *
 * @example
 * ```ts
 * formatBytes(170052171); // '170.1 MB'
 * formatBytes(512);       // '512 B'
 * ```
 */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/**
 * Creates a reporter for a transfer of `totalBytes` bytes. On a TTY stream it
 * draws a cli-progress bar; otherwise it writes a line at every 10% (or every
 * 10 MB when the total is unknown), like
 * `download cifar-10-binary.tar.gz: 40% (68.0 MB of 170.1 MB, 12.3 MB/s)`.
 *
 * @example
 * ```ts
 * const lines: string[] = [];
 * const p = createByteProgress({ label: 'x.bin', totalBytes: 1000, stream: { write: (s) => lines.push(s) } });
 * p.update(450); p.update(1000); p.finish();
 * lines.length; // 2 (a line at 45% and one at 100%)
 * ```
 */
export function createByteProgress(options: ByteProgressOptions): ByteProgress {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? Date.now;
  const total = options.totalBytes !== undefined && options.totalBytes > 0 ? options.totalBytes : undefined;
  const start = now();
  const speed = (received: number): string => {
    const seconds = Math.max((now() - start) / 1000, 1e-3);
    return `${formatBytes(received / seconds)}/s`;
  };
  const units: Units = { verb: 'download', done: formatBytes, total: formatBytes, speedUnit: 'B', unknownStep: UNKNOWN_TOTAL_STEP_BYTES };
  return stream.isTTY ? barProgress(options.label, total, stream, speed, units) : lineProgress(options.label, total, stream, speed, units);
}

/** How a reporter names its work and its amounts. */
interface Units {
  /** The word before the label: 'download', 'classify'. */
  verb: string;
  /** An amount done as text: '68.0 MB', '4'. */
  done: (n: number) => string;
  /** The total as text: '170.1 MB', '10 images'. */
  total: (n: number) => string;
  /** Speed's unit, as in the zero speed a bar starts with ('0 B/s'). */
  speedUnit: string;
  /** Amount per plain line when the total is unknown. */
  unknownStep: number;
}

/** Options of {@link createCountProgress}. */
export interface CountProgressOptions {
  /** What is being done, shown first: e.g. 'classify'. */
  verb: string;
  /** Name shown after the verb, e.g. the folder. */
  label: string;
  /** How many items there are (≥ 1; with 0 nothing is written). */
  total: number;
  /** The items' name in the plural, e.g. 'images'. @default 'items' */
  unit?: string;
  /** Where to write. @default process.stderr */
  stream?: ProgressStream;
  /** Clock in milliseconds, for tests. @default Date.now */
  now?: () => number;
}

/**
 * Creates a reporter for work on `total` items (files, images): the same
 * cli-progress bar on a terminal and the same line at every 10% elsewhere as
 * the download reporter `createByteProgress`, counting items, like
 * `classify photos/: 40% (4 of 10 images, 12.5 images/s)`. `update` takes the
 * running count.
 * @throws {ArgumentError} when total is not an integer ≥ 0.
 * @example
 * ```ts
 * const lines: string[] = [];
 * const p = createCountProgress({ verb: 'classify', label: 'photos/', total: 4, unit: 'images', stream: { write: (s) => lines.push(s) }, now: () => 1000 });
 * for (let i = 1; i <= 4; i++) p.update(i);
 * p.finish();
 * lines[0]; // 'classify photos/: 25% (1 of 4 images, 1000.0 images/s)\n'
 * lines.length; // 4 (at 25%, 50%, 75% and 100%)
 * ```
 */
export function createCountProgress(options: CountProgressOptions): ByteProgress {
  const total = checkInteger('createCountProgress', 'options.total', options.total, 0);
  if (total === 0) return { update() {}, finish() {}, fail() {} };
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? Date.now;
  const unit = options.unit ?? 'items';
  const start = now();
  const speed = (done: number): string => `${(done / Math.max((now() - start) / 1000, 1e-3)).toFixed(1)} ${unit}/s`;
  const units: Units = { verb: options.verb, done: String, total: (n) => `${n} ${unit}`, speedUnit: unit, unknownStep: 1 };
  return stream.isTTY ? barProgress(options.label, total, stream, speed, units) : lineProgress(options.label, total, stream, speed, units);
}

function lineProgress(label: string, total: number | undefined, stream: ProgressStream, speed: (n: number) => string, units: Units): ByteProgress {
  let lastStep = 0; // tenths already reported (known total) or unknownStep steps (unknown total)
  let received = 0;
  let ended = false;
  const line = (n: number): string =>
    total === undefined
      ? `${units.verb} ${label}: ${units.done(n)} (${speed(n)})\n`
      : `${units.verb} ${label}: ${Math.floor((100 * n) / total)}% (${units.done(n)} of ${units.total(total)}, ${speed(n)})\n`;
  return {
    update(n) {
      received = n;
      const step = total === undefined ? Math.floor(n / units.unknownStep) : Math.floor((10 * Math.min(n, total)) / total);
      if (step > lastStep) {
        lastStep = step; // several steps crossed in one chunk -> one line
        stream.write(line(n));
      }
    },
    finish() {
      if (ended) return;
      ended = true;
      // The unknown-total case and a short last chunk still get a final line.
      if (total === undefined || lastStep < 10) stream.write(line(received));
    },
    fail() {
      ended = true;
    },
  };
}

function barProgress(label: string, total: number | undefined, stream: ProgressStream, speed: (n: number) => string, units: Units): ByteProgress {
  const format =
    total === undefined
      ? `${units.verb} ${label} | {receivedText} | {speedText}`
      : `${units.verb} ${label} [{bar}] {percentage}% | {receivedText} of ${units.total(total)} | {speedText} | ETA {eta_formatted}`;
  const bar = new cliProgress.SingleBar(
    { format, stream: stream as NodeJS.WritableStream, hideCursor: true, clearOnComplete: false, etaBuffer: 50, fps: 5 },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total ?? 1, 0, { receivedText: units.done(0), speedText: `0 ${units.speedUnit}/s` });
  let ended = false;
  return {
    update(n) {
      if (ended) return;
      bar.update(total === undefined ? 0 : n, { receivedText: units.done(n), speedText: speed(n) });
    },
    finish() {
      if (ended) return;
      ended = true;
      bar.stop();
    },
    fail() {
      if (ended) return;
      ended = true;
      bar.stop();
    },
  };
}
