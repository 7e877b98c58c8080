/**
 * lib/nn/scale.ts: Transformer parameter counts against the published counts,
 * the released checkpoints' counts, a hand count and a TF.js model of the same
 * shape; compute (6·N·D, 2·N) and memory against the papers that publish them.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ArgumentError,
  BYTES_PER_VALUE,
  PUBLISHED_MODEL_SIZES,
  PUBLISHED_TRANSFORMERS,
  adamTrainingBytes,
  devicesToHold,
  inferenceFlopsPerToken,
  layerCosts,
  trainingFlops,
  transformerParameterCount,
  weightBytes,
  type TransformerConfig,
} from '../../lib';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/**
 * A TF.js model with exactly the layers of a Transformer of this config (the
 * attention arithmetic itself has no parameters, so q, k, v are only summed
 * here): token, position and segment embeddings, per block the q, k, v and
 * output projections, the MLP and two layer norms, then the final layer norm
 * and BERT's pooler.
 */
function tfjsTransformer(c: TransformerConfig): tf.LayersModel {
  const T = 3; // sequence length: does not change the count
  const tokens = tf.input({ shape: [T], name: 'tokens' });
  const positions = tf.input({ shape: [T], name: 'positions' });
  const inputs = [tokens, positions];
  let parts = [tf.layers.embedding({ inputDim: c.vocabSize, outputDim: c.dModel }).apply(tokens), tf.layers.embedding({ inputDim: c.maxPositions, outputDim: c.dModel }).apply(positions)] as tf.SymbolicTensor[];
  if (c.segments) {
    const segments = tf.input({ shape: [T], name: 'segments' });
    inputs.push(segments);
    parts.push(tf.layers.embedding({ inputDim: c.segments, outputDim: c.dModel }).apply(segments) as tf.SymbolicTensor);
  }
  let x = tf.layers.add().apply(parts) as tf.SymbolicTensor; // [batch, T, d]
  if (c.embeddingLayerNorm) x = tf.layers.layerNormalization().apply(x) as tf.SymbolicTensor;
  for (let l = 0; l < c.layers; l++) {
    parts = ['q', 'k', 'v'].map(() => tf.layers.dense({ units: c.dModel }).apply(x) as tf.SymbolicTensor);
    const attended = tf.layers.dense({ units: c.dModel }).apply(tf.layers.add().apply(parts)) as tf.SymbolicTensor; // W_O
    x = tf.layers.layerNormalization().apply(tf.layers.add().apply([x, attended])) as tf.SymbolicTensor;
    const hidden = tf.layers.dense({ units: c.dFF, activation: 'relu' }).apply(x);
    x = tf.layers.layerNormalization().apply(tf.layers.add().apply([x, tf.layers.dense({ units: c.dModel }).apply(hidden) as tf.SymbolicTensor])) as tf.SymbolicTensor;
  }
  if (c.finalLayerNorm) x = tf.layers.layerNormalization().apply(x) as tf.SymbolicTensor;
  if (c.pooler) x = tf.layers.dense({ units: c.dModel, activation: 'tanh' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs, outputs: x });
}

