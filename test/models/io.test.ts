import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ArgumentError, DataFormatError, buildCifar10Cnn, loadModel, saveModel } from '../../lib';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'dlc-io-'));

/** A tiny dense model: kernel [3, 2] and bias [2], float32 (32 bytes of weights). */
function tiny(seed = 1): tf.Sequential {
  return tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3], kernelInitializer: tf.initializers.glorotUniform({ seed }), biasInitializer: 'ones' })] });
}

const predict = (m: tf.LayersModel) => Array.from((m.predict(tf.tensor2d([[1, 2, 3], [-1, 0.5, 4]])) as tf.Tensor).dataSync());

interface Json {
  modelTopology?: unknown;
  weightsManifest?: { paths: string[]; weights: { name: string; shape: number[]; dtype: string }[] }[];
  [k: string]: unknown;
}

/** A saved tiny model in a fresh root folder: { root, dir, json, kernel (weight name), bias }. */
async function savedTiny() {
  const root = tmp();
  const dir = await saveModel(tiny(), path.join(root, 'm'));
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')) as Json;
  const [kernel, bias] = json.weightsManifest![0].weights.map((w) => w.name);
  return { root, dir, json, kernel, bias };
}

/** Rewrites `dir`/model.json after `edit` changed its parsed content. */
function rewrite(dir: string, edit: (json: Json) => void): void {
  const file = path.join(dir, 'model.json');
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as Json;
  edit(json);
  fs.writeFileSync(file, JSON.stringify(json));
}

/** The rejection of `p`, checked to be a DataFormatError naming `dir`. */
async function formatError(p: Promise<unknown>, dir: string): Promise<string> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DataFormatError);
  const message = (err as Error).message;
  expect(message).toContain('loadModel');
  expect(message).toContain(dir);
  return message;
}

describe('saveModel / loadModel', () => {
  it('round-trips the CNN: same weights, same predictions', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dlc-io-'));
    const model = buildCifar10Cnn({ seed: 5 });
    const out = await saveModel(model, path.join(dir, 'm'));
    expect(fs.readdirSync(out).sort()).toEqual(['model.json', 'weights.bin']);
    expect(fs.statSync(path.join(out, 'weights.bin')).size).toBe(167562 * 4); // float32
    const back = await loadModel(out);
    const x = tf.randomUniform([3, 32, 32, 3], 0, 1, 'float32', 1);
    const a = (model.predict(x) as tf.Tensor).dataSync();
    const b = (back.predict(x) as tf.Tensor).dataSync();
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(fs.readdirSync(dir)).toEqual(['m']); // no temporary folder left
  });
  it('reports a missing folder and truncated weights clearly', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dlc-io-'));
    await expect(loadModel(path.join(dir, 'nope'))).rejects.toThrow(/model.json does not exist/);
    const out = await saveModel(buildCifar10Cnn(), path.join(dir, 'm'));
    fs.truncateSync(path.join(out, 'weights.bin'), 100);
    await expect(loadModel(out)).rejects.toThrow(DataFormatError);
    await expect(loadModel(out)).rejects.toThrow(/100 bytes but model.json describes 670248/);
  });
});

