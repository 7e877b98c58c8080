import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArgumentError, DataFormatError, encodeWav, keywordClip, keywordImages, keywordsDir, loadKeywords, logMelSpectrogram, readWav, type KeywordIndex, type KeywordItem } from '../../lib';

const ROOT = path.resolve(__dirname, '..', '..');
const DIR = path.join(ROOT, 'data', 'keywords');
const index = JSON.parse(fs.readFileSync(path.join(DIR, 'index.json'), 'utf8')) as KeywordIndex;
const script = createRequire(__filename)(path.join(ROOT, 'scripts', 'make-keywords.cjs')) as {
  CLASSES: string[];
  VARIANTS: Record<string, string[]>;
  espeakVersion(): string | undefined;
  espeakArgs(item: KeywordItem): string[];
  renderItem(item: KeywordItem): Buffer;
};
const espeak = script.espeakVersion();
/** Why the byte-for-byte regeneration cannot run here, or '' when it can. */
const noRegen = !espeak ? 'espeak-ng is not installed (apt-get install espeak-ng)' : espeak !== index.espeakNg ? `espeak-ng here is ${espeak}, the data set was made with ${index.espeakNg}` : '';
const CONFIG = { sampleRate: 16000, frameLength: 480, hop: 320, fftSize: 512, numMels: 40, fMin: 20, fMax: 8000, minDb: -40, maxDb: 20 };

