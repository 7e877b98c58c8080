/**
 * Rich output in a tslab Jupyter kernel, with a plain-text fallback when the
 * same code runs as a module (tests, scripts, the terminal). The display API is
 * tslab's (`display`, `newDisplay`, github.com/yunabe/tslab).
 */
import * as path from 'node:path';

/** The part of tslab's `Display` the course uses (one MIME type per call). */
export interface Display {
  /** Shows HTML (`text/html`); scripts in it run only where the notebook is trusted. */
  html(s: string): void;
  /** Shows Markdown (`text/markdown`). */
  markdown(s: string): void;
  /** Shows plain text (`text/plain`). */
  text(s: string): void;
  /** Shows a PNG image from its file bytes (`image/png`). */
  png(b: Uint8Array): void;
  /** Shows an SVG document (`image/svg+xml`; not shown in untrusted notebooks). */
  svg(s: string): void;
  /** Shows data of any MIME type. */
  raw(contentType: string, b: string | Uint8Array): unknown;
}

interface TslabPublic {
  display: Display;
  newDisplay(): Display;
}

let cached: TslabPublic | null | undefined;

/**
 * The running kernel's tslab module, or `null` outside a tslab kernel.
 *
 * The kernel's own copy matters: a library's `require('tslab')` can resolve to
 * a different copy (e.g. one in the user's project) that is not connected to
 * the kernel and throws "Not ready". The kernel has loaded its
 * `tslab/dist/jupyter.js`; its sibling `public.js` is the connected API.
 */
function kernelTslab(): TslabPublic | null {
  if (cached !== undefined) return cached;
  cached = null;
  const req: NodeJS.Require | undefined = typeof require === 'function' ? require : undefined;
  if (!req?.cache) return cached;
  const suffix = path.join('tslab', 'dist', 'jupyter.js');
  const jupyterPath = Object.keys(req.cache).find((k) => k.endsWith(suffix));
  if (!jupyterPath) return cached;
  const jupyter = req(jupyterPath) as { lastWriteDisplayData?: unknown };
  if (jupyter.lastWriteDisplayData == null) return cached;
  cached = req(path.join(path.dirname(jupyterPath), 'public.js')) as TslabPublic;
  return cached;
}

/**
 * Whether this code runs inside a tslab Jupyter kernel (rich display available).
 * @example
 * ```ts
 * inNotebook(); // false (in a test or a terminal script)
 * ```
 * @see [Notebook 00 §2 How a tslab notebook works](../../notebooks/00-getting-started.ipynb#2.-How-a-tslab-notebook-works)
 */
export function inNotebook(): boolean {
  return kernelTslab() !== null;
}

/** Something that can show itself as HTML in a notebook and as text elsewhere. */
export interface Showable {
  /** HTML for a notebook output. */
  html: string;
  /** Plain text for a terminal or a log. */
  text: string;
}

/**
 * Shows HTML in the notebook, or prints the text form to stdout outside one.
 * @example
 * ```ts
 * show({ html: '<b>hi</b>', text: 'hi' }); // undefined (outside a notebook it prints hi)
 * ```
 * @see [Notebook 00 §1 Is everything installed?](../../notebooks/00-getting-started.ipynb#1.-Is-everything-installed?)
 * @see [Notebook 00 §2 How a tslab notebook works](../../notebooks/00-getting-started.ipynb#2.-How-a-tslab-notebook-works)
 * @see [Notebook 02 §7 What did it learn?](../../notebooks/02-training-pipeline.ipynb#7.-What-did-it-learn?)
 * @see [Notebook 04 §2 Activations and their derivatives](../../notebooks/04-mlp-maths.ipynb#2.-Activations-and-their-derivatives)
 * @see [Notebook 04 §3 Losses, and why the stable forms matter](../../notebooks/04-mlp-maths.ipynb#3.-Losses,-and-why-the-stable-forms-matter)
 * @see [Notebook 04 §6 Optimizers from scratch: SGD, momentum, Adam](../../notebooks/04-mlp-maths.ipynb#6.-Optimizers-from-scratch:-SGD,-momentum,-Adam)
 * @see [Notebook 04 §7 Fashion-MNIST](../../notebooks/04-mlp-maths.ipynb#7.-Fashion-MNIST)
 * @see [Notebook 04 §8 Training the MLP on Fashion-MNIST](../../notebooks/04-mlp-maths.ipynb#8.-Training-the-MLP-on-Fashion-MNIST)
 * @see [Notebook 05 §1 The data](../../notebooks/05-cifar10-cnn.ipynb#1.-The-data)
 * @see [Notebook 05 §2 The model](../../notebooks/05-cifar10-cnn.ipynb#2.-The-model)
 * @see [Notebook 05 §4 Evaluation](../../notebooks/05-cifar10-cnn.ipynb#4.-Evaluation)
 */
export function show(item: Showable): void {
  const t = kernelTslab();
  if (t) t.display.html(item.html);
  else if (item.text) console.log(item.text);
}

/**
 * An output area updated in place: in a notebook, each `update` replaces the
 * previous content (tslab's `newDisplay`); outside, each `update` prints its
 * text only when `printText` is true.
 */
export interface LiveOutput {
  /** Replaces the output's content with `item` (see {@link liveOutput}). */
  update(item: Showable): void;
}

/**
 * Creates a {@link LiveOutput}.
 * @param printText - outside a notebook, print each update's text. @default false
 * @example
 * ```ts
 * const out = liveOutput();
 * out.update({ html: '<p>epoch 1</p>', text: 'epoch 1' }); // undefined (prints nothing outside a notebook)
 * ```
 */
export function liveOutput(printText = false): LiveOutput {
  const t = kernelTslab();
  if (t) {
    const d = t.newDisplay();
    return { update: (item) => d.html(item.html) };
  }
  return { update: (item) => (printText && item.text ? console.log(item.text) : undefined) };
}

/**
 * Escapes text for HTML.
 * @example
 * ```ts
 * escapeHtml('<b>cat & dog</b>'); // '&lt;b&gt;cat &amp; dog&lt;/b&gt;'
 * ```
 */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
