/**
 * Saving and loading a `tf.LayersModel` as a folder with `model.json` and
 * `weights.bin`, in TF.js's own layers-model format (the one
 * `tf.loadLayersModel('file://…')` of `@tensorflow/tfjs-node` reads), without
 * needing the native package. Writes are atomic: a folder is complete or absent.
 * Reads never leave the folder: the files are read here (plain file names only,
 * checked to stay inside it), their sizes and the manifest checked against the
 * architecture, and only then handed to TF.js from memory.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, DataFormatError, describe } from '../core/errors';
import { guardImageInput } from './input_guard';

/** Bytes per element of the dtypes a layers model's weights can have. */
const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1 };
/** Bytes per element of the quantised encodings TF.js writes. */
const QUANTIZED_BYTES: Record<string, number> = { uint8: 1, uint16: 2, float16: 2 };

/**
 * The absolute folder path for `dir`: a local path (relative to the working
 * folder) or a `file://` URL. Other URL schemes and non-strings are an
 * {@link ArgumentError} naming `fn`.
 */
function folderOf(fn: string, dir: unknown): string {
  if (typeof dir !== 'string' || dir === '') {
    throw new ArgumentError(`${fn}: dir must be a non-empty folder path or file:// URL, got ${describe(dir)}`);
  }
  let local = dir;
  if (/^file:/i.test(dir)) {
    try {
      local = fileURLToPath(dir);
    } catch (e) {
      throw new ArgumentError(
        `${fn}: dir ${JSON.stringify(dir)} is not a usable file:// URL (${(e as Error).message}); expected file:///absolute/folder (three slashes, no host), or a plain path for a relative folder`,
      );
    }
  } else {
    const scheme = /^([a-z][a-z0-9+.-]+):\/\//i.exec(dir);
    if (scheme) {
      throw new ArgumentError(
        `${fn}: dir ${JSON.stringify(dir)} uses the ${scheme[1]}:// scheme; only local folders and file:// URLs are supported (for other schemes use tf.loadLayersModel / model.save directly)`,
      );
    }
  }
  if (local.includes('\0')) throw new ArgumentError(`${fn}: dir must not contain a NUL character, got ${describe(dir)}`);
  return path.resolve(local);
}

/**
 * Saves topology and weights into the folder `dir`: a local path or a
 * `file:///absolute/path` URL. Writes `model.json` (architecture and weight
 * manifest) and `weights.bin` (all weights, little-endian, float32 for a
 * float model: 4 bytes × parameter count). Missing parent folders are created.
 * The files are written into a temporary folder beside `dir` and renamed, so
 * `dir` is either the complete new model or (on failure) left as it was; no
 * temporary folder remains after a failure. An existing `dir` is replaced only
 * when it is empty or holds a `model.json` (a saved model); any other existing
 * folder or file is refused, so a typo cannot delete unrelated files.
 * @returns the absolute folder written.
 * @throws {ArgumentError} when `model` is not a layers model; when `dir` is not
 *   a non-empty string, is a URL other than `file://` (`http://`, `indexeddb://`,
 *   `localstorage://`…), is the file-system root, is an existing file, or is an
 *   existing non-empty folder without `model.json`.
 * @throws the file-system error (with its `code` and path) when the folder
 *   cannot be written (read-only parent, full disk); nothing is left behind.
 * @example
 * ```ts
 * const dir = await saveModel(buildCifar10Cnn(), 'out/model'); // an absolute path ending in out/model
 * fs.readdirSync(dir).sort(); // ['model.json', 'weights.bin']
 * const tiny = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
 * (await saveModel(tiny, 'file://' + path.resolve('tiny'))) === path.resolve('tiny'); // true (a file:// URL names the same folder)
 * fs.statSync('tiny/weights.bin').size; // 12 (3 float32 parameters × 4 bytes)
 * await saveModel(tiny, 'indexeddb://tiny'); // throws ArgumentError: only local folders and file:// URLs are supported
 * ```
 * @see [Notebook 05 §5 Save and load](../../notebooks/05-cifar10-cnn.ipynb#5.-Save-and-load)
 * @see [Notebook 06b §1 The model](../../notebooks/06b-own-images.ipynb#1.-The-model)
 */
