/**
 * The course's standard charts as plotly figures (training history, confusion
 * matrix, bar chart) and static HTML (image grids as PNG, tables), which
 * render without scripts.
 */
import { PNG } from 'pngjs';
import { ArgumentError, checkInteger, describe } from '../core/errors';
import type { EpochRecord } from '../core/history';
import { escapeHtml } from '../core/notebook';
import type { Figure } from './figure';

/**
 * Loss and accuracy per epoch, train and validation, side by side.
 * @example
 * ```ts
 * historyFigure([{ epoch: 1, loss: 2, accuracy: 0.3 }]).data.length; // 2
 * // Legend: one entry per set, in one colour each (loss on the left panel, accuracy on the right):
 * historyFigure([{ epoch: 1, loss: 2, accuracy: 0.3, valLoss: 2.1, valAccuracy: 0.25 }]).data.filter((t) => t.showlegend).map((t) => t.name); // ['train', 'validation']
 * ```
 * @see [Notebook 03 §6 The loop, with metrics](../../notebooks/03-training-pipeline.ipynb#6.-The-loop,-with-metrics)
 * @see [Notebook 03 §9 The pros and cons, measured](../../notebooks/03-training-pipeline.ipynb#9.-The-pros-and-cons,-measured)
 * @see [Notebook 06c §5 Training, and the held-out voices](../../notebooks/06c-voice-assistant.ipynb#5.-Training,-and-the-held-out-voices)
 */
export function historyFigure(history: EpochRecord[], title = 'Training history'): Figure {
  if (!Array.isArray(history)) throw new ArgumentError(`historyFigure: history must be an array of epoch records, got ${describe(history)}`);
  const x = history.map((h) => h.epoch);
  // One legend entry per set (train, validation), one colour each; the two panels say which metric.
  // A single epoch is a point per series: draw it as a visible marker with its value.
  const single = history.length === 1;
  const series = (name: string, color: string, y: (number | null)[], axes: 2 | 1) => ({
    x,
    y,
    name,
    legendgroup: name,
    showlegend: axes === 1,
    mode: single ? 'markers+text' : 'lines+markers',
    ...(single ? { text: y.map((v) => (v === null ? '' : v.toFixed(3))), textposition: 'top center', marker: { size: 10, color } } : {}),
    xaxis: axes === 1 ? 'x' : 'x2',
    yaxis: axes === 1 ? 'y' : 'y2',
    line: { color },
  });
  const data: Record<string, unknown>[] = [
    series('train', '#1f77b4', history.map((h) => h.loss), 1),
    series('train', '#1f77b4', history.map((h) => h.accuracy), 2),
  ];
  if (history.some((h) => h.valLoss !== undefined)) {
    data.push(series('validation', '#ff7f0e', history.map((h) => h.valLoss ?? null), 1), series('validation', '#ff7f0e', history.map((h) => h.valAccuracy ?? null), 2));
  }
  return {
    data,
    layout: {
      title: { text: title },
      grid: { rows: 1, columns: 2, pattern: 'independent' },
      xaxis: { title: { text: 'epoch' }, dtick: 1 },
      yaxis: { title: { text: 'cross-entropy loss' } },
      xaxis2: { title: { text: 'epoch' }, dtick: 1 },
      yaxis2: { title: { text: 'accuracy' }, range: [0, 1] },
      margin: { t: 50, b: 50 },
    },
  };
}

/**
 * A confusion matrix as a heatmap (rows: true class, columns: predicted class).
 * @param matrix - `[numClasses, numClasses]` counts.
 * @example
 * ```ts
 * confusionMatrixFigure([[1, 0], [1, 1]], ['cat', 'dog']).data[0].type; // 'heatmap'
 * ```
 * @see [Notebook 03 §7 What did it learn?](../../notebooks/03-training-pipeline.ipynb#7.-What-did-it-learn?)
 * @see [Notebook 04 §8 Training the MLP on Fashion-MNIST](../../notebooks/04-mlp-maths.ipynb#8.-Training-the-MLP-on-Fashion-MNIST)
 * @see [Notebook 05 §4 Evaluation](../../notebooks/05-cifar10-cnn.ipynb#4.-Evaluation)
 * @see [Notebook 06 §5 Evaluation on the test split](../../notebooks/06-customer-service.ipynb#5.-Evaluation-on-the-test-split)
 * @see [Notebook 06c §5 Training, and the held-out voices](../../notebooks/06c-voice-assistant.ipynb#5.-Training,-and-the-held-out-voices)
 */
