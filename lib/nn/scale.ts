/**
 * What a large model is, by the numbers: parameter counts of Transformer
 * language models from their hyperparameters (Vaswani et al. 2017, "Attention
 * Is All You Need"), the compute of training (≈ 6·N·D) and inference (≈ 2·N per
 * token) after Kaplan et al. 2020 ("Scaling Laws for Neural Language Models",
 * §2.1), the memory to hold and train a model, and published model sizes.
 */
import { ArgumentError, checkInteger, checkPositive, describe } from '../core/errors';

/**
 * Hyperparameters of a Transformer encoder (BERT) or decoder (GPT) stack with
 * learned position embeddings, as the papers' tables give them.
 */
export interface TransformerConfig {
  /** Transformer blocks (`L`, `n_layers`). */
  layers: number;
  /** Width of the residual stream (`d_model`, BERT's `H`). */
  dModel: number;
  /** Attention heads (`A`, `n_heads`); must divide `dModel`. It does not change the count: the heads split `dModel`. */
  heads: number;
  /** Hidden units of each block's MLP (`d_ff`; 4·`dModel` in all models here). */
  dFF: number;
  /** Tokens in the vocabulary (`V`). */
  vocabSize: number;
  /** Positions with a learned embedding (the context length, `n_ctx`). */
  maxPositions: number;
  /** Segment (token-type) embeddings: BERT's sentence A / B. @default 0 */
  segments?: number;
  /** A layer norm right after the embeddings (BERT). @default false */
  embeddingLayerNorm?: boolean;
  /** A layer norm after the last block (GPT-2, GPT-3). @default false */
  finalLayerNorm?: boolean;
  /** BERT's pooler: a dense `dModel → dModel` layer on the first token, counted in BERT's published sizes. @default false */
  pooler?: boolean;
}

/**
 * Parameters of a Transformer by part, from {@link transformerParameterCount}. The output layer shares the token embedding (tied weights), so it adds none.
 * @see [Notebook 01 §1 A large model is a Transformer with many parameters](../../notebooks/01-background.ipynb#1.-A-large-model-is-a-Transformer-with-many-parameters)
 */
export interface TransformerParameterCount {
  /** Token, position and segment embeddings: `(V + P + S)·d`. */
  embeddings: number;
  /** All blocks' attention: query, key, value and output projections with biases, `L·(4d² + 4d)`. */
  attention: number;
  /** All blocks' MLPs: `L·(2·d·d_ff + d_ff + d)`. */
  mlp: number;
  /** Every layer norm's gain and bias (`2d` each): two per block, plus the embedding and final ones if present. */
  layerNorms: number;
  /** BERT's pooler, `d² + d` (0 without one). */
  pooler: number;
  /** The sum of the parts. */
  total: number;
}

/**
 * Counts the parameters of a Transformer from its hyperparameters:
 *
 * N = (V + P + S)·d + L·(4d² + 4d + 2·d·d_ff + d_ff + d + 4d) + n_extra·2d + pooler,
 *
 * which is L·(12d² + 13d) for the blocks when d_ff = 4d. Each block has the
 * query, key, value and output projections (`d×d` weights and `d` biases each),
 * an MLP `d → d_ff → d` with biases, and two layer norms (a gain and a bias of
 * `d` each). Vaswani et al. 2017 §3; BERT: Devlin et al. 2019 §3; GPT-2:
 * Radford et al. 2019 §2.3; GPT-3: Brown et al. 2020 §2.1.
 * @param config - the hyperparameters (integers ≥ 1; `segments` ≥ 0).
 * @returns the count by part and in total (numbers of parameters).
 * @throws {ArgumentError} when a hyperparameter is not a positive integer, or `heads` does not divide `dModel`.
 * @example
 * ```ts
 * const tiny = { layers: 1, dModel: 2, heads: 1, dFF: 8, vocabSize: 10, maxPositions: 4 };
 * transformerParameterCount(tiny); // { embeddings: 28, attention: 24, mlp: 42, layerNorms: 8, pooler: 0, total: 102 }
 * transformerParameterCount(PUBLISHED_TRANSFORMERS['BERT-base'].config).total; // 109482240
 * transformerParameterCount({ ...tiny, heads: 3 }); // throws ArgumentError: transformerParameterCount: config.heads (3) must divide config.dModel (2)
 * ```
 * @see [Notebook 01 §1 A large model is a Transformer with many parameters](../../notebooks/01-background.ipynb#1.-A-large-model-is-a-Transformer-with-many-parameters)
 * @see [Notebook 01 §4 Memory: holding a model, and training it](../../notebooks/01-background.ipynb#4.-Memory:-holding-a-model,-and-training-it)
 * @see [Notebook 01 §Exercises](../../notebooks/01-background.ipynb#Exercises)
 */