export async function saveModel(model: tf.LayersModel, dir: string): Promise<string> {
  if (model === null || typeof model !== 'object' || typeof (model as { save?: unknown }).save !== 'function') {
    throw new ArgumentError(`saveModel: model must be a tf.LayersModel, got ${describe(model)}`);
  }
  const final = folderOf('saveModel', dir);
  const parent = path.dirname(final);
  if (parent === final) throw new ArgumentError(`saveModel: dir must be a folder below the file-system root, got ${describe(dir)}`);
  const existing = fs.statSync(final, { throwIfNoEntry: false });
  if (existing && !existing.isDirectory()) {
    throw new ArgumentError(`saveModel: dir ${final} exists and is not a folder; expected a new or model folder, refusing to replace a file`);
  }
  if (existing) {
    const entries = fs.readdirSync(final);
    if (entries.length > 0 && !entries.includes('model.json')) {
      throw new ArgumentError(
        `saveModel: dir ${final} is a folder with ${entries.length} entries and no model.json; expected a new, empty or model folder, refusing to replace it (choose another dir)`,
      );
    }
  }
  fs.mkdirSync(parent, { recursive: true });
  const base = path.basename(final);
  const tmp = fs.mkdtempSync(path.join(parent, `.${base}.tmp-`));
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
        fs.chmodSync(tmp, 0o777 & ~process.umask()); // mkdtemp made it private; a saved model is an ordinary folder
        return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
      }),
    );
    if (fs.existsSync(final)) {
      // Move the old model aside, put the new one in place, then delete the old
      // one: at every moment `final` is a complete model or briefly absent.
      const old = `${tmp}.old`;
      fs.renameSync(final, old);
      try {
        fs.renameSync(tmp, final);
      } catch (e) {
        fs.renameSync(old, final);
        throw e;
      }
      fs.rmSync(old, { recursive: true, force: true });
    } else {
      fs.renameSync(tmp, final);
    }
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  return final;
}

interface ManifestGroup {
  paths: string[];
  weights: tf.io.WeightsManifestEntry[];
}

const shapeText = (shape: readonly (number | null)[]) => `[${shape.join(', ')}]`;

/**
 * Loads a model saved by {@link saveModel} (or by tfjs-node's `file://` handler,
 * or converted by tensorflowjs_converter: any number of weight files) from the
 * folder `dir`: a local path or a `file:///absolute/path` URL (pass the folder,
 * not its `model.json`). Only plain file names inside `dir` are read; the
 * weight manifest is checked against the architecture (names, shapes, dtypes)
 * and the weight files' sizes against the manifest (elements × bytes per dtype)
 * before TF.js builds the model. The model is returned uncompiled.
 * @throws {ArgumentError} when `dir` is not a non-empty string or is a URL other
 *   than `file://` (`http://`, `indexeddb://`, `localstorage://`…).
 * @throws {DataFormatError} naming the folder and the problem when `dir` does
 *   not exist or is a file; when `model.json` is missing, not JSON, or lacks
 *   `modelTopology` / `weightsManifest`; when the manifest names a weight file
 *   that is missing or not a plain file name in the folder (`../x`, `/abs`,
 *   `sub/x`, NUL); when a weight's name, shape or dtype does not match the
 *   architecture; when the weight files are shorter or longer than the manifest
 *   describes.
 * @example
 * ```ts
 * const dir = await saveModel(buildCifar10Cnn({ seed: 1 }), 'out/model');
 * const same = await loadModel(dir);
 * same.countParams(); // 167562 (the CIFAR-10 CNN)
 * (await loadModel('file://' + dir)).countParams(); // 167562 (a file:// URL works too)
 * fs.truncateSync(path.join(dir, 'weights.bin'), 100);
 * await loadModel(dir); // throws DataFormatError: weights.bin has 100 bytes but model.json describes 670248
 * await loadModel('http://example.com/model'); // throws ArgumentError: only local folders and file:// URLs are supported
 * ```
 * @see [Notebook 05 §5 Save and load](../../notebooks/05-cifar10-cnn.ipynb#5.-Save-and-load)
 * @see [Notebook 06b §1 The model](../../notebooks/06b-own-images.ipynb#1.-The-model)
 */