export function confusionMatrixFigure(matrix: number[][], classNames: readonly string[], title = 'Confusion matrix'): Figure {
  checkSquare('confusionMatrixFigure', matrix, classNames);
  return {
    data: [
      {
        type: 'heatmap',
        z: matrix,
        x: [...classNames],
        y: [...classNames],
        colorscale: 'Blues',
        reversescale: true, // plotly's Blues runs dark to light; high counts should be dark
        text: matrix.map((row) => row.map(String)),
        texttemplate: '%{text}',
        hovertemplate: 'true %{y}, predicted %{x}: %{z}<extra></extra>',
      },
    ],
    layout: {
      title: { text: title },
      // automargin: plotly.js makes room for the class names, so the axis titles do not overlap them.
      xaxis: { title: { text: 'predicted class' }, automargin: true },
      yaxis: { title: { text: 'true class' }, autorange: 'reversed', automargin: true },
      margin: { l: 100, b: 100 },
    },
  };
}

function checkSquare(fn: string, matrix: number[][], classNames: readonly string[]): void {
  if (!Array.isArray(matrix) || matrix.some((r) => !Array.isArray(r) || r.length !== matrix.length)) {
    throw new ArgumentError(`${fn}: matrix must be square [numClasses, numClasses], got ${describe(matrix)}`);
  }
  if (classNames.length !== matrix.length) {
    throw new ArgumentError(`${fn}: classNames has ${classNames.length} names but matrix is ${matrix.length}x${matrix.length}`);
  }
}

/**
 * The confusion matrix as an HTML table (renders without scripts).
 * @example
 * ```ts
 * confusionMatrixTable([[1, 0], [1, 1]], ['cat', 'dog']).startsWith('<table'); // true
 * ```
 * @see [Notebook 03 §7 What did it learn?](../../notebooks/03-training-pipeline.ipynb#7.-What-did-it-learn?)
 * @see [Notebook 04b §6 Evaluation: ROC and AUC](../../notebooks/04b-cats-vs-dogs.ipynb#6.-Evaluation:-ROC-and-AUC)
 * @see [Notebook 05 §4 Evaluation](../../notebooks/05-cifar10-cnn.ipynb#4.-Evaluation)
 * @see [Notebook 06 §5 Evaluation on the test split](../../notebooks/06-customer-service.ipynb#5.-Evaluation-on-the-test-split)
 * @see [Notebook 06c §5 Training, and the held-out voices](../../notebooks/06c-voice-assistant.ipynb#5.-Training,-and-the-held-out-voices)
 */
export function confusionMatrixTable(matrix: number[][], classNames: readonly string[]): string {
  checkSquare('confusionMatrixTable', matrix, classNames);
  const head = `<tr><th>true \\ predicted</th>${classNames.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr>`;
  const rows = matrix
    .map((row, t) => `<tr><th>${escapeHtml(classNames[t])}</th>${row.map((v, p) => `<td style="${t === p ? 'font-weight:bold;background:#e8f0fe' : ''}">${v}</td>`).join('')}</tr>`)
    .join('');
  return `<table>${head}${rows}</table>`;
}

/**
 * A bar chart.
 * @example
 * ```ts
 * barFigure(['a', 'b'], [1, 2], 'counts').data[0].type; // 'bar'
 * ```
 * @see [Notebook 03 §2 Minibatches](../../notebooks/03-training-pipeline.ipynb#2.-Minibatches)
 * @see [Notebook 05 §1 The data](../../notebooks/05-cifar10-cnn.ipynb#1.-The-data)
 * @see [Notebook 05 §2 The model](../../notebooks/05-cifar10-cnn.ipynb#2.-The-model)
 * @see [Notebook 06 §2 Tokens and a vocabulary](../../notebooks/06-customer-service.ipynb#2.-Tokens-and-a-vocabulary)
 * @see [Notebook 06b §1 The model](../../notebooks/06b-own-images.ipynb#1.-The-model)
 * @see [Notebook 06c §5 Training, and the held-out voices](../../notebooks/06c-voice-assistant.ipynb#5.-Training,-and-the-held-out-voices)
 * @see [Notebook 08 §3 The source's stack and the course's](../../notebooks/08-tools-and-resources.ipynb#3.-The-source's-stack-and-the-course's)
 * @see [Notebook 10 §2 Data-parallel training, for real](../../notebooks/10-questions-and-efficiency.ipynb#2.-Data-parallel-training,-for-real)
 * @see [Notebook 10 §3 The data pipeline: prefetching](../../notebooks/10-questions-and-efficiency.ipynb#3.-The-data-pipeline:-prefetching)
 */