export function transformerParameterCount(config: TransformerConfig): TransformerParameterCount {
  const fn = 'transformerParameterCount';
  if (config === null || typeof config !== 'object') throw new ArgumentError(`${fn}: config must be an object of hyperparameters, got ${describe(config)}`);
  const L = checkInteger(fn, 'config.layers', config.layers, 1);
  const d = checkInteger(fn, 'config.dModel', config.dModel, 1);
  const heads = checkInteger(fn, 'config.heads', config.heads, 1);
  const dFF = checkInteger(fn, 'config.dFF', config.dFF, 1);
  const V = checkInteger(fn, 'config.vocabSize', config.vocabSize, 1);
  const P = checkInteger(fn, 'config.maxPositions', config.maxPositions, 1);
  const S = checkInteger(fn, 'config.segments', config.segments ?? 0, 0);
  if (d % heads !== 0) throw new ArgumentError(`${fn}: config.heads (${heads}) must divide config.dModel (${d})`);
  const embeddings = (V + P + S) * d;
  const attention = L * (4 * d * d + 4 * d); // W_Q, W_K, W_V, W_O and their biases
  const mlp = L * (d * dFF + dFF + dFF * d + d); // d → d_ff → d, with biases
  const norms = 2 * L + (config.embeddingLayerNorm ? 1 : 0) + (config.finalLayerNorm ? 1 : 0);
  const layerNorms = norms * 2 * d; // gain and bias
  const pooler = config.pooler ? d * d + d : 0;
  return { embeddings, attention, mlp, layerNorms, pooler, total: embeddings + attention + mlp + layerNorms + pooler };
}

/** A model as its paper describes it: hyperparameters, the published parameter count and where it is published. */
export interface PublishedTransformer {
  /** The model's name, e.g. `'BERT-base'`. */
  name: string;
  /** Year of the paper cited in `source`. */
  year: number;
  /** The hyperparameters. */
  config: TransformerConfig;
  /** The parameter count the source states. */
  publishedParameters: number;
  /** Paper and place (section, table) of the hyperparameters and the count. */
  source: string;
}

/**
 * Names of {@link PUBLISHED_TRANSFORMERS}.
 * @see [Notebook 01 §1 A large model is a Transformer with many parameters](../../notebooks/01-background.ipynb#1.-A-large-model-is-a-Transformer-with-many-parameters)
 */
export type PublishedTransformerName = 'BERT-base' | 'BERT-large' | 'GPT-2 small' | 'GPT-2 XL' | 'GPT-3 175B';

const BERT = { vocabSize: 30522, maxPositions: 512, segments: 2, embeddingLayerNorm: true, pooler: true } as const;
const GPT = { vocabSize: 50257, finalLayerNorm: true } as const;