describe('transformerParameterCount', () => {
  it.each(Object.values(PUBLISHED_TRANSFORMERS).map((m) => [m.name, m] as const))('%s is within 2% of its published count', (_, m) => {
    const n = transformerParameterCount(m.config).total;
    expect(Math.abs(n / m.publishedParameters - 1)).toBeLessThan(0.02);
  });

  it("equals the released checkpoints' counts (Hugging Face BertModel, GPT2Model)", () => {
    // Independent of the formula: model.num_parameters() of the released
    // checkpoints (without the tied output layer / MLM head).
    const count = (name: keyof typeof PUBLISHED_TRANSFORMERS) => transformerParameterCount(PUBLISHED_TRANSFORMERS[name].config).total;
    expect(count('BERT-base')).toBe(109_482_240); // bert-base-uncased
    expect(count('BERT-large')).toBe(335_141_888); // bert-large-uncased
    expect(count('GPT-2 small')).toBe(124_439_808); // gpt2
    expect(count('GPT-2 XL')).toBe(1_557_611_200); // gpt2-xl
    const gpt2 = PUBLISHED_TRANSFORMERS['GPT-2 small'].config;
    expect(transformerParameterCount({ ...gpt2, layers: 24, dModel: 1024, heads: 16, dFF: 4096 }).total).toBe(354_823_168); // gpt2-medium
    expect(transformerParameterCount({ ...gpt2, layers: 36, dModel: 1280, heads: 20, dFF: 5120 }).total).toBe(774_030_080); // gpt2-large
  });

  it('GPT-3 175B: 96 blocks of 12·d² + 13·d, as the formula with d_ff = 4d says', () => {
    const c = transformerParameterCount(PUBLISHED_TRANSFORMERS['GPT-3 175B'].config);
    const d = 12288;
    expect(c.attention + c.mlp + c.layerNorms - 2 * d).toBe(96 * (12 * d * d + 13 * d));
    expect(c.total).toBe(174_604_259_328);
  });

  it('matches a hand count of a tiny BERT-shaped config', () => {
    // V=7, P=5, S=2, d=4, d_ff=6, L=2, embedding LN, pooler:
    // embeddings (7+5+2)·4 = 56; attention per block 4·16+4·4 = 80; MLP 4·6+6+6·4+4 = 58;
    // layer norms (2·2+1)·8 = 40; pooler 16+4 = 20 → 56 + 160 + 116 + 40 + 20 = 392.
    const c = transformerParameterCount({ layers: 2, dModel: 4, heads: 2, dFF: 6, vocabSize: 7, maxPositions: 5, segments: 2, embeddingLayerNorm: true, pooler: true });
    expect(c).toEqual({ embeddings: 56, attention: 160, mlp: 116, layerNorms: 40, pooler: 20, total: 392 });
  });

  it.each([
    ['BERT-shaped', { layers: 2, dModel: 8, heads: 2, dFF: 32, vocabSize: 50, maxPositions: 16, segments: 2, embeddingLayerNorm: true, pooler: true }],
    ['GPT-shaped', { layers: 3, dModel: 6, heads: 3, dFF: 24, vocabSize: 40, maxPositions: 10, finalLayerNorm: true }],
  ] as Array<[string, TransformerConfig]>)("equals TF.js's countParams() of a %s model built from layers, and layerCosts' sum", (_, config) => {
    const model = tfjsTransformer(config);
    expect(transformerParameterCount(config).total).toBe(model.countParams());
    expect(layerCosts(model).reduce((s, r) => s + r.params, 0)).toBe(model.countParams());
    model.dispose();
  });

  it.each([
    [{ layers: 0, dModel: 2, heads: 1, dFF: 8, vocabSize: 10, maxPositions: 4 }, 'transformerParameterCount: config.layers must be an integer >= 1, got number 0'],
    [{ layers: 1, dModel: '768', heads: 1, dFF: 8, vocabSize: 10, maxPositions: 4 }, 'transformerParameterCount: config.dModel must be an integer >= 1, got string "768"'],
    [{ layers: 1, dModel: 10, heads: 3, dFF: 8, vocabSize: 10, maxPositions: 4 }, 'config.heads (3) must divide config.dModel (10)'],
    [{ layers: 1, dModel: 2, heads: 1, dFF: 8, vocabSize: 10, maxPositions: 4, segments: -1 }, 'config.segments must be an integer >= 0, got number -1'],
    [null, 'transformerParameterCount: config must be an object of hyperparameters, got null'],
  ])('rejects %j naming the argument', (config, says) => {
    expect(() => transformerParameterCount(config as unknown as TransformerConfig)).toThrow(ArgumentError);
    expect(() => transformerParameterCount(config as unknown as TransformerConfig)).toThrow(says);
  });
});