describe('the shipped data set (data/keywords)', () => {
  it('index.json lists the classes and splits the script makes, and every file is there with the SHA-256 recorded', () => {
    expect(index.classes).toEqual(script.CLASSES);
    expect(index.splits).toEqual(script.VARIANTS);
    const withFiles = index.items.filter((it) => it.file);
    expect(withFiles.length).toBe(874);
    expect(index.items.length).toBe(950);
    for (const it of withFiles) {
      const bytes = fs.readFileSync(path.join(DIR, it.file!));
      expect(crypto.createHash('sha256').update(bytes).digest('hex'), it.id).toBe(it.sha256);
    }
    // No stray files.
    expect(fs.readdirSync(path.join(DIR, 'clips')).sort()).toEqual(withFiles.map((it) => path.basename(it.file!)).sort());
  });
  it('splits by voice: no variant speaks in two splits, and each split has every class', () => {
    const variants = (split: string) => new Set(index.items.filter((it) => it.split === split).map((it) => it.variant));
    const [train, validation, test] = ['train', 'validation', 'test'].map(variants);
    for (const v of test) expect(train.has(v) || validation.has(v), v).toBe(false);
    for (const v of validation) expect(train.has(v), v).toBe(false);
    for (const split of ['train', 'validation', 'test']) {
      expect(new Set(index.items.filter((it) => it.split === split).map((it) => it.label))).toEqual(new Set(index.classes));
    }
  });
  it('each clip fits its one-second window at its start, and its recorded noise level is its RMS minus the SNR', () => {
    for (const it of index.items.filter((x) => x.file).slice(0, 60)) {
      const audio = readWav(new Uint8Array(fs.readFileSync(path.join(DIR, it.file!))));
      expect(audio.sampleRate).toBe(16000);
      expect(audio.samples.length).toBe(it.samples);
      expect(it.start! + it.samples!).toBeLessThanOrEqual(16000);
      const rmsDb = 10 * Math.log10(audio.samples.reduce((s, v) => s + v * v, 0) / audio.samples.length);
      expect(Math.abs(rmsDb - it.snrDb! - it.noiseDb)).toBeLessThan(0.02);
      const peak = Math.max(...audio.samples.map(Math.abs));
      expect(Math.abs(20 * Math.log10(peak) - it.peakDb!)).toBeLessThan(0.3); // mu-law's steps near the peak are ~3% (0.25 dB)
    }
  });
  it.skipIf(noRegen !== '')(`scripts/make-keywords.cjs regenerates shipped clips byte for byte${noRegen ? ` (skipped: ${noRegen})` : ''}`, () => {
    const items = index.items.filter((it) => it.file);
    for (const it of [items[0], items[400], items[items.length - 1]]) {
      expect(crypto.createHash('sha256').update(script.renderItem(it)).digest('hex'), `${it.id}: ${script.espeakArgs(it).join(' ')}`).toBe(it.sha256);
    }
  }, 60_000);
  it('the script runs espeak-ng with an argument list (the word is never parsed by a shell)', () => {
    expect(script.espeakArgs({ accent: 'en-us', variant: 'f5', speed: 150, pitch: 40, word: 'stop; rm -rf /' } as KeywordItem)).toEqual(['-v', 'en-us+f5', '-s', '150', '-p', '40', '--stdout', 'stop; rm -rf /']);
    const source = fs.readFileSync(path.join(ROOT, 'scripts', 'make-keywords.cjs'), 'utf8');
    expect(source).not.toMatch(/shell:\s*true|execSync|execFile|(?<!\.)\bexec\(/);
  });
});

describe('keywordClip', () => {
  it('places the samples at start and adds noise of the recorded RMS, the same for the same seed', () => {
    const voiced = new Float32Array([0.5, -0.5, 0.25]);
    const item = { id: 'x', start: 10, noiseDb: -40, noiseSeed: 3 } as KeywordItem;
    const clean = keywordClip(item, voiced, 100, false);
    expect(Array.from(clean.subarray(9, 14))).toEqual([0, 0.5, -0.5, 0.25, 0]);
    const a = keywordClip(item, undefined, 16000, true);
    const rms = Math.sqrt(a.reduce((s, v) => s + v * v, 0) / a.length);
    expect(Math.abs(20 * Math.log10(rms) + 40)).toBeLessThan(0.1);
    expect(keywordClip(item, undefined, 16000, true)).toEqual(a);
    expect(keywordClip({ ...item, noiseSeed: 4 }, undefined, 16000, true)).not.toEqual(a);
  });
  it('rejects samples that do not fit the window', () => {
    expect(() => keywordClip({ id: 'late', start: 99, noiseDb: -40, noiseSeed: 1 } as KeywordItem, new Float32Array(5), 100, false)).toThrow(/keywordClip: late's 5 samples do not fit a window of 100 at start number 99/);
  });
});

describe('loadKeywords', () => {
  it('finds data/keywords and loads every split, the noisy clips as keywordClip builds them', async () => {
    expect(keywordsDir()).toBe(DIR);
    const data = await loadKeywords();
    expect([data.train.n, data.validation.n, data.test.n]).toEqual([550, 150, 250]);
    expect(data.train.samples.length).toBe(550 * 16000);
    const i = 123;
    const it = data.train.items[i];
    const voiced = it.file ? readWav(new Uint8Array(fs.readFileSync(path.join(DIR, it.file)))).samples : undefined;
    expect(data.train.samples.subarray(i * 16000, (i + 1) * 16000)).toEqual(keywordClip(it, voiced, 16000, true));
    expect(data.classes[data.train.labels[i]]).toBe(it.label);
  }, 60_000);
  it('finds the data under Node’s permission model (the grader’s sandbox), where paths it may not read throw', () => {
    const flag = process.allowedNodeEnvironmentFlags.has('--permission') ? '--permission' : '--experimental-permission';
    const code = `require(${JSON.stringify(path.join(ROOT, 'dist', 'lib', 'audio', 'keywords.js'))}).loadKeywords({ perClass: 1 }).then((d) => console.log('test clips', d.test.n))`;
    const reads = [path.join(ROOT, 'dist'), path.join(ROOT, 'node_modules'), DIR];
    const r = spawnSync(process.execPath, [flag, ...reads.map((p) => `--allow-fs-read=${p}`), '--no-warnings', '-e', code], { encoding: 'utf8', cwd: os.tmpdir() });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('test clips 12');
  });
  it('perClass keeps at most that many per class and split, from different voices', async () => {
    const data = await loadKeywords({ perClass: 3, noise: false });
    expect(data.test.n).toBe(36);
    const yes = data.test.items.filter((it) => it.label === 'yes');
    expect(yes.length).toBe(3);
    expect(new Set(yes.map((it) => it.variant)).size).toBe(3);
    // noise: false: silence is exactly zero.
    const s = data.test.labels.indexOf(data.classes.indexOf('silence'));
    expect(data.test.samples.subarray(s * 16000, (s + 1) * 16000).every((v) => v === 0)).toBe(true);
  });
  it('says what is missing when the folder has no index, and checks its options', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'dlc-kw-'));
    await expect(loadKeywords({ dir: empty })).rejects.toThrow(DataFormatError);
    await expect(loadKeywords({ dir: empty })).rejects.toThrow(/node scripts\/make-keywords.cjs/);
    await expect(loadKeywords({ perClass: 0 })).rejects.toThrow(/loadKeywords: options.perClass must be an integer >= 1/);
    await expect(loadKeywords({ noise: 'yes' as unknown as boolean })).rejects.toThrow(ArgumentError);
  });
  it('rejects a clip at another sample rate than the index says', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dlc-kw-'));
    const item = index.items.find((it) => it.file)!;
    fs.mkdirSync(path.join(dir, 'clips'));
    fs.writeFileSync(path.join(dir, item.file!), encodeWav(new Float32Array(100), 8000));
    fs.writeFileSync(path.join(dir, 'index.json'), JSON.stringify({ ...index, items: [item] }));
    await expect(loadKeywords({ dir })).rejects.toThrow(/is at 8000 Hz, the index says 16000 Hz/);
  });
});

describe('keywordImages', () => {
  it('is each clip’s log-mel spectrogram as grey levels over [minDb, maxDb]', async () => {
    const data = await loadKeywords({ perClass: 1 });
    const images = keywordImages(data.test, 16000, CONFIG);
    expect(images.imageShape).toEqual([49, 40, 1]);
    expect(images.pixels.length).toBe(12 * 49 * 40);
    expect(Array.from(images.labels)).toEqual(Array.from(data.test.labels));
    const k = 5;
    const s = logMelSpectrogram(data.test.samples.subarray(k * 16000, (k + 1) * 16000), CONFIG);
    for (const j of [0, 100, 1959]) {
      const grey = Math.round((255 * (Math.min(20, Math.max(-40, s.values[j])) + 40)) / 60);
      expect(images.pixels[k * 1960 + j]).toBe(grey);
    }
  });
  it('checks that the samples are n clips long', () => {
    expect(() => keywordImages({ n: 2, samples: new Float32Array(10), labels: new Int32Array(2) }, 16000, CONFIG)).toThrow(/keywordImages: clips must be/);
  });
});