/**
 * Five Transformer language models with their published hyperparameters and
 * parameter counts. BERT's vocabulary is the 30,522 WordPieces of the released
 * `vocab.txt` (the paper rounds it to 30,000); GPT-2 and GPT-3 use the 50,257
 * byte-level BPE tokens of GPT-2 (Radford et al. 2019 §2.2). GPT-2 small's
 * count is that of the released checkpoint (`124M` in openai/gpt-2's
 * `download_model.py`); the paper's Table 2 says 117M, a figure OpenAI later
 * corrected.
 * @example
 * ```ts
 * PUBLISHED_TRANSFORMERS['GPT-3 175B'].config.dModel; // 12288
 * Object.keys(PUBLISHED_TRANSFORMERS).length; // 5
 * ```
 * @see [Notebook 01 §1 A large model is a Transformer with many parameters](../../notebooks/01-background.ipynb#1.-A-large-model-is-a-Transformer-with-many-parameters)
 * @see [Notebook 01 §4 Memory: holding a model, and training it](../../notebooks/01-background.ipynb#4.-Memory:-holding-a-model,-and-training-it)
 */
export const PUBLISHED_TRANSFORMERS: Readonly<Record<PublishedTransformerName, PublishedTransformer>> = Object.freeze({
  'BERT-base': {
    name: 'BERT-base',
    year: 2019,
    config: { ...BERT, layers: 12, dModel: 768, heads: 12, dFF: 3072 },
    publishedParameters: 110e6,
    source: 'Devlin et al. 2019, BERT, §3 (L=12, H=768, A=12, 110M); feed-forward 4H',
  },
  'BERT-large': {
    name: 'BERT-large',
    year: 2019,
    config: { ...BERT, layers: 24, dModel: 1024, heads: 16, dFF: 4096 },
    publishedParameters: 340e6,
    source: 'Devlin et al. 2019, BERT, §3 (L=24, H=1024, A=16, 340M); feed-forward 4H',
  },
  'GPT-2 small': {
    name: 'GPT-2 small',
    year: 2019,
    config: { ...GPT, layers: 12, dModel: 768, heads: 12, dFF: 3072, maxPositions: 1024 },
    publishedParameters: 124e6,
    source: 'Radford et al. 2019, GPT-2, §2.3 and Table 2 (12 layers, d_model 768); count of the released checkpoint (openai/gpt-2: 124M)',
  },
  'GPT-2 XL': {
    name: 'GPT-2 XL',
    year: 2019,
    config: { ...GPT, layers: 48, dModel: 1600, heads: 25, dFF: 6400, maxPositions: 1024 },
    publishedParameters: 1542e6,
    source: 'Radford et al. 2019, GPT-2, §2.3 and Table 2 (48 layers, d_model 1600, 1542M; "1.5B" in the abstract)',
  },
  'GPT-3 175B': {
    name: 'GPT-3 175B',
    year: 2020,
    config: { ...GPT, layers: 96, dModel: 12288, heads: 96, dFF: 4 * 12288, maxPositions: 2048 },
    publishedParameters: 175e9,
    source: 'Brown et al. 2020, GPT-3, §2.1 and Table 2.1 (96 layers, d_model 12288, 96 heads, n_ctx 2048, d_ff = 4·d_model, 175.0B)',
  },
});

/**
 * Floating-point operations to train a model of `parameters` weights on
 * `tokens` tokens: C ≈ 6·N·D. Each token costs ≈ 2·N in the forward pass (one
 * multiply and one add per weight) and ≈ 4·N in the backward pass (gradients
 * with respect to activations and to weights), so training ≈ 3× the forward
 * pass. Kaplan et al. 2020 §2.1; Brown et al. 2020 Appendix D.
 * @param parameters - N, the number of parameters (> 0).
 * @param tokens - D, the number of training tokens (> 0).
 * @returns FLOPs (floating-point operations, not per second).
 * @throws {ArgumentError} when an argument is not a finite number > 0.
 * @example
 * ```ts
 * trainingFlops(175e9, 300e9) / 1e23; // 3.15 (GPT-3; Brown et al. 2020 Table D.1 publishes 3.14e23)
 * trainingFlops(0, 1); // throws ArgumentError: trainingFlops: parameters must be a finite number > 0, got number 0
 * ```
 * @see [Notebook 01 §3 Compute: training ≈ 6·N·D, inference ≈ 2·N per token](../../notebooks/01-background.ipynb#3.-Compute:-training-≈-6·N·D,-inference-≈-2·N-per-token)
 * @see [Notebook 07 §4 Compute-optimal: about 20 tokens per parameter](../../notebooks/07-outlook.ipynb#4.-Compute-optimal:-about-20-tokens-per-parameter)
 * @see [Notebook 09 §5 What the budget costs on the machines of chapter 01](../../notebooks/09-summary-and-challenges.ipynb#5.-What-the-budget-costs-on-the-machines-of-chapter-01)
 */
