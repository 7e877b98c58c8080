/**
 * Rich output in a tslab Jupyter kernel, with a plain-text fallback when the
 * same code runs as a module (tests, scripts, the terminal). The display API is
 * tslab's (`display`, `newDisplay`, github.com/yunabe/tslab), plus
 * {@link showBundle} and {@link liveBundle}, which send one output carrying
 * several MIME types (tslab's public API sends one MIME type per output).
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { ArgumentError, describe } from './errors';

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

/** The content of a Jupyter `display_data` / `update_display_data` message. */
interface DisplayContent {
  data: MimeBundle;
  metadata: Record<string, unknown>;
  transient: { display_id?: string };
}

/**
 * tslab's `dist/jupyter.js`: `lastWriteDisplayData` is the running cell's
 * writer (replaced at each execution), `(content, update)` sends a
 * `display_data` message, or an `update_display_data` one when `update`.
 */
interface TslabJupyter {
  lastWriteDisplayData: ((content: DisplayContent, update: boolean) => void) | null;
}

interface Kernel {
  tslab: TslabPublic;
  jupyter: TslabJupyter;
}

let cached: Kernel | null | undefined;

/**
 * The running kernel's tslab modules, or `null` outside a tslab kernel.
 *
 * The kernel's own copy matters: a library's `require('tslab')` can resolve to
 * a different copy (e.g. one in the user's project) that is not connected to
 * the kernel and throws "Not ready". The kernel has loaded its
 * `tslab/dist/jupyter.js`; its sibling `public.js` is the connected API.
 */
function kernel(): Kernel | null {
  if (cached !== undefined) return cached;
  cached = null;
  const req: NodeJS.Require | undefined = typeof require === 'function' ? require : undefined;
  if (!req?.cache) return cached;
  const suffix = path.join('tslab', 'dist', 'jupyter.js');
  const jupyterPath = Object.keys(req.cache).find((k) => k.endsWith(suffix));
  if (!jupyterPath) return cached;
  const jupyter = req(jupyterPath) as TslabJupyter;
  if (jupyter.lastWriteDisplayData == null) return cached;
  cached = { tslab: req(path.join(path.dirname(jupyterPath), 'public.js')) as TslabPublic, jupyter };
  return cached;
}

