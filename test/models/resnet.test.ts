import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ArgumentError, buildResNet, compileClassifier, layerSummary, resNetParameterCount } from '../../lib';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('buildResNet (He et al. 2016 §4.2)', () => {
  it('ResNet-20 (16/32/64, 10 classes) has the hand-counted 274,042 parameters, before any training', () => {
    // By hand (convolutions have no bias; a batch normalisation of c channels holds 4c numbers):
    const stem = 9 * 3 * 16 + 4 * 16;
    const block = (cin: number, cout: number, projection: boolean) => 9 * cin * cout + 4 * cout + 9 * cout * cout + 4 * cout + (projection ? cin * cout + 4 * cout : 0);
    const stages = 3 * block(16, 16, false) + block(16, 32, true) + 2 * block(32, 32, false) + block(32, 64, true) + 2 * block(64, 64, false);
    const dense = 64 * 10 + 10;
    expect(stem + stages + dense).toBe(274042); // the paper's "0.27M" for ResNet-20
    const model = buildResNet({ seed: 0 });
    expect(model.countParams()).toBe(274042);
    expect(resNetParameterCount()).toBe(274042);
    // The plain net of the same depth lacks exactly the two projections.
    expect(buildResNet({ useShortcuts: false }).countParams()).toBe(274042 - (16 * 32 + 4 * 32) - (32 * 64 + 4 * 64));
  });

  it('has 6n + 2 weighted layers and maps [batch, 32, 32, 3] to [batch, numClasses] probabilities', () => {
    for (const n of [1, 2]) {
      const model = buildResNet({ blocksPerStage: n, widths: [4, 8, 8], numClasses: 2, seed: 1 });
      const weighted = layerSummary(model).filter((l) => (l.type === 'Conv2D' && !l.name.endsWith('_proj')) || l.type === 'Dense');
      expect(weighted.length).toBe(6 * n + 2);
      const y = model.predict(tf.randomUniform([3, 32, 32, 3], 0, 1, 'float32', 2)) as tf.Tensor;
      expect(y.shape).toEqual([3, 2]);
      (tf.sum(y, 1).arraySync() as number[]).forEach((s) => expect(s).toBeCloseTo(1, 5));
    }
  });

  it('halves height and width at stages 2 and 3, and projects only where the shape changes', () => {
    const rows = layerSummary(buildResNet({ blocksPerStage: 2, widths: [8, 16, 32] }));
    const shape = (name: string) => rows.find((r) => r.name === name)!.outputShape;
    expect(shape('stem_conv')).toEqual([null, 32, 32, 8]);
    expect(shape('s1b2_relu2')).toEqual([null, 32, 32, 8]);
    expect(shape('s2b1_conv1')).toEqual([null, 16, 16, 16]);
    expect(shape('s3b2_relu2')).toEqual([null, 8, 8, 32]);
    expect(shape('pool')).toEqual([null, 32]);
    expect(rows.filter((r) => r.name.endsWith('_proj')).map((r) => r.name)).toEqual(['s2b1_proj', 's3b1_proj']);
    expect(rows.filter((r) => r.type === 'Add').length).toBe(6);
    const plain = layerSummary(buildResNet({ blocksPerStage: 2, widths: [8, 16, 32], useShortcuts: false }));
    expect(plain.filter((r) => r.type === 'Add' || r.name.endsWith('_proj')).length).toBe(0);
  });

  it('a block with shortcut adds its input: zeroing the residual path (γ = β = 0 of its last BN) leaves relu(x)', () => {
    const model = buildResNet({ blocksPerStage: 1, widths: [4, 8, 8], seed: 3 });
    const bn = model.getLayer('s1b1_bn2');
    bn.setWeights(bn.getWeights().map((w, i) => (i < 2 ? tf.zerosLike(w) : w))); // gamma, beta = 0
    const probe = tf.model({ inputs: model.inputs, outputs: [model.getLayer('stem_relu').output as tf.SymbolicTensor, model.getLayer('s1b1_relu2').output as tf.SymbolicTensor] });
    const [stem, block] = probe.predict(tf.randomUniform([2, 32, 32, 3], 0, 1, 'float32', 4)) as tf.Tensor[];
    expect(tf.max(tf.abs(tf.sub(stem, block))).dataSync()[0]).toBeLessThan(1e-6); // relu(relu(x)) = relu(x)
  });

  it('normalises each channel with the given mean and std, in a frozen layer counted in the parameters', () => {
    const normalization = { mean: [0.5, 0.25, 0], std: [0.5, 0.25, 2] };
    const model = buildResNet({ blocksPerStage: 1, widths: [4, 8, 8], normalization });
    expect(model.countParams()).toBe(resNetParameterCount({ blocksPerStage: 1, widths: [4, 8, 8], normalization }));
    expect(model.countParams()).toBe(resNetParameterCount({ blocksPerStage: 1, widths: [4, 8, 8] }) + 6);
    const layer = model.getLayer('normalize');
    expect(layer.trainable).toBe(false);
    const probe = tf.model({ inputs: model.inputs, outputs: layer.output as tf.SymbolicTensor });
    const x = tf.fill([1, 32, 32, 3], 1);
    const out = (probe.predict(x) as tf.Tensor).reshape([-1, 3]).arraySync() as number[][];
    expect(out[0][0]).toBeCloseTo(1, 6); // (1 − 0.5) / 0.5
    expect(out[0][1]).toBeCloseTo(3, 6); // (1 − 0.25) / 0.25
    expect(out[0][2]).toBeCloseTo(0.5, 6); // (1 − 0) / 2
    compileClassifier(model); // softmax output: compiles as the chapter-05 CNN
  });

  it('rejects bad configurations, naming the argument', () => {
    expect(() => buildResNet({ blocksPerStage: 0 })).toThrow(ArgumentError);
    expect(() => buildResNet({ blocksPerStage: 0 })).toThrow(/buildResNet: config.blocksPerStage must be an integer >= 1, got number 0/);
    expect(() => buildResNet({ widths: [8, 16] as unknown as [number, number, number] })).toThrow(/config.widths must be three channel counts/);
    expect(() => buildResNet({ normalization: { mean: [0], std: [1] } })).toThrow(/config.normalization must be \{ mean, std \} with 3 finite numbers/);
    expect(() => buildResNet({ normalization: { mean: [0, 0, 0], std: [1, 0, 1] } })).toThrow(/std > 0/);
    expect(() => buildResNet({ useShortcuts: 'no' as unknown as boolean })).toThrow(/config.useShortcuts must be a boolean/);
  });
});
