// The benchmark's models (bench/models.ts) and its Python peers (bench/torch_cnn.py,
// bench/keras_cnn.py): the ResNet is the case study's, `--resnet` and `--models` parse
// or fail clearly, and every peer importable here builds the same architecture, checked
// by its parameter count against resNetParameterCount / TF.js's countParams (skipped,
// with the reason, where no Python on the machine has PyTorch or TensorFlow).
import { describe, expect, it } from 'vitest';
import { buildBenchModel, caseStudyResNet, describeModel, formatResNetSpec, parseModels, parseResNetSpec } from '../../bench/models';
import { pythonCandidates, pythonsWith, runPython } from '../../bench/peers';
import { resNetParameterCount } from '../../lib/models/resnet';
import { CHAPTER04B_CONFIG } from '../../lib/train/config';

describe('bench models', () => {
  it('the default ResNet is the case study\'s (CHAPTER04B_CONFIG.full.resnet)', () => {
    const spec = caseStudyResNet();
    expect(spec.blocksPerStage).toBe(CHAPTER04B_CONFIG.full.resnet.blocksPerStage);
    expect(spec.widths).toEqual([...CHAPTER04B_CONFIG.full.resnet.widths]);
  });

  it('parses --resnet N:W1/W2/W3 and --models, and rejects bad values naming the option', () => {
    expect(parseResNetSpec('3:16/32/64')).toEqual({ blocksPerStage: 3, widths: [16, 32, 64] });
    expect(formatResNetSpec({ blocksPerStage: 2, widths: [4, 8, 8] })).toBe('2:4/8/8');
    expect(() => parseResNetSpec('3:16/32')).toThrow(/--resnet must be N:W1\/W2\/W3.*got '3:16\/32'/);
    expect(() => parseResNetSpec('0:16/32/64')).toThrow(/--resnet/);
    expect(parseModels('resnet, cnn,resnet')).toEqual(['resnet', 'cnn']);
    expect(() => parseModels('cnn,vgg')).toThrow(/--models must list cnn, resnet, got 'vgg'/);
  });

  it('builds compiled models whose parameter counts match the hand counts', () => {
    const spec = parseResNetSpec('3:16/32/64');
    const resnet = buildBenchModel('resnet', spec);
    expect(resnet.countParams()).toBe(resNetParameterCount({ ...spec })); // 274,042: ResNet-20
    expect(resnet.optimizer).toBeDefined();
    resnet.dispose();
    const cnn = buildBenchModel('cnn', spec);
    expect(cnn.countParams()).toBe(167562); // the TensorFlow CIFAR-10 tutorial's summary
    cnn.dispose();
    expect(describeModel('resnet', spec)).toContain('ResNet-20');
  });
});

describe.each([
  ['PyTorch', 'torch', 'torch_cnn.py'],
  ['Keras', 'tensorflow', 'keras_cnn.py'],
] as const)('the %s peer', (_name, module, script) => {
  const pythons = pythonsWith(module);
  it.skipIf(pythons.length === 0)(`builds the same models as TF.js (parameter counts), with each Python that has ${module}`, () => {
    for (const python of pythons) {
      for (const spec of [caseStudyResNet(), parseResNetSpec('3:16/32/64')]) {
        const r = runPython<{ available: boolean; parameters: number }>(python, script, ['--count-only', '--model', 'resnet', '--resnet', formatResNetSpec(spec)], { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' }, 300);
        expect(r, `${python} ${script} --resnet ${formatResNetSpec(spec)}`).toMatchObject({ available: true, parameters: resNetParameterCount({ ...spec }) });
      }
      const cnn = runPython<{ available: boolean; parameters: number }>(python, script, ['--count-only', '--model', 'cnn'], { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' }, 300);
      expect(cnn).toMatchObject({ available: true, parameters: 167562 });
    }
  });
  if (pythons.length === 0) {
    it.skip(`(no Python with ${module} among ${pythonCandidates().join(', ') || 'none'}: set DL_COURSE_BENCH_PYTHON)`, () => {});
  }
});