export async function loadModel(dir: string): Promise<tf.LayersModel> {
  const folder = folderOf('loadModel', dir);
  const fail = (what: string) => new DataFormatError(`loadModel: folder ${folder}: ${what}`);

  const stat = fs.statSync(folder, { throwIfNoEntry: false });
  if (!stat) throw fail('model.json does not exist (no such folder); expected a folder written by saveModel');
  if (!stat.isDirectory()) {
    throw fail(`is a file, not a folder; expected the folder written by saveModel that holds model.json (pass ${path.dirname(folder)} if this is its model.json)`);
  }
  const realFolder = fs.realpathSync(folder);

  /** The path of the plain file `name` inside the folder, checked to stay inside it. */
  const inside = (name: string, where: string, purpose: string): string => {
    const p = path.resolve(folder, name);
    if (path.dirname(p) !== folder) throw fail(`${where} is ${JSON.stringify(name)}; expected a plain file name inside the folder`);
    const st = fs.lstatSync(p, { throwIfNoEntry: false });
    if (!st) throw fail(`${name} does not exist; model.json's ${where} names it as ${purpose}`);
    let real: string;
    try {
      real = fs.realpathSync(p);
    } catch (e) {
      throw fail(`${name} cannot be resolved (${(e as Error).message}); model.json's ${where} names it as ${purpose}`);
    }
    if (path.dirname(real) !== realFolder) throw fail(`${name} is a link to ${real}, outside the folder; expected a plain file inside it`);
    if (!fs.statSync(real).isFile()) throw fail(`${name} is not a file; model.json's ${where} names it as ${purpose}`);
    return real;
  };

  // model.json: JSON with an object modelTopology and an array weightsManifest.
  const jsonPath = path.join(folder, 'model.json');
  if (!fs.existsSync(jsonPath)) throw fail('model.json does not exist; expected a folder written by saveModel');
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(inside('model.json', 'folder', 'the model'), 'utf8'));
  } catch (e) {
    if (e instanceof DataFormatError) throw e;
    throw fail(`model.json is not valid JSON (${(e as Error).message}); expected a TF.js layers model`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw fail(`model.json holds ${describe(json)}; expected a JSON object with modelTopology and weightsManifest`);
  const { modelTopology, weightsManifest, format } = json as { modelTopology?: unknown; weightsManifest?: unknown; format?: unknown };
  if (format === 'graph-model') throw fail('model.json is a graph model (load it with tf.loadGraphModel); expected a layers model');
  if (modelTopology === null || typeof modelTopology !== 'object' || Array.isArray(modelTopology)) {
    throw fail(`model.json lacks modelTopology (got ${describe(modelTopology)}); expected an object describing the layers, as saveModel writes`);
  }
  if (!Array.isArray(weightsManifest)) {
    throw fail(`model.json lacks weightsManifest (got ${describe(weightsManifest)}); expected an array of { paths, weights } groups, as saveModel writes`);
  }

  // The manifest's structure and each weight's byte size.
  const groups: { paths: string[]; weights: tf.io.WeightsManifestEntry[]; bytes: number }[] = [];
  const seen = new Set<string>();
  weightsManifest.forEach((g: unknown, gi: number) => {
    const at = `weightsManifest[${gi}]`;
    const group = g as Partial<ManifestGroup> | null;
    if (group === null || typeof group !== 'object' || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      throw fail(`${at} is ${describe(g)}; expected an object with arrays paths and weights`);
    }
    group.paths.forEach((p: unknown, pi: number) => {
      const where = `${at}.paths[${pi}]`;
      if (typeof p !== 'string' || p === '' || p === '.' || p === '..' || /[/\\\0]/.test(p)) {
        throw fail(`${where} is ${JSON.stringify(p) ?? String(p)}; expected a plain file name inside the folder (no "/", "\\", "..", or NUL), and nothing outside the folder is read`);
      }
    });
    let bytes = 0;
    group.weights.forEach((w: unknown, wi: number) => {
      const where = `${at}.weights[${wi}]`;
      const spec = w as Partial<tf.io.WeightsManifestEntry> | null;
      if (spec === null || typeof spec !== 'object' || typeof spec.name !== 'string') throw fail(`${where} is ${describe(w)}; expected { name, shape, dtype }`);
      if (!Array.isArray(spec.shape) || !spec.shape.every((d) => Number.isInteger(d) && d >= 0)) {
        throw fail(`weight ${spec.name} (${where}) has shape ${JSON.stringify(spec.shape)}; expected an array of integers >= 0`);
      }
      if (seen.has(spec.name) && spec.group !== 'optimizer') throw fail(`weight ${spec.name} appears twice in weightsManifest; expected each weight once`);
      seen.add(spec.name);
      const q = spec.quantization?.dtype;
      const size = q !== undefined ? QUANTIZED_BYTES[q] : DTYPE_BYTES[spec.dtype as string];
      if (q !== undefined && size === undefined) throw fail(`weight ${spec.name} is quantised as ${JSON.stringify(q)}; expected uint8, uint16 or float16`);
      if (size === undefined) throw fail(`weight ${spec.name} has dtype ${JSON.stringify(spec.dtype)}; expected float32, int32 or bool`);
      bytes += spec.shape.reduce((a, b) => a * b, 1) * size;
    });
    groups.push({ paths: group.paths, weights: group.weights as tf.io.WeightsManifestEntry[], bytes });
  });
  const specs = groups.flatMap((g) => g.weights);

  // The architecture, built without weights, against the manifest.
  let skeleton: tf.LayersModel;
  try {
    skeleton = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology }));
  } catch (e) {
    throw fail(`model.json's modelTopology cannot be built by TF.js (${(e as Error).message}); expected a layers model as saveModel writes`);
  }
  try {
    const needed = new Map(skeleton.weights.map((v) => [v.originalName, v]));
    for (const spec of specs) {
      if (spec.group === 'optimizer') continue;
      const v = needed.get(spec.name);
      if (!v) throw fail(`weightsManifest has weight ${spec.name}, which the architecture in model.json does not have (it has ${[...needed.keys()].slice(0, 4).join(', ')}${needed.size > 4 ? ', ...' : ''})`);
      if (spec.shape.length !== v.shape.length || spec.shape.some((d, i) => d !== v.shape[i])) {
        throw fail(`weight ${spec.name} has shape ${shapeText(spec.shape)} in weightsManifest but the architecture in model.json needs ${shapeText(v.shape)}`);
      }
      if (spec.dtype !== v.dtype) throw fail(`weight ${spec.name} has dtype ${spec.dtype} in weightsManifest but the architecture in model.json needs ${v.dtype}`);
      needed.delete(spec.name);
    }
    if (needed.size > 0) {
      const [name, v] = [...needed][0];
      throw fail(`weightsManifest lacks weight ${name} (shape ${shapeText(v.shape)}, ${v.dtype}) that the architecture in model.json needs${needed.size > 1 ? ` (and ${needed.size - 1} more)` : ''}`);
    }
  } finally {
    skeleton.dispose();
  }

  // The weight files: present, inside the folder, exactly as long as described.
  const buffers: Buffer[] = [];
  for (const [gi, g] of groups.entries()) {
    const files = g.paths.map((p, pi) => inside(p, `weightsManifest[${gi}].paths[${pi}]`, 'a weights file'));
    const have = files.reduce((s, f) => s + fs.statSync(f).size, 0);
    if (have !== g.bytes) {
      const names = g.paths.join(', ');
      throw fail(
        `${names} ${g.paths.length === 1 ? 'has' : 'have together'} ${have} bytes but model.json describes ${g.bytes} (the shapes × dtype sizes of ${g.weights.length} weights); the file is ${have < g.bytes ? 'truncated' : 'longer than described'} or belongs to another model`,
      );
    }
    for (const f of files) buffers.push(fs.readFileSync(f));
  }
  const data = Buffer.concat(buffers);
  const weightData = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
  try {
    return guardImageInput(await tf.loadLayersModel(tf.io.fromMemory({ modelTopology, weightSpecs: specs, weightData }))); // clear error for channels-first images
  } catch (e) {
    // Checked above; this catches what TF.js rejects beyond those checks.
    throw fail(`TF.js could not set the weights from model.json and its weight files: ${(e as Error).message}`);
  }
}