export function trainingFlops(parameters: number, tokens: number): number {
  const fn = 'trainingFlops';
  return 6 * checkPositive(fn, 'parameters', parameters) * checkPositive(fn, 'tokens', tokens);
}

/**
 * Floating-point operations to generate one token with a model of
 * `parameters` weights: ≈ 2·N (one multiply-add per weight; the attention over
 * the context adds 2·L·n_ctx·d, small next to N for these models). Kaplan et
 * al. 2020 §2.1.
 * @param parameters - N, the number of parameters (> 0).
 * @returns FLOPs per token.
 * @throws {ArgumentError} when `parameters` is not a finite number > 0.
 * @example
 * ```ts
 * inferenceFlopsPerToken(175e9) / 1e9; // 350 (GFLOP per token of GPT-3)
 * ```
 * @see [Notebook 01 §3 Compute: training ≈ 6·N·D, inference ≈ 2·N per token](../../notebooks/01-background.ipynb#3.-Compute:-training-≈-6·N·D,-inference-≈-2·N-per-token)
 */
export function inferenceFlopsPerToken(parameters: number): number {
  return 2 * checkPositive('inferenceFlopsPerToken', 'parameters', parameters);
}

/**
 * Bytes per stored number of each precision.
 * @example
 * ```ts
 * BYTES_PER_VALUE.bf16; // 2
 * ```
 * @see [Notebook 01 §4 Memory: holding a model, and training it](../../notebooks/01-background.ipynb#4.-Memory:-holding-a-model,-and-training-it)
 */
export const BYTES_PER_VALUE = Object.freeze({
  /** IEEE 754 single precision (float32). */
  fp32: 4,
  /** IEEE 754 half precision (float16): 5 exponent bits, 10 mantissa bits. */
  fp16: 2,
  /** bfloat16: float32's 8 exponent bits (its range), 7 mantissa bits. */
  bf16: 2,
  /** 8-bit integers, for quantised weights at inference. */
  int8: 1,
} as const);

/**
 * A precision of {@link BYTES_PER_VALUE}.
 * @see [Notebook 01 §4 Memory: holding a model, and training it](../../notebooks/01-background.ipynb#4.-Memory:-holding-a-model,-and-training-it)
 */
export type Precision = keyof typeof BYTES_PER_VALUE;

function checkPrecision(fn: string, arg: string, value: unknown): Precision {
  if (typeof value !== 'string' || !Object.prototype.hasOwnProperty.call(BYTES_PER_VALUE, value)) {
    throw new ArgumentError(`${fn}: ${arg} must be one of ${Object.keys(BYTES_PER_VALUE).join(', ')}, got ${describe(value)}`);
  }
  return value as Precision;
}

/** Memory to train with Adam, by part, in bytes, from {@link adamTrainingBytes}. */
export interface TrainingMemory {
  /** The weights. */
  weights: number;
  /** One gradient per weight. */
  gradients: number;
  /** Adam's state: the first and second moments m and v, plus the fp32 master weights in mixed precision. */
  optimizerState: number;
  /** The sum (activations, which grow with the minibatch, not included). */
  total: number;
}