describe('compute', () => {
  it("trainingFlops: GPT-3's 175B parameters on 300B tokens is within 1% of the published 3.14e23 FLOPs", () => {
    // Brown et al. 2020, Table D.1: 3.64e3 petaflop/s-days = 3.14e23 FLOPs; 300B tokens: §2.2.
    expect(Math.abs(trainingFlops(175e9, 300e9) / 3.14e23 - 1)).toBeLessThan(0.01);
    expect(3.64e3 * 1e15 * 86400).toBeCloseTo(3.14e23, -21); // the paper's two units agree
    expect(trainingFlops(2, 3)).toBe(36);
  });
  it('inferenceFlopsPerToken is 2·N', () => {
    expect(inferenceFlopsPerToken(124e6)).toBe(248e6);
  });
  it.each([[0, 1, 'parameters'], [1, NaN, 'tokens'], [-5, 1, 'parameters']])('trainingFlops(%s, %s) names %s', (n, d, arg) => {
    expect(() => trainingFlops(n, d)).toThrow(`trainingFlops: ${arg} must be a finite number > 0`);
  });
});

describe('memory', () => {
  it('bytes per value are 4, 2, 2 and 1', () => {
    expect(BYTES_PER_VALUE).toEqual({ fp32: 4, fp16: 2, bf16: 2, int8: 1 });
    expect(weightBytes(175e9, 'fp32')).toBe(700e9);
    expect(weightBytes(175e9, 'int8')).toBe(175e9);
  });
  it('mixed-precision Adam takes 16 bytes per parameter: 24 GB for GPT-2 1.5B, as ZeRO §3.1 states', () => {
    expect(adamTrainingBytes(1.5e9, 'mixed')).toEqual({ weights: 3e9, gradients: 3e9, optimizerState: 18e9, total: 24e9 });
  });
  it('one precision throughout: weights, gradients, m and v', () => {
    expect(adamTrainingBytes(10, 'bf16')).toEqual({ weights: 20, gradients: 20, optimizerState: 40, total: 80 });
  });
  it('devicesToHold rounds up', () => {
    expect(devicesToHold(350e9, 80e9)).toBe(5);
    expect(devicesToHold(80e9, 80e9)).toBe(1);
    expect(devicesToHold(1, 80e9)).toBe(1);
  });
  it('rejects an unknown precision and bad sizes naming the argument', () => {
    expect(() => weightBytes(1, 'fp64' as 'fp32')).toThrow('weightBytes: precision must be one of fp32, fp16, bf16, int8, got string "fp64"');
    expect(() => adamTrainingBytes(1, 'float' as 'fp32')).toThrow('adamTrainingBytes: precision must be one of');
    expect(() => adamTrainingBytes(0, 'fp32')).toThrow('adamTrainingBytes: parameters must be a finite number > 0, got number 0');
    expect(() => devicesToHold(1, 0)).toThrow('devicesToHold: deviceBytes must be a finite number > 0, got number 0');
  });
});

describe('PUBLISHED_MODEL_SIZES', () => {
  it('is ordered by year, each with a source, and agrees with PUBLISHED_TRANSFORMERS', () => {
    const years = PUBLISHED_MODEL_SIZES.map((m) => m.year);
    expect(years).toEqual([...years].sort((a, b) => a - b));
    for (const m of PUBLISHED_MODEL_SIZES) {
      expect(m.source).toMatch(/\d{4}/);
      expect(m.parameters).toBeGreaterThan(0);
    }
    const size = (name: string) => PUBLISHED_MODEL_SIZES.find((m) => m.name === name)!.parameters;
    expect(size('BERT-base')).toBe(PUBLISHED_TRANSFORMERS['BERT-base'].publishedParameters);
    expect(size('BERT-large')).toBe(PUBLISHED_TRANSFORMERS['BERT-large'].publishedParameters);
    expect(size('GPT-2')).toBe(PUBLISHED_TRANSFORMERS['GPT-2 XL'].publishedParameters);
    expect(size('GPT-3')).toBe(PUBLISHED_TRANSFORMERS['GPT-3 175B'].publishedParameters);
  });
  it('spans more than six orders of magnitude', () => {
    const p = PUBLISHED_MODEL_SIZES.map((m) => m.parameters);
    expect(Math.log10(Math.max(...p) / Math.min(...p))).toBeGreaterThan(6);
  });
});
