#!/usr/bin/env node
/**
 * Generates chapter 06c's spoken-keyword data set (data/keywords/): the ten
 * command words of Warden's Speech Commands (arXiv:1804.03209, §3), twelve
 * "unknown" words and background-only "silence", voiced by espeak-ng in
 * 8 English accents × 19 voice variants, at random speeds and pitches.
 *
 * Each voicing is: espeak-ng's 22,050 Hz 16-bit WAV → 16,000 Hz (wavefile's
 * windowed-sinc interpolation after a 71-tap FIR low-pass at 8 kHz) → trimmed
 * to where the sound is (the first and last sample above 1% of the peak,
 * 10 ms kept either side) → scaled to a random peak level → 8-bit mu-law WAV
 * (ITU-T G.711). Where a clip sits in its one-second window, and the white
 * noise added to it (its level in dB below the clip and its seed), are drawn
 * here and written to index.json; lib's `loadKeywords` builds the one-second
 * noisy clips from them, so the noise costs no storage.
 *
 * Voices are split by variant: the test and validation variants never speak
 * in training (held-out voices).
 *
 *   npm run build && node scripts/make-keywords.cjs [--out data/keywords] [--check]
 *
 * --check regenerates every clip in memory and compares its SHA-256 with
 * index.json instead of writing (about a minute). espeak-ng is run with an
 * argument array, never through a shell. Needs `espeak-ng` (Debian:
 * apt-get install espeak-ng) and the built library (dist/) for the seeded
 * random numbers of lib/core/random.ts.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { WaveFile } = require('wavefile');

const ROOT = path.resolve(__dirname, '..');
const SEED = 6;
const SAMPLE_RATE = 16000;
/** One clip's window: one second. */
const CLIP_SAMPLES = 16000;
const KEYWORDS = ['yes', 'no', 'up', 'down', 'left', 'right', 'on', 'off', 'stop', 'go'];
/** Words that are not commands: the class 'unknown' (some of Speech Commands' auxiliary words). */
const UNKNOWN_WORDS = ['bed', 'bird', 'cat', 'dog', 'happy', 'house', 'marvin', 'sheila', 'tree', 'wow', 'zero', 'seven'];
const CLASSES = [...KEYWORDS, 'silence', 'unknown'];
/** espeak-ng's English accents (language voices of its gmw family). */
const ACCENTS = ['en-gb', 'en-us', 'en-gb-scotland', 'en-gb-x-gbclan', 'en-gb-x-rp', 'en-gb-x-gbcwmd', 'en-029', 'en-us-nyc'];
/** Voice variants (espeak-ng-data/voices/!v): who speaks. The split is by variant. */
const VARIANTS = {
  train: ['m1', 'm2', 'm3', 'm4', 'm5', 'f1', 'f2', 'f3', 'klatt', 'klatt3', 'klatt5'],
  validation: ['m6', 'f4', 'klatt6'],
  test: ['m7', 'm8', 'f5', 'klatt2', 'klatt4'],
};
/** Per variant: each keyword in this many accents (drawn), unknown words and silence items. */
const ACCENTS_PER_KEYWORD = 4;
const UNKNOWN_PER_VARIANT = 6;
const SILENCE_PER_VARIANT = 4;
/** Ranges drawn uniformly: espeak-ng -s (words per minute), -p (0–99), peak level and signal-to-noise ratio in dB. */
const SPEED = [130, 210];
const PITCH = [25, 75];
const PEAK_DB = [-18, -3];
const SNR_DB = [5, 30];
/** Noise level of the silence items, dB relative to full scale (RMS). */
const SILENCE_NOISE_DB = [-60, -30];
const RESAMPLE = { method: 'sinc', LPF: true, LPFType: 'FIR' };

