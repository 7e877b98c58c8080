/**
 * The models that `npm run bench` and `npm run bench:profile` time, built the
 * same way by both: the chapter-05 CIFAR-10 CNN (lib/models/cnn.ts) and the
 * case study's ResNet (lib/models/resnet.ts) with the blocks and widths of
 * CHAPTER04B_CONFIG.full.resnet (lib/train/config.ts), or others given as
 * `N:W1/W2/W3` (e.g. `3:16/32/64`, ResNet-20). Both for 32×32×3 images and
 * 10 classes, compiled with Adam 1e-3 and sparse categorical cross-entropy.
 * The Python peers (bench/torch_cnn.py, bench/keras_cnn.py) build the same
 * architectures from the same `--model` / `--resnet` arguments.
 */
import type * as tf from '@tensorflow/tfjs';
import { ArgumentError } from '../lib/core/errors';
import { buildCifar10Cnn, compileClassifier } from '../lib/models/cnn';
import { buildResNet, resNetParameterCount } from '../lib/models/resnet';
import { CHAPTER04B_CONFIG } from '../lib/train/config';

/** Model names that `--models` accepts. */
export const BENCH_MODELS = ['cnn', 'resnet'] as const;
export type BenchModel = (typeof BENCH_MODELS)[number];

/** Blocks per stage and the three stage widths of a ResNet. */
export interface ResNetSpec {
  blocksPerStage: number;
  widths: [number, number, number];
}

/** The case study's ResNet (chapter 04b, full lesson). */
export function caseStudyResNet(): ResNetSpec {
  const r = CHAPTER04B_CONFIG.full.resnet;
  return { blocksPerStage: r.blocksPerStage, widths: [r.widths[0], r.widths[1], r.widths[2]] };
}

/** Parses `N:W1/W2/W3` (blocks per stage : stage widths), e.g. `3:16/32/64`. */
export function parseResNetSpec(text: string): ResNetSpec {
  const m = /^\s*(\d+)\s*:\s*(\d+)\s*\/\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const nums = m?.slice(1).map(Number);
  if (!nums || nums.some((v) => v < 1)) throw new ArgumentError(`bench: --resnet must be N:W1/W2/W3 with positive integers (e.g. 3:16/32/64), got '${text}'`);
  return { blocksPerStage: nums[0], widths: [nums[1], nums[2], nums[3]] };
}

/** `N:W1/W2/W3`, the form the Python peers take. */
export function formatResNetSpec(spec: ResNetSpec): string {
  return `${spec.blocksPerStage}:${spec.widths.join('/')}`;
}

/** Parses `--models` (comma-separated names of {@link BENCH_MODELS}). */
export function parseModels(text: string): BenchModel[] {
  const list = text.split(',').map((s) => s.trim());
  for (const m of list) if (!(BENCH_MODELS as readonly string[]).includes(m)) throw new ArgumentError(`bench: --models must list ${BENCH_MODELS.join(', ')}, got '${m}'`);
  return [...new Set(list)] as BenchModel[];
}

/** A one-line description of the model, with its depth and parameter count. */
export function describeModel(model: BenchModel, spec: ResNetSpec): string {
  if (model === 'cnn') return 'buildCifar10Cnn (the chapter-05 CNN, 167,562 parameters)';
  return `buildResNet ResNet-${6 * spec.blocksPerStage + 2} (${spec.blocksPerStage} blocks per stage, widths ${spec.widths.join('/')}, ${resNetParameterCount({ ...spec }).toLocaleString('en-US')} parameters)`;
}

/** The model, compiled with Adam 1e-3 (seeded weights). */
export function buildBenchModel(model: BenchModel, spec: ResNetSpec): tf.LayersModel {
  const built = model === 'cnn' ? buildCifar10Cnn({ seed: 1 }) : buildResNet({ ...spec, seed: 1 });
  return compileClassifier(built, { learningRate: 1e-3 });
}