describe('loadModel rejects a broken model folder with a DataFormatError naming the folder and the problem', () => {
  it('a folder that does not exist, or is a file', async () => {
    const root = tmp();
    const missing = path.join(root, 'nope');
    expect(await formatError(loadModel(missing), missing)).toMatch(/model.json does not exist \(no such folder\)/);
    expect(fs.existsSync(missing)).toBe(false);
    const { dir } = await savedTiny();
    const jsonFile = path.join(dir, 'model.json');
    const msg = await formatError(loadModel(jsonFile), jsonFile);
    expect(msg).toMatch(/is a file, not a folder/);
    expect(msg).toContain(`pass ${dir}`);
  });

  it('a folder without model.json', async () => {
    const { dir } = await savedTiny();
    fs.rmSync(path.join(dir, 'model.json'));
    expect(await formatError(loadModel(dir), dir)).toMatch(/model.json does not exist/);
  });

  it('a missing weights.bin, or whatever file the manifest names', async () => {
    const { dir } = await savedTiny();
    fs.rmSync(path.join(dir, 'weights.bin'));
    const msg = await formatError(loadModel(dir), dir);
    expect(msg).toMatch(/weights.bin does not exist; model.json's weightsManifest\[0\].paths\[0\] names it/);
    rewrite(dir, (j) => (j.weightsManifest![0].paths = ['group1-shard1of1.bin']));
    expect(await formatError(loadModel(dir), dir)).toMatch(/group1-shard1of1.bin does not exist/);
  });

  it('reads weights from the files the manifest names, including several shards', async () => {
    const { dir } = await savedTiny();
    const bytes = fs.readFileSync(path.join(dir, 'weights.bin'));
    fs.rmSync(path.join(dir, 'weights.bin'));
    fs.writeFileSync(path.join(dir, 'group1-shard1of2.bin'), bytes.subarray(0, 10));
    fs.writeFileSync(path.join(dir, 'group1-shard2of2.bin'), bytes.subarray(10));
    rewrite(dir, (j) => (j.weightsManifest![0].paths = ['group1-shard1of2.bin', 'group1-shard2of2.bin']));
    expect(predict(await loadModel(dir))).toEqual(predict(tiny()));
  });

  it.each([
    ['../outside.bin', '"../outside.bin"'],
    ['..', '".."'],
    ['sub/weights.bin', '"sub/weights.bin"'],
    ['sub\\weights.bin', '"sub\\\\weights.bin"'],
    ['weights.bin\0.txt', '"weights.bin\\u0000.txt"'],
  ])('a weight path %j that does not name a plain file inside the folder', async (bad, shown) => {
    const { root, dir } = await savedTiny();
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.copyFileSync(path.join(dir, 'weights.bin'), path.join(dir, 'sub', 'weights.bin'));
    rewrite(dir, (j) => (j.weightsManifest![0].paths = [bad]));
    const msg = await formatError(loadModel(dir), dir);
    expect(msg).toContain(`weightsManifest[0].paths[0] is ${shown}`);
    expect(msg).toMatch(/expected a plain file name inside the folder/);
    expect(fs.existsSync(path.join(root, 'outside.bin'))).toBe(false); // nothing created outside
    expect(fs.readdirSync(root)).toEqual(['m']);
  });

  it('an absolute weight path, even to a valid weights file outside the folder', async () => {
    const { root, dir } = await savedTiny();
    const outside = path.join(root, 'outside.bin');
    fs.copyFileSync(path.join(dir, 'weights.bin'), outside); // would load if it were read
    for (const bad of [outside, '../outside.bin']) {
      rewrite(dir, (j) => (j.weightsManifest![0].paths = [bad]));
      const msg = await formatError(loadModel(dir), dir);
      expect(msg).toContain(JSON.stringify(bad));
      expect(msg).toMatch(/expected a plain file name inside the folder/);
    }
    expect(fs.readdirSync(root).sort()).toEqual(['m', 'outside.bin']);
  });

  it('a weights file that is a link to a file outside the folder', async () => {
    const { root, dir } = await savedTiny();
    const outside = path.join(root, 'outside.bin');
    fs.renameSync(path.join(dir, 'weights.bin'), outside);
    fs.symlinkSync(outside, path.join(dir, 'weights.bin'));
    const msg = await formatError(loadModel(dir), dir);
    expect(msg).toContain(`weights.bin is a link to ${fs.realpathSync(outside)}, outside the folder`);
  });

  it('a weight shape that does not match the architecture (same or different byte size)', async () => {
    const { dir, kernel } = await savedTiny();
    rewrite(dir, (j) => (j.weightsManifest![0].weights[0].shape = [2, 3])); // same 32 bytes in weights.bin
    const msg = await formatError(loadModel(dir), dir);
    expect(msg).toContain(`weight ${kernel} has shape [2, 3] in weightsManifest but the architecture in model.json needs [3, 2]`);
    rewrite(dir, (j) => (j.weightsManifest![0].weights[0].shape = [3, 1])); // fewer bytes than weights.bin holds
    expect(await formatError(loadModel(dir), dir)).toContain(`weight ${kernel} has shape [3, 1] in weightsManifest but the architecture in model.json needs [3, 2]`);
  });

  it('a weight dtype that does not match the architecture, or is not a weight dtype', async () => {
    const { dir, kernel, bias } = await savedTiny();
    rewrite(dir, (j) => (j.weightsManifest![0].weights[0].dtype = 'int32'));
    expect(await formatError(loadModel(dir), dir)).toContain(`weight ${kernel} has dtype int32 in weightsManifest but the architecture in model.json needs float32`);
    rewrite(dir, (j) => (j.weightsManifest![0].weights[0].dtype = 'float32'));
    rewrite(dir, (j) => (j.weightsManifest![0].weights[1].dtype = 'float64'));
    expect(await formatError(loadModel(dir), dir)).toContain(`weight ${bias} has dtype "float64"; expected float32, int32 or bool`);
  });

  it('a weight the architecture does not have, or lacks', async () => {
    const { dir, kernel, bias } = await savedTiny();
    rewrite(dir, (j) => (j.weightsManifest![0].weights[0].name = 'dense_X/kernel'));
    expect(await formatError(loadModel(dir), dir)).toContain('weightsManifest has weight dense_X/kernel, which the architecture in model.json does not have');
    rewrite(dir, (j) => (j.weightsManifest![0].weights = [j.weightsManifest![0].weights[1]]));
    expect(await formatError(loadModel(dir), dir)).toContain(`weightsManifest lacks weight ${kernel} (shape [3, 2], float32)`);
    expect(bias).toMatch(/bias/);
  });

  it('a weights file shorter (truncated) or longer than the manifest describes', async () => {
    const { dir } = await savedTiny();
    const file = path.join(dir, 'weights.bin');
    fs.truncateSync(file, 20);
    expect(await formatError(loadModel(dir), dir)).toContain('weights.bin has 20 bytes but model.json describes 32 (the shapes × dtype sizes of 2 weights); the file is truncated');
    fs.truncateSync(file, 36);
    expect(await formatError(loadModel(dir), dir)).toContain('weights.bin has 36 bytes but model.json describes 32 (the shapes × dtype sizes of 2 weights); the file is longer than described');
  });

  it('a model.json that is not JSON, not an object, or lacks modelTopology / weightsManifest', async () => {
    const { dir } = await savedTiny();
    const file = path.join(dir, 'model.json');
    const good = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, good.slice(0, 50));
    expect(await formatError(loadModel(dir), dir)).toMatch(/model.json is not valid JSON \(/);
    fs.writeFileSync(file, '[1, 2]');
    expect(await formatError(loadModel(dir), dir)).toMatch(/model.json holds array \[1, 2\]; expected a JSON object/);
    fs.writeFileSync(file, good);
    rewrite(dir, (j) => delete j.modelTopology);
    expect(await formatError(loadModel(dir), dir)).toMatch(/model.json lacks modelTopology \(got undefined\)/);
    fs.writeFileSync(file, good);
    rewrite(dir, (j) => delete j.weightsManifest);
    expect(await formatError(loadModel(dir), dir)).toMatch(/model.json lacks weightsManifest \(got undefined\)/);
    fs.writeFileSync(file, good);
    rewrite(dir, (j) => (j.modelTopology = { class_name: 'NoSuchModel', config: {} }));
    expect(await formatError(loadModel(dir), dir)).toMatch(/model.json's modelTopology cannot be built by TF.js/);
    fs.writeFileSync(file, good);
    expect(predict(await loadModel(dir))).toEqual(predict(tiny())); // the untouched folder still loads
  });
});

describe('file:// URLs and other schemes', () => {
  const cwd = process.cwd();
  afterEach(() => process.chdir(cwd));

  it('saveModel and loadModel accept file:// URLs: same folder, same predictions, nothing in the working folder', async () => {
    const root = tmp();
    const work = tmp();
    process.chdir(work);
    const dir = path.join(root, 'my model'); // a space: %20 in the URL
    const url = pathToFileURL(dir).href;
    expect(url).toMatch(/^file:\/\/\/.*my%20model$/);
    const model = tiny(7);
    expect(await saveModel(model, url)).toBe(dir);
    expect(fs.readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
    expect(fs.readdirSync(root)).toEqual(['my model']);
    expect(fs.readdirSync(work)).toEqual([]); // not ./file:/…
    expect(predict(await loadModel(url))).toEqual(predict(model));
    expect(predict(await loadModel(dir))).toEqual(predict(model));
  });

  it('a file:// URL with a host is an ArgumentError that shows the expected form', async () => {
    await expect(loadModel('file://relative/model')).rejects.toThrow(ArgumentError);
    await expect(loadModel('file://relative/model')).rejects.toThrow(/expected file:\/\/\/absolute\/folder/);
    await expect(saveModel(tiny(), 'file://relative/model')).rejects.toThrow(/is not a usable file:\/\/ URL/);
  });

  it.each(['http://example.com/model', 'https://example.com/m', 'indexeddb://my-model', 'localstorage://my-model'])('%s is an ArgumentError: only local folders and file:// URLs', async (url) => {
    const work = tmp();
    process.chdir(work);
    for (const p of [loadModel(url), saveModel(tiny(), url)]) {
      const err = await p.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ArgumentError);
      expect((err as Error).message).toContain(JSON.stringify(url));
      expect((err as Error).message).toContain('only local folders and file:// URLs are supported');
    }
    expect(fs.readdirSync(work)).toEqual([]);
  });

  it('bad dir arguments are ArgumentErrors', async () => {
    for (const bad of ['', 42, null, 'a\0b', 'file:///tmp/a%00b']) {
      await expect(loadModel(bad as string)).rejects.toThrow(ArgumentError);
      await expect(saveModel(tiny(), bad as string)).rejects.toThrow(ArgumentError);
    }
    await expect(loadModel('')).rejects.toThrow(/loadModel: dir must be a non-empty folder path or file:\/\/ URL, got string ""/);
    await expect(saveModel({} as tf.LayersModel, tmp())).rejects.toThrow(/saveModel: model must be a tf.LayersModel, got object/);
  });
});

/** A layer that cannot be serialised: model.save throws after saveModel made its temporary folder. */
class Unsaveable extends tf.layers.Layer {
  static className = 'Unsaveable';
  override getConfig(): never {
    throw new Error('Unsaveable cannot be serialised');
  }
}

describe('saveModel is atomic', () => {
  it('a model whose save throws leaves no temporary folder and the previous model intact', async () => {
    const root = tmp();
    const bad = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] }), new Unsaveable({})] });
    await expect(saveModel(bad, path.join(root, 'm'))).rejects.toThrow(/Unsaveable cannot be serialised/);
    expect(fs.readdirSync(root)).toEqual([]);
    const good = tiny(3);
    const dir = await saveModel(good, path.join(root, 'm'));
    await expect(saveModel(bad, dir)).rejects.toThrow(/Unsaveable cannot be serialised/);
    expect(fs.readdirSync(root)).toEqual(['m']);
    expect(predict(await loadModel(dir))).toEqual(predict(good));
  });

  it('replaces an existing model folder, leaving only the new one', async () => {
    const root = tmp();
    const dir = await saveModel(tiny(1), path.join(root, 'm'));
    const second = tiny(2);
    expect(await saveModel(second, dir)).toBe(dir);
    expect(fs.readdirSync(root)).toEqual(['m']);
    expect(fs.readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
    expect(predict(await loadModel(dir))).toEqual(predict(second));
  });

  it('refuses to replace a file or a folder that is not a model folder', async () => {
    const root = tmp();
    const file = path.join(root, 'notes.txt');
    fs.writeFileSync(file, 'keep me');
    await expect(saveModel(tiny(), file)).rejects.toThrow(ArgumentError);
    await expect(saveModel(tiny(), file)).rejects.toThrow(`saveModel: dir ${file} exists and is not a folder`);
    expect(fs.readFileSync(file, 'utf8')).toBe('keep me');
    const other = path.join(root, 'photos');
    fs.mkdirSync(other);
    fs.writeFileSync(path.join(other, 'a.png'), 'x');
    await expect(saveModel(tiny(), other)).rejects.toThrow(/is a folder with 1 entries and no model.json; expected a new, empty or model folder/);
    expect(fs.readdirSync(other)).toEqual(['a.png']);
    expect(fs.readdirSync(root).sort()).toEqual(['notes.txt', 'photos']);
    fs.mkdirSync(path.join(root, 'empty'));
    await saveModel(tiny(), path.join(root, 'empty')); // an empty folder is fine
    expect(fs.readdirSync(path.join(root, 'empty')).sort()).toEqual(['model.json', 'weights.bin']);
  });

  it('a target whose parent is a file fails with nothing created', async () => {
    const root = tmp();
    fs.writeFileSync(path.join(root, 'file'), '');
    await expect(saveModel(tiny(), path.join(root, 'file', 'm'))).rejects.toThrow(/ENOTDIR|EEXIST/);
    expect(fs.readdirSync(root)).toEqual(['file']);
  });

  it.skipIf(process.getuid?.() === 0)(`a read-only parent folder fails with no temporary folder left${process.getuid?.() === 0 ? ' (skipped: running as root, where permissions do not block writes)' : ''}`, async () => {
    const root = tmp();
    const parent = path.join(root, 'ro');
    fs.mkdirSync(parent);
    fs.chmodSync(parent, 0o555);
    try {
      await expect(saveModel(tiny(), path.join(parent, 'm'))).rejects.toThrow(/EACCES|EPERM/);
      expect(fs.readdirSync(parent)).toEqual([]);
    } finally {
      fs.chmodSync(parent, 0o755);
    }
  });
});