/**
 * Bytes to store `parameters` numbers at a precision: N · bytes per value.
 * @param parameters - N (> 0).
 * @param precision - `'fp32'` (4 bytes), `'fp16'` or `'bf16'` (2), `'int8'` (1).
 * @returns bytes.
 * @throws {ArgumentError} when `parameters` is not > 0 or `precision` is not one of the four.
 * @example
 * ```ts
 * weightBytes(175e9, 'fp16') / 1e9; // 350 (GB to hold GPT-3 in fp16)
 * weightBytes(1, 'fp8'); // throws ArgumentError: weightBytes: precision must be one of fp32, fp16, bf16, int8, got string "fp8"
 * ```
 * @see [Notebook 01 §4 Memory: holding a model, and training it](../../notebooks/01-background.ipynb#4.-Memory:-holding-a-model,-and-training-it)
 */
export function weightBytes(parameters: number, precision: Precision): number {
  const fn = 'weightBytes';
  return checkPositive(fn, 'parameters', parameters) * BYTES_PER_VALUE[checkPrecision(fn, 'precision', precision)];
}

/**
 * Memory to train `parameters` weights with Adam, by part. With one precision
 * for everything, weights, gradients and the two moments take 4 values per
 * parameter. `'mixed'` is mixed-precision training as ZeRO describes it
 * (Rajbhandari et al. 2020, §3.1): fp16 weights and gradients (2 + 2 bytes)
 * and an fp32 copy of the weights, m and v (4 + 4 + 4 bytes), 16 bytes per
 * parameter. Activations are not included.
 * @param parameters - N (> 0).
 * @param precision - a {@link Precision}, or `'mixed'`.
 * @returns bytes by part and in total.
 * @throws {ArgumentError} when `parameters` is not > 0 or `precision` is unknown.
 * @example
 * ```ts
 * adamTrainingBytes(1e6, 'fp32'); // { weights: 4000000, gradients: 4000000, optimizerState: 8000000, total: 16000000 }
 * adamTrainingBytes(1.5e9, 'mixed').total / 1e9; // 24 (GPT-2 1.5B: "at least 24 GB", ZeRO §3.1)
 * ```
 * @see [Notebook 01 §4 Memory: holding a model, and training it](../../notebooks/01-background.ipynb#4.-Memory:-holding-a-model,-and-training-it)
 * @see [Notebook 01 §Exercises](../../notebooks/01-background.ipynb#Exercises)
 */
export function adamTrainingBytes(parameters: number, precision: Precision | 'mixed'): TrainingMemory {
  const fn = 'adamTrainingBytes';
  const N = checkPositive(fn, 'parameters', parameters);
  if (precision === 'mixed') return { weights: 2 * N, gradients: 2 * N, optimizerState: 12 * N, total: 16 * N };
  const b = BYTES_PER_VALUE[checkPrecision(fn, 'precision', precision)];
  return { weights: N * b, gradients: N * b, optimizerState: 2 * N * b, total: 4 * N * b };
}

/**
 * How many devices (GPUs) of `deviceBytes` memory each are needed just to
 * hold `bytes`, split evenly: ⌈bytes / deviceBytes⌉. A real run needs more
 * (activations, buffers, memory that cannot be split evenly).
 * @param bytes - memory to hold (> 0).
 * @param deviceBytes - memory of one device (> 0), e.g. `80e9` for an 80 GB GPU.
 * @returns an integer ≥ 1.
 * @throws {ArgumentError} when an argument is not a finite number > 0.
 * @example
 * ```ts
 * devicesToHold(350e9, 80e9); // 5 (GPT-3's fp16 weights on 80 GB GPUs)
 * devicesToHold(1, -80e9); // throws ArgumentError: devicesToHold: deviceBytes must be a finite number > 0, got number -80000000000
 * ```
 * @see [Notebook 01 §4 Memory: holding a model, and training it](../../notebooks/01-background.ipynb#4.-Memory:-holding-a-model,-and-training-it)
 * @see [Notebook 01 §Exercises](../../notebooks/01-background.ipynb#Exercises)
 */