function espeakVersion() {
  const r = spawnSync('espeak-ng', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return undefined;
  // "eSpeak NG text-to-speech: 1.51  Data at: /usr/lib/…": the version, without this machine's path.
  const version = /text-to-speech: (\S+)/.exec(r.stdout)?.[1] ?? r.stdout.trim();
  const deb = spawnSync('dpkg-query', ['-W', '-f=${Version}', 'espeak-ng'], { encoding: 'utf8' });
  return deb.status === 0 && deb.stdout ? `${version} (Debian package espeak-ng ${deb.stdout.trim()})` : version;
}

/** The espeak-ng arguments of one item (the exact command index.json records). */
function espeakArgs(item) {
  return ['-v', `${item.accent}+${item.variant}`, '-s', String(item.speed), '-p', String(item.pitch), '--stdout', item.word];
}

/** Renders one item with espeak-ng: the bytes of its 16 kHz 8-bit mu-law WAV file. */
function renderItem(item) {
  const r = spawnSync('espeak-ng', espeakArgs(item), { maxBuffer: 16 << 20 });
  if (r.error) throw new Error(`make-keywords: could not run espeak-ng (Debian: apt-get install espeak-ng): ${r.error.message}`);
  if (r.status !== 0) throw new Error(`make-keywords: espeak-ng ${espeakArgs(item).join(' ')} exited ${r.status}: ${r.stderr}`);
  const wav = new WaveFile(r.stdout);
  wav.toSampleRate(SAMPLE_RATE, RESAMPLE);
  const x = wav.getSamples(false, Float64Array); // 16-bit integer scale
  let peak = 0;
  for (const v of x) peak = Math.max(peak, Math.abs(v));
  if (peak === 0) throw new Error(`make-keywords: espeak-ng gave silence for ${espeakArgs(item).join(' ')}`);
  let first = 0;
  let last = x.length - 1;
  while (Math.abs(x[first]) < 0.01 * peak) first++;
  while (Math.abs(x[last]) < 0.01 * peak) last--;
  const margin = SAMPLE_RATE / 100;
  first = Math.max(0, first - margin);
  last = Math.min(x.length - 1, last + margin, first + CLIP_SAMPLES - 1);
  const gain = (10 ** (item.peakDb / 20) * 32767) / peak;
  const pcm = new Int16Array(last - first + 1);
  for (let i = 0; i < pcm.length; i++) pcm[i] = Math.round(x[first + i] * gain);
  const out = new WaveFile();
  out.fromScratch(1, SAMPLE_RATE, '16', pcm);
  out.toMuLaw();
  return Buffer.from(out.toBuffer());
}

/** The items of the data set, every random choice drawn from one seeded stream. */
function planItems(seededRandom) {
  const rand = seededRandom(SEED);
  const uniform = ([lo, hi]) => lo + (hi - lo) * rand();
  const integer = ([lo, hi]) => lo + Math.floor((hi - lo + 1) * rand());
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const items = [];
  for (const [split, variants] of Object.entries(VARIANTS)) {
    for (const variant of variants) {
      const spoken = [];
      for (const word of KEYWORDS) {
        const accents = ACCENTS.map((a) => [rand(), a]).sort((p, q) => p[0] - q[0]).slice(0, ACCENTS_PER_KEYWORD).map((p) => p[1]);
        for (const accent of accents) spoken.push({ word, label: word, accent });
      }
      for (let i = 0; i < UNKNOWN_PER_VARIANT; i++) spoken.push({ word: pick(UNKNOWN_WORDS), label: 'unknown', accent: pick(ACCENTS), tag: `unknown${i}-` });
      for (const s of spoken) {
        items.push({
          id: `${split}-${variant}-${s.tag ?? ''}${s.word}-${s.accent}`,
          split,
          label: s.label,
          word: s.word,
          voice: `${s.accent}+${variant}`,
          accent: s.accent,
          variant,
          speed: integer(SPEED),
          pitch: integer(PITCH),
          peakDb: Math.round(uniform(PEAK_DB) * 10) / 10,
          snrDb: Math.round(uniform(SNR_DB) * 10) / 10,
          startFraction: Math.round(rand() * 1000) / 1000,
          noiseSeed: Math.floor(rand() * 2 ** 32),
        });
      }
      for (let i = 0; i < SILENCE_PER_VARIANT; i++) {
        items.push({
          id: `${split}-${variant}-silence-${i}`,
          split,
          label: 'silence',
          word: null,
          voice: variant,
          variant,
          noiseDb: Math.round(uniform(SILENCE_NOISE_DB) * 10) / 10,
          noiseSeed: Math.floor(rand() * 2 ** 32),
        });
      }
    }
  }
  return items;
}

/** RMS level of a mu-law WAV's samples in dB relative to full scale. */
function rmsDb(wavBytes) {
  const wav = new WaveFile(wavBytes);
  wav.fromMuLaw();
  const x = wav.getSamples(false, Float64Array);
  let sum = 0;
  for (const v of x) sum += (v / 32768) ** 2;
  return { db: 10 * Math.log10(sum / x.length), samples: x.length };
}

/** Fills in what rendering tells: the clip's file, length, hash, start sample and noise level. */
function finishItem(item, wavBytes) {
  const { db, samples } = rmsDb(wavBytes);
  item.file = `clips/${item.id}.wav`;
  item.samples = samples;
  item.sha256 = crypto.createHash('sha256').update(wavBytes).digest('hex');
  item.start = Math.round(item.startFraction * (CLIP_SAMPLES - samples));
  item.noiseDb = Math.round((db - item.snrDb) * 100) / 100;
  delete item.startFraction;
}

function main() {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const outArg = args.indexOf('--out');
  const out = path.resolve(outArg >= 0 ? args[outArg + 1] : path.join(ROOT, 'data', 'keywords'));
  const version = espeakVersion();
  if (!version) throw new Error('make-keywords: espeak-ng is not installed (Debian: apt-get install espeak-ng)');
  const { seededRandom } = require(path.join(ROOT, 'dist', 'lib', 'core', 'random.js'));
  const items = planItems(seededRandom);
  if (check) {
    const index = JSON.parse(fs.readFileSync(path.join(out, 'index.json'), 'utf8'));
    let bad = 0;
    for (const item of index.items.filter((i) => i.file)) {
      const sha = crypto.createHash('sha256').update(renderItem(item)).digest('hex');
      if (sha !== item.sha256) {
        bad++;
        console.log(`differs: ${item.id}`);
      }
    }
    console.log(`${index.items.filter((i) => i.file).length - bad} of ${index.items.filter((i) => i.file).length} clips regenerate byte for byte (espeak-ng here: ${version}; index: ${index.espeakNg})`);
    process.exitCode = bad ? 1 : 0;
    return;
  }
  const tmp = `${out}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(path.join(tmp, 'clips'), { recursive: true });
  let done = 0;
  for (const item of items) {
    if (item.word !== null) {
      const bytes = renderItem(item);
      finishItem(item, bytes);
      fs.writeFileSync(path.join(tmp, item.file), bytes);
    }
    if (++done % 100 === 0) process.stderr.write(`make-keywords: ${done} / ${items.length} items\n`);
  }
  const index = {
    name: 'dl-course spoken keywords',
    generator: 'scripts/make-keywords.cjs',
    espeakNg: version,
    command: 'espeak-ng -v ACCENT+VARIANT -s SPEED -p PITCH --stdout WORD',
    resampling: `wavefile ${require('wavefile/package.json').version} toSampleRate(16000, ${JSON.stringify(RESAMPLE)})`,
    encoding: '8-bit mu-law WAV (ITU-T G.711), mono',
    sampleRate: SAMPLE_RATE,
    clipSamples: CLIP_SAMPLES,
    seed: SEED,
    classes: CLASSES,
    splits: VARIANTS,
    items,
  };
  // One item per line: a readable diff when the data set is regenerated.
  const head = JSON.stringify({ ...index, items: [] }, null, 1).replace(/,\n "items": \[\]\n}$/, '');
  fs.writeFileSync(path.join(tmp, 'index.json'), `${head},\n "items": [\n${items.map((i) => `  ${JSON.stringify(i)}`).join(',\n')}\n ]\n}\n`);
  const readme = path.join(out, 'README.md');
  if (fs.existsSync(readme)) fs.copyFileSync(readme, path.join(tmp, 'README.md'));
  fs.rmSync(out, { recursive: true, force: true });
  fs.renameSync(tmp, out);
  const bytes = items.filter((i) => i.file).reduce((s, i) => s + fs.statSync(path.join(out, i.file)).size, 0);
  console.log(`make-keywords: ${items.length} items (${items.filter((i) => i.file).length} clips, ${(bytes / 1e6).toFixed(2)} MB) in ${path.relative(process.cwd(), out)}`);
}

module.exports = { KEYWORDS, UNKNOWN_WORDS, CLASSES, ACCENTS, VARIANTS, espeakArgs, espeakVersion, renderItem };

if (require.main === module) {
  try {
    main();
  } catch (err) {
    console.error(err.message);
    process.exitCode = 1;
  }
}