function kernelTslab(): TslabPublic | null {
  return kernel()?.tslab ?? null;
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
 * @see [Notebook 01 §1 A large model is a Transformer with many parameters](../../notebooks/01-background.ipynb#1.-A-large-model-is-a-Transformer-with-many-parameters)
 * @see [Notebook 01 §2 The small end: the CNN of chapter 05](../../notebooks/01-background.ipynb#2.-The-small-end:-the-CNN-of-chapter-05)
 * @see [Notebook 01 §4 Memory: holding a model, and training it](../../notebooks/01-background.ipynb#4.-Memory:-holding-a-model,-and-training-it)
 * @see [Notebook 01 §6 Model sizes over time](../../notebooks/01-background.ipynb#6.-Model-sizes-over-time)
 * @see [Notebook 02 §1 Three processes, as the source draws them](../../notebooks/02-core-concepts.ipynb#1.-Three-processes,-as-the-source-draws-them)
 * @see [Notebook 03 §7 What did it learn?](../../notebooks/03-training-pipeline.ipynb#7.-What-did-it-learn?)
 * @see [Notebook 04 §2 Activations and their derivatives](../../notebooks/04-mlp-maths.ipynb#2.-Activations-and-their-derivatives)
 * @see [Notebook 04 §3 Losses, and why the stable forms matter](../../notebooks/04-mlp-maths.ipynb#3.-Losses,-and-why-the-stable-forms-matter)
 * @see [Notebook 04 §6 Optimizers from scratch: SGD, momentum, Adam](../../notebooks/04-mlp-maths.ipynb#6.-Optimizers-from-scratch:-SGD,-momentum,-Adam)
 * @see [Notebook 04 §7 Fashion-MNIST](../../notebooks/04-mlp-maths.ipynb#7.-Fashion-MNIST)
 * @see [Notebook 04 §8 Training the MLP on Fashion-MNIST](../../notebooks/04-mlp-maths.ipynb#8.-Training-the-MLP-on-Fashion-MNIST)
 * @see [Notebook 04b §1 The data](../../notebooks/04b-cats-vs-dogs.ipynb#1.-The-data)
 * @see [Notebook 04b §2 Normalising each channel](../../notebooks/04b-cats-vs-dogs.ipynb#2.-Normalising-each-channel)
 * @see [Notebook 04b §3 A small ResNet](../../notebooks/04b-cats-vs-dogs.ipynb#3.-A-small-ResNet)
 * @see [Notebook 04b §4 Data augmentation](../../notebooks/04b-cats-vs-dogs.ipynb#4.-Data-augmentation)
 * @see [Notebook 04b §5 Four models, one split](../../notebooks/04b-cats-vs-dogs.ipynb#5.-Four-models,-one-split)
 * @see [Notebook 04b §6 Evaluation: ROC and AUC](../../notebooks/04b-cats-vs-dogs.ipynb#6.-Evaluation:-ROC-and-AUC)
 * @see [Notebook 05 §1 The data](../../notebooks/05-cifar10-cnn.ipynb#1.-The-data)
 * @see [Notebook 05 §2 The model](../../notebooks/05-cifar10-cnn.ipynb#2.-The-model)
 * @see [Notebook 05 §4 Evaluation](../../notebooks/05-cifar10-cnn.ipynb#4.-Evaluation)
 * @see [Notebook 06 §1 The data](../../notebooks/06-customer-service.ipynb#1.-The-data)
 * @see [Notebook 06 §5 Evaluation on the test split](../../notebooks/06-customer-service.ipynb#5.-Evaluation-on-the-test-split)
 * @see [Notebook 06b §2 From a file to pixels](../../notebooks/06b-own-images.ipynb#2.-From-a-file-to-pixels)
 * @see [Notebook 06b §3 Shrinking without aliasing](../../notebooks/06b-own-images.ipynb#3.-Shrinking-without-aliasing)
 * @see [Notebook 06b §4 Your images through the model](../../notebooks/06b-own-images.ipynb#4.-Your-images-through-the-model)
 * @see [Notebook 06b §5 A folder of images, and files that are not images](../../notebooks/06b-own-images.ipynb#5.-A-folder-of-images,-and-files-that-are-not-images)
 * @see [Notebook 06b §6 Your own images](../../notebooks/06b-own-images.ipynb#6.-Your-own-images)
 * @see [Notebook 06c §1 The data: keywords spoken by espeak-ng](../../notebooks/06c-voice-assistant.ipynb#1.-The-data:-keywords-spoken-by-espeak-ng)
 * @see [Notebook 06c §4 The model: the chapter-05 CNN on spectrograms](../../notebooks/06c-voice-assistant.ipynb#4.-The-model:-the-chapter-05-CNN-on-spectrograms)
 * @see [Notebook 06c §6 Closing the loop: a spoken answer](../../notebooks/06c-voice-assistant.ipynb#6.-Closing-the-loop:-a-spoken-answer)
 * @see [Notebook 07 §2 The experiment: one CNN family, four widths, four training-set sizes](../../notebooks/07-outlook.ipynb#2.-The-experiment:-one-CNN-family,-four-widths,-four-training-set-sizes)
 * @see [Notebook 08 §1 The references](../../notebooks/08-tools-and-resources.ipynb#1.-The-references)
 * @see [Notebook 08 §3 The source's stack and the course's](../../notebooks/08-tools-and-resources.ipynb#3.-The-source's-stack-and-the-course's)
 * @see [Notebook 09 §5 What the budget costs on the machines of chapter 01](../../notebooks/09-summary-and-challenges.ipynb#5.-What-the-budget-costs-on-the-machines-of-chapter-01)
 * @see [Notebook 10 §5 The backends side by side](../../notebooks/10-questions-and-efficiency.ipynb#5.-The-backends-side-by-side)
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
 * One output in several formats, keyed by MIME type; the frontend shows the
 * richest one it can render (e.g. JupyterLab with the plotly extension draws
 * `application/vnd.plotly.v1+json`, a viewer without it shows `text/html`, a
 * terminal `text/plain`). Text types (`text/…`, `image/svg+xml`) take strings;
 * JSON types (`application/json`, `application/…+json`) take the object
 * itself, not a JSON string.
 */
export type MimeBundle = Record<string, unknown>;

/** Throws unless `bundle` is a non-empty MIME bundle with strings for its text types. */
function checkBundle(fn: string, bundle: unknown): asserts bundle is MimeBundle {
  if (bundle == null || typeof bundle !== 'object' || Array.isArray(bundle)) throw new ArgumentError(`${fn}: bundle must be an object keyed by MIME type, got ${describe(bundle)}`);
  const keys = Object.keys(bundle);
  if (keys.length === 0) throw new ArgumentError(`${fn}: bundle must have at least one MIME type, got an empty object`);
  for (const k of keys) {
    const v = (bundle as MimeBundle)[k];
    if (!/^[\w.+-]+\/[\w.+-]+$/.test(k)) throw new ArgumentError(`${fn}: bundle key must be a MIME type like 'text/html', got ${describe(k)}`);
    if ((k.startsWith('text/') || k === 'image/svg+xml') && typeof v !== 'string') throw new ArgumentError(`${fn}: bundle['${k}'] must be a string, got ${describe(v)}`);
    if (v === undefined) throw new ArgumentError(`${fn}: bundle['${k}'] is undefined`);
  }
}

/** Sends a `display_data` (or, with `update`, an `update_display_data`) message from the running cell. */
function sendDisplay(k: Kernel, data: MimeBundle, displayId: string | undefined, update: boolean): void {
  const write = k.jupyter.lastWriteDisplayData;
  if (write == null) throw new Error('tslab kernel not ready: no cell is running');
  write({ data, metadata: {}, transient: displayId ? { display_id: displayId } : {} }, update);
}

/** Prints `bundle['text/plain']` when it is a non-empty string. */
function printPlain(bundle: MimeBundle): void {
  const t = bundle['text/plain'];
  if (typeof t === 'string' && t) console.log(t);
}

/**
 * Shows one output with several representations (see {@link MimeBundle}) in
 * the notebook: one Jupyter `display_data` message, sent through the running
 * tslab kernel. Outside a notebook prints the bundle's `text/plain`, if any.
 * @param bundle - MIME type → content, e.g. `{ 'application/vnd.plotly.v1+json': { data, layout }, 'text/html': '<img …>', 'text/plain': 'a chart' }`.
 * @throws {ArgumentError} when `bundle` is not an object with at least one
 *   MIME-type key, or a text type's value is not a string.
 * @example
 * ```ts
 * showBundle({ 'text/html': '<b>hi</b>', 'text/plain': 'hi' }); // undefined (outside a notebook it prints hi)
 * showBundle({ html: '<b>hi</b>' }); // throws ArgumentError: showBundle: bundle key must be a MIME type like 'text/html', got string "html"
 * ```
 */
export function showBundle(bundle: MimeBundle): void {
  checkBundle('showBundle', bundle);
  const k = kernel();
  if (k) sendDisplay(k, bundle, undefined, false);
  else printPlain(bundle);
}

/** An output that is replaced in place by each {@link LiveBundle.update}; see {@link liveBundle}. */
export interface LiveBundle {
  /** The output's Jupyter `display_id` (`''` outside a notebook). */
  readonly displayId: string;
  /**
   * Replaces the output's content with `bundle`: the first call creates the
   * output (`display_data`), later ones replace it (`update_display_data`, so
   * the saved notebook keeps only the last one).
   */
  update(bundle: MimeBundle): void;
}

/**
 * Creates one notebook output that is updated in place, each update a whole
 * {@link MimeBundle} (tslab's `newDisplay()` can update only one MIME type).
 * The output gets a fresh `display_id`; an update sent from a later cell still
 * replaces it. Outside a notebook, each update prints its `text/plain` only
 * when `printText` is true.
 * @param printText - outside a notebook, print each update's `text/plain`. @default false
 * @throws {ArgumentError} from `update`, for a bundle {@link showBundle} would reject.
 * @example
 * ```ts
 * const out = liveBundle();
 * out.update({ 'text/html': '<p>epoch 1</p>', 'text/plain': 'epoch 1' }); // undefined (prints nothing outside a notebook)
 * out.displayId; // '' (outside a notebook)
 * ```
 */
export function liveBundle(printText = false): LiveBundle {
  const k = kernel();
  if (!k) {
    return {
      displayId: '',
      update: (bundle) => {
        checkBundle('liveBundle', bundle);
        if (printText) printPlain(bundle);
      },
    };
  }
  const displayId = `dlc-${randomBytes(8).toString('hex')}`;
  let sent = false;
  return {
    displayId,
    update: (bundle) => {
      checkBundle('liveBundle', bundle);
      sendDisplay(k, bundle, displayId, sent);
      sent = true;
    },
  };
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
