// `npm run setup:native` (scripts/setup-native.cjs): its checks fail clearly
// on bad input, and, where a TensorFlow wheel from pip is on the machine, the
// whole setup runs in a temporary copy of the project, the course's backend
// selection picks the result up, its numbers match the cpu backend, and
// `--undo` brings the wasm default back.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..', '..');
const SCRIPT = path.join(ROOT, 'scripts', 'setup-native.cjs');
const setup = createRequire(__filename)(SCRIPT) as {
  ADDON_SYMBOLS: string[];
  elfArchitecture(file: string): string;
  missingSymbols(files: string[], needed?: string[]): string[];
  describeLibraryFolder(dir: string): unknown;
};

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'native-setup-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function runSetup(args: string[], cwd = ROOT, script = SCRIPT): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [script, ...args], { cwd, encoding: 'utf8', timeout: 600_000, env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' } });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** An ELF header (64-bit, little-endian) for the given e_machine, padded to 64 bytes. */
function fakeElf(machine: number): Buffer {
  const b = Buffer.alloc(64);
  b.writeUInt32BE(0x7f454c46, 0);
  b[4] = 2; // ELFCLASS64
  b[5] = 1; // little-endian
  b.writeUInt16LE(machine, 18);
  return b;
}

/** A folder laid out like pip's tensorflow package, with the given library files. */
function fakeTensorFlow(name: string, main: Buffer | string, framework: Buffer | string): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(path.join(dir, 'include', 'tensorflow', 'c', 'eager'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'include', 'tensorflow', 'c', 'c_api.h'), '/* test */\n');
  fs.writeFileSync(path.join(dir, 'include', 'tensorflow', 'c', 'eager', 'c_api.h'), '/* test */\n');
  for (const [file, content] of [['libtensorflow_cc.so.2', main], ['libtensorflow_framework.so.2', framework]] as const) {
    if (typeof content === 'string') fs.copyFileSync(content, path.join(dir, file));
    else fs.writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

/** A real shared library of this machine that exports no TF_ function: Node's own libz or libc. */
const plainLibrary = ['/lib/x86_64-linux-gnu/libz.so.1', '/usr/lib/x86_64-linux-gnu/libz.so.1', '/lib/aarch64-linux-gnu/libz.so.1', '/lib/x86_64-linux-gnu/libc.so.6'].find((f) => fs.existsSync(f));
const haveNm = spawnSync('nm', ['--version']).status === 0;

describe('setup:native checks', () => {
  it('reads the CPU architecture from an ELF header', () => {
    expect(setup.elfArchitecture(process.execPath)).toBe(process.arch); // Node's own binary
    const arm = path.join(tmp, 'arm.so');
    fs.writeFileSync(arm, fakeElf(183));
    expect(setup.elfArchitecture(arm)).toBe('arm64');
    const text = path.join(tmp, 'text.so');
    fs.writeFileSync(text, 'not a library at all');
    expect(() => setup.elfArchitecture(text)).toThrow(/text\.so is not an ELF shared library/);
  });

  it('names the files it expected in a folder without a TensorFlow library, and the headers it lacks', () => {
    const empty = fs.mkdtempSync(path.join(tmp, 'empty-'));
    expect(() => setup.describeLibraryFolder(empty)).toThrow(/no TensorFlow C library in .*libtensorflow_cc\.so\.2 and libtensorflow_framework\.so\.2/);
    const noHeaders = fs.mkdtempSync(path.join(tmp, 'noheaders-'));
    fs.writeFileSync(path.join(noHeaders, 'libtensorflow_cc.so.2'), fakeElf(62));
    fs.writeFileSync(path.join(noHeaders, 'libtensorflow_framework.so.2'), fakeElf(62));
    expect(() => setup.describeLibraryFolder(noHeaders)).toThrow(/has the library but not the C API headers/);
  });

  it.skipIf(!plainLibrary || !haveNm)(`lists every addon function a library does not export ${!plainLibrary ? '(no libz/libc found)' : !haveNm ? '(needs nm: binutils)' : ''}`, () => {
    expect(setup.ADDON_SYMBOLS).toHaveLength(55);
    expect(setup.missingSymbols([plainLibrary!])).toEqual(setup.ADDON_SYMBOLS);
    // and finds the ones it does export (zlib's inflate, libc's malloc)
    const own = plainLibrary!.includes('libz') ? 'inflate' : 'malloc';
    expect(setup.missingSymbols([plainLibrary!], ['TF_Version', own])).toEqual(['TF_Version']);
  });

  it('fails clearly: no TensorFlow, wrong architecture, missing symbols, conflicting options', () => {
    const nowhere = runSetup(['--python', path.join(tmp, 'no-such-python')]);
    expect(nowhere.status).toBe(1);
    expect(nowhere.out).toMatch(/no TensorFlow found\. Tried:\n.*no-such-python: cannot run it \(ENOENT\)/);
    expect(nowhere.out).toContain('--python PATH or --lib DIR');

    const arm = fakeTensorFlow('arm', fakeElf(183), fakeElf(183));
    const wrongArch = runSetup(['--lib', arm]);
    expect(wrongArch.status).toBe(1);
    expect(wrongArch.out).toContain(`wrong architecture: ${path.join(arm, 'libtensorflow_cc.so.2')} is built for arm64, this Node runs on ${process.arch}`);

    if (plainLibrary && haveNm && process.platform === 'linux') {
      const notTf = fakeTensorFlow('not-tf', plainLibrary, plainLibrary);
      const missing = runSetup(['--lib', notTf]);
      expect(missing.status).toBe(1);
      expect(missing.out).toContain('lacks 55 function(s) the addon needs: TFE_ContextListDevices, TFE_DeleteContext');
    }

    const both = runSetup(['--python', 'python3', '--lib', arm]);
    expect(both.out).toContain('give --python or --lib, not both');
    const unknown = runSetup(['--pyhton', 'python3']);
    expect(unknown.status).toBe(1);
    expect(unknown.out).toMatch(/Unknown option '--pyhton'/);
  });

  it('--undo removes only what it installed, and says when there is nothing', () => {
    // A minimal project: the script, and node_modules/@tensorflow with one npm-installed package and one of ours.
    const proj = fs.mkdtempSync(path.join(tmp, 'proj-'));
    fs.mkdirSync(path.join(proj, 'scripts'));
    fs.copyFileSync(SCRIPT, path.join(proj, 'scripts', 'setup-native.cjs'));
    const scope = path.join(proj, 'node_modules', '@tensorflow');
    fs.mkdirSync(path.join(scope, 'tfjs-node-gpu'), { recursive: true }); // npm's, no marker
    const script = path.join(proj, 'scripts', 'setup-native.cjs');
    const none = runSetup(['--undo'], proj, script);
    expect(none.status).toBe(0);
    expect(none.out).toContain('nothing to remove');
    expect(none.out).toContain('left node_modules/@tensorflow/tfjs-node-gpu alone: npm installed it');
    fs.mkdirSync(path.join(scope, 'tfjs-node'));
    fs.writeFileSync(path.join(scope, 'tfjs-node', 'dl-course-native.json'), '{}');
    const ours = runSetup(['--undo'], proj, script);
    expect(ours.out).toContain('removed node_modules/@tensorflow/tfjs-node');
    expect(fs.readdirSync(scope)).toEqual(['tfjs-node-gpu']);
  });
});

/** A Python with pip's TensorFlow: DL_COURSE_TF_PYTHON, else .venv-tf (where .ci/run installs tensorflow-cpu). */
function tensorflowPython(): { python?: string; why?: string } {
  if (process.env.DLC_NATIVE_SKIP) return { why: process.env.DLC_NATIVE_SKIP };
  const candidates = [process.env.DL_COURSE_TF_PYTHON, path.join(ROOT, '.venv-tf', 'bin', 'python')].filter((p): p is string => !!p && fs.existsSync(p));
  for (const python of candidates) {
    const r = spawnSync(python, ['-c', 'import importlib.util,sys; sys.exit(0 if importlib.util.find_spec("tensorflow") else 1)']);
    if (r.status === 0) return { python };
  }
  return {
    why:
      process.env.DLC_NATIVE_SKIP ??
      'no Python with TensorFlow: set DL_COURSE_TF_PYTHON or create .venv-tf (python3 -m venv .venv-tf && .venv-tf/bin/pip install tensorflow-cpu==2.21.0), as .ci/run does',
  };
}

const tfPython = tensorflowPython();
const nativeOk = tfPython.python !== undefined && process.platform === 'linux' && haveNm;

describe('setup:native end to end, in a temporary copy of the project', () => {
  it.skipIf(!nativeOk)(`builds tfjs-node against pip's TensorFlow; initBackend picks it; results match the cpu backend; --undo restores wasm${nativeOk ? '' : ` (skipped: ${tfPython.why ?? 'needs Linux and nm'})`}`, () => {
    // The copy: package.json, scripts/, dist/ copied; node_modules hard-linked
    // (same file system, under runs/), so the setup writes only into the copy.
    fs.mkdirSync(path.join(ROOT, 'runs'), { recursive: true });
    const copy = fs.mkdtempSync(path.join(ROOT, 'runs', 'native-copy-'));
    try {
      for (const f of ['package.json']) fs.copyFileSync(path.join(ROOT, f), path.join(copy, f));
      fs.cpSync(path.join(ROOT, 'scripts'), path.join(copy, 'scripts'), { recursive: true });
      fs.cpSync(path.join(ROOT, 'dist'), path.join(copy, 'dist'), { recursive: true });
      const cp = spawnSync('cp', ['-al', path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules')]);
      expect(cp.status, String(cp.stderr)).toBe(0);
      fs.rmSync(path.join(copy, 'node_modules', '@tensorflow', 'tfjs-node'), { recursive: true, force: true });
      fs.rmSync(path.join(copy, 'node_modules', '@tensorflow', 'tfjs-node-gpu'), { recursive: true, force: true });

      const r = runSetup(['--python', tfPython.python!], copy, path.join(copy, 'scripts', 'setup-native.cjs'));
      expect(r.status, r.out).toBe(0);
      for (let i = 1; i <= 7; i++) expect(r.out).toContain(`[${i}/7]`);
      const version = spawnSync(tfPython.python!, ['-c', 'import importlib.metadata as m; print(next(m.version(d) for d in m.packages_distributions()["tensorflow"]))'], { encoding: 'utf8' }).stdout.trim();

      // The course's own backend selection, and one training step of the chapter-05 CNN on native and cpu.
      const probe = `
        const tf = require('@tensorflow/tfjs');
        const dl = require('./dist/lib/index.js');
        (async () => {
          const report = await dl.initBackend();
          const step = async () => {
            const model = dl.compileClassifier(dl.buildCifar10Cnn({ seed: 3 }), { learningRate: 1e-3 });
            const x = tf.tidy(() => tf.randomUniform([8, 32, 32, 3], 0, 1, 'float32', 5));
            const y = tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], 'float32');
            const loss = await model.trainOnBatch(x, y);
            const w = await model.getWeights()[0].data();
            return { loss: Array.isArray(loss) ? loss[0] : loss, w: Array.from(w.slice(0, 50)) };
          };
          const native = await step();
          await tf.setBackend('cpu');
          const cpu = await step();
          const wDiff = Math.max(...native.w.map((v, i) => Math.abs(v - cpu.w[i])));
          console.log(JSON.stringify({ report, text: dl.formatBackendReport(report), lossNative: native.loss, lossCpu: cpu.loss, wDiff }));
        })().catch((e) => { console.error(e); process.exit(1); });`;
      const p = spawnSync(process.execPath, ['-e', probe], { cwd: copy, encoding: 'utf8', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2', DL_COURSE_BACKEND: '' }, timeout: 300_000 });
      expect(p.status, p.stderr).toBe(0);
      const got = JSON.parse(p.stdout.trim().split('\n').pop()!) as {
        report: { backend: string; package: string; gpu: boolean; native?: { version: string; cuda: boolean; devices: string[] } };
        text: string;
        lossNative: number;
        lossCpu: number;
        wDiff: number;
      };
      expect(got.report.backend).toBe('tensorflow');
      expect(got.report.package).toBe('@tensorflow/tfjs-node');
      expect(got.report.native?.version).toBe(version);
      expect(got.report.native?.cuda).toBe(false);
      expect(got.report.native?.devices).toContain('CPU:0');
      expect(got.text).toContain(`native: TensorFlow ${version} (CPU build)`);
      expect(Math.abs(got.lossNative - got.lossCpu)).toBeLessThan(1e-4);
      expect(got.wDiff).toBeLessThan(1e-5);

      const u = runSetup(['--undo'], copy, path.join(copy, 'scripts', 'setup-native.cjs'));
      expect(u.status, u.out).toBe(0);
      expect(u.out).toContain('removed node_modules/@tensorflow/tfjs-node');
      const after = spawnSync(process.execPath, ['-e', "require('./dist/lib/index.js').initBackend().then((r) => console.log(r.backend))"], { cwd: copy, encoding: 'utf8', env: { ...process.env, DL_COURSE_BACKEND: '' } });
      expect(after.stdout.trim()).toBe('wasm');
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  }, 900_000);
});