export function barFigure(labels: readonly string[], values: readonly number[], title: string, yTitle = ''): Figure {
  if (labels.length !== values.length) throw new ArgumentError(`barFigure: labels has ${labels.length} entries but values has ${values.length}`);
  return {
    data: [{ type: 'bar', x: [...labels], y: [...values], text: values.map((v) => v.toLocaleString('en-US')), textposition: 'auto' }],
    layout: { title: { text: title }, xaxis: { automargin: true }, yaxis: { title: { text: yTitle }, automargin: true } },
  };
}

/**
 * Encodes one NHWC uint8 image as PNG, scaled up by an integer factor (nearest neighbour).
 * @param pixels - `[n, height, width, channels]` uint8 (channels 1 or 3), row-major.
 * @param index - which image.
 * @returns PNG file bytes.
 * @example
 * ```ts
 * imagePng(new Uint8Array(2 * 2 * 3), 1, 2, 2, 3, 0).subarray(1, 4).toString(); // 'PNG'
 * ```
 */
export function imagePng(pixels: Uint8Array, n: number, height: number, width: number, channels: number, index: number, scale = 1): Buffer {
  const fn = 'imagePng';
  checkInteger(fn, 'index', index, 0, n - 1);
  checkInteger(fn, 'scale', scale, 1, 16);
  if (channels !== 1 && channels !== 3) throw new ArgumentError(`${fn}: channels must be 1 or 3, got ${describe(channels)}`);
  if (pixels.length !== n * height * width * channels) {
    throw new ArgumentError(`${fn}: pixels has ${pixels.length} values but [n, height, width, channels] = [${n}, ${height}, ${width}, ${channels}] needs ${n * height * width * channels}`);
  }
  const png = new PNG({ width: width * scale, height: height * scale });
  const base = index * height * width * channels;
  for (let y = 0; y < height * scale; y++) {
    for (let x = 0; x < width * scale; x++) {
      const src = base + (Math.floor(y / scale) * width + Math.floor(x / scale)) * channels;
      const dst = (y * width * scale + x) * 4;
      png.data[dst] = pixels[src];
      png.data[dst + 1] = pixels[src + (channels === 3 ? 1 : 0)];
      png.data[dst + 2] = pixels[src + (channels === 3 ? 2 : 0)];
      png.data[dst + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

/** One cell of {@link imageGridHtml}. */
export interface GridItem {
  /** Index of the image in `pixels`. */
  index: number;
  /** Caption under the image, e.g. the class name. */
  caption: string;
  /** Colour of the caption (CSS), e.g. red for a mistake. @default 'inherit' */
  color?: string;
}

/**
 * An image grid as HTML with PNG data URIs and captions (renders without scripts).
 * For a big batch, see `imageGrid`, which shows a sample.
 * @param pixels - `[n, height, width, channels]` uint8 NHWC.
 * @param columns - most images per row (fewer where the output is narrower). @default 10
 * @param scale - integer zoom of each image. @default 3
 * @example
 * ```ts
 * imageGridHtml(new Uint8Array(32 * 32 * 3), [1, 32, 32, 3], [{ index: 0, caption: 'cat' }]).includes('data:image/png;base64,'); // true
 * ```
 */
export function imageGridHtml(pixels: Uint8Array, shape: [number, number, number, number], items: GridItem[], columns = 10, scale = 3): string {
  const [n, h, w, c] = shape;
  const cells = items
    .map((it) => {
      const b64 = imagePng(pixels, n, h, w, c, it.index, scale).toString('base64');
      return `<figure style="margin:4px;text-align:center"><img src="data:image/png;base64,${b64}" width="${w * scale}" height="${h * scale}" style="image-rendering:pixelated" alt="${escapeHtml(it.caption)}"/><figcaption style="font-size:11px;color:${it.color ?? 'inherit'}">${escapeHtml(it.caption)}</figcaption></figure>`;
    })
    .join('');
  // Wraps on narrow outputs (at most `columns` per row), instead of overflowing to the right.
  return `<div style="display:flex;flex-wrap:wrap;gap:2px;max-width:${columns * (w * scale + 10)}px">${cells}</div>`;
}

/**
 * A plain HTML table (renders without scripts).
 * @example
 * ```ts
 * tableHtml(['layer', 'params'], [['conv1', 896]]); // '<table><tr><th>layer</th><th>params</th></tr><tr><td>conv1</td><td>896</td></tr></table>'
 * ```
 * @see [Notebook 00 §1 Is everything installed?](../../notebooks/00-getting-started.ipynb#1.-Is-everything-installed?)
 * @see [Notebook 00 §2 How a tslab notebook works](../../notebooks/00-getting-started.ipynb#2.-How-a-tslab-notebook-works)
 * @see [Notebook 01 §1 A large model is a Transformer with many parameters](../../notebooks/01-background.ipynb#1.-A-large-model-is-a-Transformer-with-many-parameters)
 * @see [Notebook 01 §2 The small end: the CNN of chapter 05](../../notebooks/01-background.ipynb#2.-The-small-end:-the-CNN-of-chapter-05)
 * @see [Notebook 01 §4 Memory: holding a model, and training it](../../notebooks/01-background.ipynb#4.-Memory:-holding-a-model,-and-training-it)
 * @see [Notebook 01 §6 Model sizes over time](../../notebooks/01-background.ipynb#6.-Model-sizes-over-time)
 * @see [Notebook 02 §1 Three processes, as the source draws them](../../notebooks/02-core-concepts.ipynb#1.-Three-processes,-as-the-source-draws-them)
 * @see [Notebook 04 §2 Activations and their derivatives](../../notebooks/04-mlp-maths.ipynb#2.-Activations-and-their-derivatives)
 * @see [Notebook 04 §3 Losses, and why the stable forms matter](../../notebooks/04-mlp-maths.ipynb#3.-Losses,-and-why-the-stable-forms-matter)
 * @see [Notebook 04 §6 Optimizers from scratch: SGD, momentum, Adam](../../notebooks/04-mlp-maths.ipynb#6.-Optimizers-from-scratch:-SGD,-momentum,-Adam)
 * @see [Notebook 04 §8 Training the MLP on Fashion-MNIST](../../notebooks/04-mlp-maths.ipynb#8.-Training-the-MLP-on-Fashion-MNIST)
 * @see [Notebook 04b §1 The data](../../notebooks/04b-cats-vs-dogs.ipynb#1.-The-data)
 * @see [Notebook 04b §2 Normalising each channel](../../notebooks/04b-cats-vs-dogs.ipynb#2.-Normalising-each-channel)
 * @see [Notebook 04b §3 A small ResNet](../../notebooks/04b-cats-vs-dogs.ipynb#3.-A-small-ResNet)
 * @see [Notebook 04b §5 Four models, one split](../../notebooks/04b-cats-vs-dogs.ipynb#5.-Four-models,-one-split)
 * @see [Notebook 05 §2 The model](../../notebooks/05-cifar10-cnn.ipynb#2.-The-model)
 * @see [Notebook 06 §1 The data](../../notebooks/06-customer-service.ipynb#1.-The-data)
 * @see [Notebook 06 §5 Evaluation on the test split](../../notebooks/06-customer-service.ipynb#5.-Evaluation-on-the-test-split)
 * @see [Notebook 06b §2 From a file to pixels](../../notebooks/06b-own-images.ipynb#2.-From-a-file-to-pixels)
 * @see [Notebook 06b §5 A folder of images, and files that are not images](../../notebooks/06b-own-images.ipynb#5.-A-folder-of-images,-and-files-that-are-not-images)
 * @see [Notebook 06c §1 The data: keywords spoken by espeak-ng](../../notebooks/06c-voice-assistant.ipynb#1.-The-data:-keywords-spoken-by-espeak-ng)
 * @see [Notebook 06c §4 The model: the chapter-05 CNN on spectrograms](../../notebooks/06c-voice-assistant.ipynb#4.-The-model:-the-chapter-05-CNN-on-spectrograms)
 * @see [Notebook 07 §2 The experiment: one CNN family, four widths, four training-set sizes](../../notebooks/07-outlook.ipynb#2.-The-experiment:-one-CNN-family,-four-widths,-four-training-set-sizes)
 * @see [Notebook 08 §1 The references](../../notebooks/08-tools-and-resources.ipynb#1.-The-references)
 * @see [Notebook 08 §3 The source's stack and the course's](../../notebooks/08-tools-and-resources.ipynb#3.-The-source's-stack-and-the-course's)
 * @see [Notebook 09 §5 What the budget costs on the machines of chapter 01](../../notebooks/09-summary-and-challenges.ipynb#5.-What-the-budget-costs-on-the-machines-of-chapter-01)
 * @see [Notebook 10 §5 The backends side by side](../../notebooks/10-questions-and-efficiency.ipynb#5.-The-backends-side-by-side)
 */
export function tableHtml(headers: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  const cell = (v: string | number, tag: string) => `<${tag}>${escapeHtml(typeof v === 'number' ? v.toLocaleString('en-US') : v)}</${tag}>`;
  return `<table><tr>${headers.map((h) => cell(h, 'th')).join('')}</tr>${rows.map((r) => `<tr>${r.map((v) => cell(v, 'td')).join('')}</tr>`).join('')}</table>`;
}
