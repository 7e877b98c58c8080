/**
 * Saving and loading a `tf.LayersModel` as a folder with `model.json` and
 * `weights.bin`, in TF.js's own layers-model format (the one
 * `tf.loadLayersModel('file://…')` of `@tensorflow/tfjs-node` reads), without
 * needing the native package. Writes are atomic: a folder is complete or absent.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, DataFormatError, describe } from '../core/errors';

/**
 * Saves topology and weights into `dir` (created; replaced if it exists).
 * The files are written into a temporary folder beside `dir` and renamed.
 * @returns the folder written.
 * @example
 * ```ts
 * const dir = await saveModel(buildCifar10Cnn(), 'out/model'); // an absolute path ending in out/model
 * fs.readdirSync(dir).sort(); // ['model.json', 'weights.bin']
 * ```
 * @see [Notebook 05 §5 Save and load](../../notebooks/05-cifar10-cnn.ipynb#5.-Save-and-load)
 */
export async function saveModel(model: tf.LayersModel, dir: string): Promise<string> {
  if (typeof dir !== 'string' || dir === '') throw new ArgumentError(`saveModel: dir must be a non-empty path, got ${describe(dir)}`);
  const final = path.resolve(dir);
  const tmp = `${final}.tmp-${process.pid}-${Date.now()}`;
  fs.mkdirSync(tmp, { recursive: true });
  try {
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        const weights = artifacts.weightData ? Buffer.from(tf.io.CompositeArrayBuffer.join(artifacts.weightData)) : Buffer.alloc(0);
        const json = {
          modelTopology: artifacts.modelTopology,
          format: artifacts.format ?? 'layers-model',
          generatedBy: artifacts.generatedBy,
          convertedBy: artifacts.convertedBy ?? null,
          weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
          trainingConfig: artifacts.trainingConfig,
        };
        fs.writeFileSync(path.join(tmp, 'weights.bin'), weights);
        fs.writeFileSync(path.join(tmp, 'model.json'), JSON.stringify(json));
        return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
      }),
    );
    fs.rmSync(final, { recursive: true, force: true });
    fs.renameSync(tmp, final);
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  return final;
}

/**
 * Loads a model saved by {@link saveModel} (or by tfjs-node's `file://` handler
 * with a single weights file).
 * @throws {DataFormatError} when `model.json` or its weights are missing or malformed.
 * @example
 * ```ts
 * const dir = await saveModel(buildCifar10Cnn({ seed: 1 }), 'out/model');
 * const same = await loadModel(dir);
 * same.countParams(); // 167562 (the CIFAR-10 CNN)
 * ```
 * @see [Notebook 05 §5 Save and load](../../notebooks/05-cifar10-cnn.ipynb#5.-Save-and-load)
 */
export async function loadModel(dir: string): Promise<tf.LayersModel> {
  if (typeof dir !== 'string' || dir === '') throw new ArgumentError(`loadModel: dir must be a non-empty path, got ${describe(dir)}`);
  const jsonPath = path.join(dir, 'model.json');
  if (!fs.existsSync(jsonPath)) throw new DataFormatError(`loadModel: ${jsonPath} does not exist; expected a folder written by saveModel`);
  let json: { modelTopology?: object; weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[] };
  try {
    json = JSON.parse(fs.readFileSync(jsonPath, 'utf8'));
  } catch (e) {
    throw new DataFormatError(`loadModel: ${jsonPath} is not valid JSON: ${(e as Error).message}`);
  }
  if (!json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new DataFormatError(`loadModel: ${jsonPath} lacks modelTopology or weightsManifest; not a TF.js layers model`);
  }
  const specs = json.weightsManifest.flatMap((g) => g.weights);
  const buffers = json.weightsManifest.flatMap((g) => g.paths.map((p) => fs.readFileSync(path.join(dir, p))));
  const data = Buffer.concat(buffers);
  const expected = specs.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1) * 4, 0);
  if (data.length !== expected) {
    throw new DataFormatError(`loadModel: weights in ${dir} have ${data.length} bytes but model.json describes ${expected}`);
  }
  const weightData = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: specs, weightData }));
}