export function devicesToHold(bytes: number, deviceBytes: number): number {
  const fn = 'devicesToHold';
  return Math.ceil(checkPositive(fn, 'bytes', bytes) / checkPositive(fn, 'deviceBytes', deviceBytes));
}

/**
 * One model's published size, for a chart of sizes over time.
 * @see [Notebook 01 §6 Model sizes over time](../../notebooks/01-background.ipynb#6.-Model-sizes-over-time)
 */
export interface PublishedModelSize {
  /** The model's name. */
  name: string;
  /** Year of the paper in `source`. */
  year: number;
  /** Parameters, as published. */
  parameters: number;
  /** What the model works on. */
  domain: 'vision' | 'language';
  /** Where the count is published (paper, section or table). */
  source: string;
}

/** A row of {@link PUBLISHED_MODEL_SIZES} from {@link PUBLISHED_TRANSFORMERS}, so each published count is written once. */
function fromTransformer(key: PublishedTransformerName, name: string = key): PublishedModelSize {
  const m = PUBLISHED_TRANSFORMERS[key];
  return { name, year: m.year, parameters: m.publishedParameters, domain: 'language', source: m.source };
}

/**
 * Published parameter counts of landmark models, 1998–2022, oldest first.
 * @example
 * ```ts
 * PUBLISHED_MODEL_SIZES[0].name; // 'LeNet-5'
 * PUBLISHED_MODEL_SIZES.find((m) => m.name === 'AlexNet').parameters; // 60000000
 * ```
 * @see [Notebook 01 §6 Model sizes over time](../../notebooks/01-background.ipynb#6.-Model-sizes-over-time)
 */
export const PUBLISHED_MODEL_SIZES: readonly PublishedModelSize[] = Object.freeze([
  { name: 'LeNet-5', year: 1998, parameters: 60e3, domain: 'vision', source: 'LeCun et al. 1998, Gradient-based learning applied to document recognition, §II.B ("60,000 trainable parameters")' },
  { name: 'AlexNet', year: 2012, parameters: 60e6, domain: 'vision', source: 'Krizhevsky et al. 2012, ImageNet classification with deep CNNs, abstract ("60 million parameters")' },
  { name: 'VGG-16', year: 2015, parameters: 138e6, domain: 'vision', source: 'Simonyan & Zisserman 2015, Very deep convolutional networks, Table 2 (138M)' },
  { name: 'ResNet-50', year: 2016, parameters: 25.6e6, domain: 'vision', source: 'He et al. 2016, Deep residual learning, Table 1; count 25,557,032 from torchvision resnet50' },
  { name: 'Transformer (base)', year: 2017, parameters: 65e6, domain: 'language', source: 'Vaswani et al. 2017, Attention is all you need, Table 3 (65M)' },
  { name: 'Transformer (big)', year: 2017, parameters: 213e6, domain: 'language', source: 'Vaswani et al. 2017, Attention is all you need, Table 3 (213M)' },
  fromTransformer('BERT-base'),
  fromTransformer('BERT-large'),
  fromTransformer('GPT-2 XL', 'GPT-2'),
  { name: 'T5-11B', year: 2020, parameters: 11e9, domain: 'language', source: 'Raffel et al. 2020, Exploring the limits of transfer learning (T5), §3.7 (11 billion)' },
  fromTransformer('GPT-3 175B', 'GPT-3'),
  { name: 'Chinchilla', year: 2022, parameters: 70e9, domain: 'language', source: 'Hoffmann et al. 2022, Training compute-optimal large language models, Table 1 (70B)' },
  { name: 'PaLM', year: 2022, parameters: 540e9, domain: 'language', source: 'Chowdhery et al. 2022, PaLM: scaling language modeling with pathways, Table 1 (540B)' },
]);
