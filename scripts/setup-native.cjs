#!/usr/bin/env node
'use strict';
// npm run setup:native [-- --python PY | --lib DIR] [--gpu | --cpu] [--undo]
//
// Builds TF.js's native backend (@tensorflow/tfjs-node, or -node-gpu for a
// CUDA build) against a TensorFlow C library the learner already has, e.g.
// the one inside pip's `tensorflow` / `tensorflow-cpu` wheel, instead of the
// libtensorflow 2.9.1 that the package's own install script downloads (which
// fails offline and pins CUDA 11.2 / cuDNN 8.1). Steps, each reported:
//   1. find TensorFlow (a Python interpreter's package, or a folder);
//   2. check it: platform, CPU architecture (the library's ELF header),
//      version, and every TF_/TFE_ symbol the addon imports;
//   3. check the build tools (C++ compiler, make, Python for node-gyp, Node headers);
//   4. fetch the npm package without its install script, into a staging folder;
//   5. stage the C API (headers and libraries, as symbolic links) in its deps/;
//   6. compile the addon (node-pre-gyp / node-gyp);
//   7. verify it in a child process (a matmul and a conv2d gradient against the
//      cpu backend), then move it into node_modules/@tensorflow/ in one rename.
// `--undo` removes what this script installed. Nothing here runs on `npm install`;
// a later `npm install` / `npm ci` removes the package again (it is not in
// package.json): run this script again after one.
// Guide: README.md, "Native TensorFlow from pip". Tests: test/backend/native_setup.test.ts.

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { parseArgs } = require('node:util');

const ROOT = path.resolve(__dirname, '..');
/** Marker written into the installed package: what this script built, read by lib/backend. */
const MARKER = 'dl-course-native.json';
/** Oldest TensorFlow whose C API has every symbol the 4.22 addon imports (it was written for 2.9.1). */
const MIN_TF = [2, 9];

/**
 * Every TF_/TFE_ function the tfjs-node 4.22.0 addon imports: `nm -D
 * --undefined-only lib/napi-v8/tfjs_binding.node` of a build of
 * binding/tfjs_backend.cc and tfjs_binding.cc (the other TF_ names in those
 * files are inline header functions and C++ helpers). Checked again against
 * the built addon in step 7.
 */
const ADDON_SYMBOLS = `TFE_ContextListDevices TFE_DeleteContext TFE_DeleteContextOptions TFE_DeleteOp
TFE_DeleteTensorHandle TFE_Execute TFE_NewContext TFE_NewContextOptions TFE_NewOp TFE_NewTensorHandle
TFE_OpAddInput TFE_OpSetAttrBool TFE_OpSetAttrBoolList TFE_OpSetAttrFloat TFE_OpSetAttrFloatList
TFE_OpSetAttrInt TFE_OpSetAttrIntList TFE_OpSetAttrShape TFE_OpSetAttrString TFE_OpSetAttrType
TFE_TensorHandleCopyToDevice TFE_TensorHandleDataType TFE_TensorHandleDim TFE_TensorHandleNumDims
TFE_TensorHandleResolve TF_AllocateTensor TF_DataTypeSize TF_DeleteBuffer TF_DeleteDeviceList
TF_DeleteGraph TF_DeleteSession TF_DeleteSessionOptions TF_DeleteStatus TF_DeleteTensor
TF_DeviceListCount TF_DeviceListName TF_DeviceListType TF_Dim TF_GetCode TF_GraphOperationByName
TF_LoadSessionFromSavedModel TF_Message TF_NewBuffer TF_NewBufferFromString TF_NewGraph
TF_NewSessionOptions TF_NewStatus TF_NewTensor TF_NumDims TF_SessionRun TF_TensorByteSize
TF_TensorData TF_TensorElementCount TF_TensorType TF_Version`.split(/\s+/);

/** ELF e_machine values (System V ABI) of the architectures Node reports. */
const ELF_MACHINES = { 3: 'ia32', 40: 'arm', 62: 'x64', 183: 'arm64', 243: 'riscv64', 21: 'ppc64', 22: 's390x' };

class SetupError extends Error {}

/** The CPU architecture of an ELF shared library, in Node's `process.arch` names. */
function elfArchitecture(file) {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(20);
    fs.readSync(fd, head, 0, 20, 0);
    if (head.readUInt32BE(0) !== 0x7f454c46) throw new SetupError(`setup:native: ${file} is not an ELF shared library (first bytes ${head.subarray(0, 4).toString('hex')})`);
    const machine = head[5] === 2 ? head.readUInt16BE(18) : head.readUInt16LE(18);
    return ELF_MACHINES[machine] ?? `unknown (ELF machine ${machine})`;
  } finally {
    fs.closeSync(fd);
  }
}

/** Names of the functions a shared library exports (binutils' `nm -D --defined-only`). */
function exportedSymbols(files) {
  const names = new Set();
  for (const file of files) {
    const r = spawnSync('nm', ['-D', '--defined-only', file], { encoding: 'utf8', maxBuffer: 256 << 20 });
    if (r.error) throw new SetupError(`setup:native: cannot list the symbols of ${file}: 'nm' is missing (${r.error.code}); install binutils (Debian: apt-get install build-essential)`);
    if (r.status !== 0) throw new SetupError(`setup:native: 'nm -D ${file}' failed: ${r.stderr.trim()}`);
    for (const line of r.stdout.split('\n')) {
      const name = line.trim().split(/\s+/)[2];
      if (name) names.add(name.replace(/@.*$/, ''));
    }
  }
  return names;
}

/** The symbols of `needed` that none of `files` exports. */
function missingSymbols(files, needed = ADDON_SYMBOLS) {
  const have = exportedSymbols(files);
  return needed.filter((s) => !have.has(s));
}

/**
 * A TensorFlow C library in a folder: pip's layout (libtensorflow_cc.so.2 +
 * libtensorflow_framework.so.2 + include/) or the official C tarball's
 * (lib/libtensorflow.so.2 + lib/libtensorflow_framework.so.2 + include/).
 */
function describeLibraryFolder(dir, extra = {}) {
  const candidates = [
    { main: 'libtensorflow_cc.so.2', framework: 'libtensorflow_framework.so.2', libDir: dir },
    { main: 'libtensorflow.so.2', framework: 'libtensorflow_framework.so.2', libDir: path.join(dir, 'lib') },
    { main: 'libtensorflow.so.2', framework: 'libtensorflow_framework.so.2', libDir: dir },
  ];
  const found = candidates.find((c) => fs.existsSync(path.join(c.libDir, c.main)) && fs.existsSync(path.join(c.libDir, c.framework)));
  if (!found) {
    throw new SetupError(
      `setup:native: no TensorFlow C library in ${dir}: expected libtensorflow_cc.so.2 and libtensorflow_framework.so.2 (pip's wheel) or lib/libtensorflow.so.2 and lib/libtensorflow_framework.so.2 (the C tarball)`,
    );
  }
  const include = path.join(dir, 'include');
  if (!fs.existsSync(path.join(include, 'tensorflow', 'c', 'c_api.h')) || !fs.existsSync(path.join(include, 'tensorflow', 'c', 'eager', 'c_api.h'))) {
    throw new SetupError(`setup:native: ${dir} has the library but not the C API headers (${path.join(include, 'tensorflow/c/c_api.h')} and eager/c_api.h)`);
  }
  return { dir, include, main: path.join(found.libDir, found.main), framework: path.join(found.libDir, found.framework), version: extra.version, cuda: extra.cuda ?? false, source: extra.source ?? `folder ${dir}`, python: extra.python };
}

/** Python run by {@link findWithPython}: where its `tensorflow` package is, its version, and whether it is a CUDA build. */
const PY_FIND = String.raw`
import importlib.util, importlib.metadata as md, json, os, re, sys
spec = importlib.util.find_spec('tensorflow')
if spec is None or not spec.origin:
    print(json.dumps({'error': 'no module named tensorflow'})); sys.exit(0)
d = os.path.dirname(spec.origin)
dists = md.packages_distributions().get('tensorflow', [])
version = next((md.version(x) for x in dists), None)
cuda = False
bi = os.path.join(d, 'python', 'platform', 'build_info.py')
if os.path.exists(bi):
    cuda = re.search(r"'is_cuda_build':\s*True", open(bi).read()) is not None
print(json.dumps({'dir': d, 'version': version, 'dists': dists, 'cuda': cuda, 'python': sys.executable}))
`;

/** TensorFlow of a Python interpreter, found without importing it (no CUDA or 5-second import needed). */
function findWithPython(python) {
  const r = spawnSync(python, ['-c', PY_FIND], { encoding: 'utf8', timeout: 60_000 });
  if (r.error) return { why: `${python}: cannot run it (${r.error.code})` };
  if (r.status !== 0) return { why: `${python}: exited with ${r.status}: ${r.stderr.trim().split('\n').pop()}` };
  const info = JSON.parse(r.stdout.trim().split('\n').pop());
  if (info.error) return { why: `${python}: ${info.error} (pip install tensorflow-cpu, or tensorflow for a CUDA build)` };
  try {
    return { found: describeLibraryFolder(info.dir, { version: info.version, cuda: info.cuda, source: `${info.dists.join(', ') || 'tensorflow'} ${info.version} of ${info.python}`, python: info.python }) };
  } catch (err) {
    return { why: `${python}: ${err.message.replace(/^setup:native: /, '')}` };
  }
}

/** Where to look for a TensorFlow when no option names one: the project's virtual environments, then python3 and python on PATH. */
function defaultPythons() {
  return ['.venv-tf', '.venv'].map((v) => path.join(ROOT, v, 'bin', 'python')).filter((p) => fs.existsSync(p)).concat(['python3', 'python']);
}

/** Step 1: the TensorFlow to build against. */
function findTensorFlow(opts) {
  if (opts.lib) {
    const dir = path.resolve(opts.lib);
    if (!fs.existsSync(dir)) throw new SetupError(`setup:native: --lib ${opts.lib}: no such folder`);
    const versionFile = path.join(dir, 'include', 'tensorflow', 'core', 'public', 'version.h');
    let version;
    if (fs.existsSync(versionFile)) {
      const h = fs.readFileSync(versionFile, 'utf8');
      const n = (k) => (new RegExp(`#define ${k} (\\d+)`).exec(h) ?? [])[1];
      if (n('TF_MAJOR_VERSION')) version = `${n('TF_MAJOR_VERSION')}.${n('TF_MINOR_VERSION')}.${n('TF_PATCH_VERSION')}`;
    }
    return describeLibraryFolder(dir, { version, cuda: opts.gpu === true });
  }
  const tried = [];
  for (const python of opts.python ? [opts.python] : defaultPythons()) {
    const r = findWithPython(python);
    if (r.found) return r.found;
    tried.push(r.why);
  }
  throw new SetupError(
    `setup:native: no TensorFlow found. Tried:\n  ${tried.join('\n  ')}\n` +
      `Install one (python3 -m venv .venv-tf && .venv-tf/bin/pip install tensorflow-cpu) or name it: --python PATH or --lib DIR.`,
  );
}

/** Step 2: platform, architecture, version and symbols. */
function checkTensorFlow(tf) {
  if (process.platform !== 'linux') {
    throw new SetupError(`setup:native: builds against an existing TensorFlow on Linux only (this is ${process.platform}); on macOS and Windows install @tensorflow/tfjs-node the usual way (README, "Backends")`);
  }
  for (const lib of [tf.main, tf.framework]) {
    const arch = elfArchitecture(fs.realpathSync(lib));
    if (arch !== process.arch) throw new SetupError(`setup:native: wrong architecture: ${lib} is built for ${arch}, this Node runs on ${process.arch}`);
  }
  if (tf.version) {
    const [major, minor] = tf.version.split('.').map(Number);
    if (major !== MIN_TF[0] || minor < MIN_TF[1]) throw new SetupError(`setup:native: TensorFlow ${tf.version} is not supported: needs 2.${MIN_TF[1]} or newer 2.x (tested with 2.21)`);
  }
  const missing = missingSymbols([tf.main, tf.framework]);
  if (missing.length > 0) throw new SetupError(`setup:native: ${tf.main} lacks ${missing.length} function(s) the addon needs: ${missing.join(', ')}`);
}

/** Step 3: what node-gyp needs. Returns extra environment for it. */
function checkBuildTools() {
  const problems = [];
  const cxx = process.env.CXX || 'c++';
  if (spawnSync(cxx, ['--version']).status !== 0) problems.push(`no C++ compiler ('${cxx} --version' failed)`);
  if (spawnSync('make', ['--version']).status !== 0) problems.push("no 'make'");
  if (spawnSync(process.env.PYTHON || 'python3', ['--version']).status !== 0) problems.push('no python3 for node-gyp');
  if (problems.length > 0) throw new SetupError(`setup:native: cannot compile the addon: ${problems.join('; ')}. Debian/Ubuntu: sudo apt-get install build-essential python3`);
  // Node's headers: those of a distribution's Node (e.g. Debian's /usr/include/node) when present,
  // else node-gyp downloads them from nodejs.org (which fails offline: the error says so).
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  const env = {};
  if (!process.env.npm_config_nodedir && fs.existsSync(path.join(prefix, 'include', 'node', 'node_api.h'))) env.npm_config_nodedir = prefix;
  return env;
}

function run(cmd, args, options, log) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...options });
  fs.appendFileSync(log, `$ ${cmd} ${args.join(' ')}\n${r.stdout ?? ''}${r.stderr ?? ''}\n`);
  if (r.error || r.status !== 0) {
    const tail = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').filter((l) => /ERR|rror|fatal/.test(l)).slice(-6).join('\n    ');
    throw new SetupError(`setup:native: '${path.basename(cmd)} ${args.join(' ')}' failed (${r.error ? r.error.code : `exit ${r.status}`}); full log: ${log}\n    ${tail}`);
  }
  return r;
}

/** Child-process check of a built package: matmul and a conv2d gradient against the cpu backend. */
const VERIFY = String.raw`
const tf = require('@tensorflow/tfjs');
const pkgDir = process.argv[1];
const node = require(pkgDir);
(async () => {
  const seed = (n, s) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + s) * 0.5);
  const compute = () => {
    const a = tf.tensor2d(seed(64 * 48, 1), [64, 48]), b = tf.tensor2d(seed(48 * 32, 2), [48, 32]);
    const x = tf.tensor4d(seed(2 * 8 * 8 * 3, 3), [2, 8, 8, 3]), f = tf.tensor4d(seed(3 * 3 * 3 * 4, 4), [3, 3, 3, 4]);
    const [dx, df] = tf.grads((x, f) => tf.conv2d(x, f, [2, 2], 'same').square().sum())([x, f]);
    return [a.matMul(b).dataSync(), dx.dataSync(), df.dataSync()];
  };
  if (!(await tf.setBackend('tensorflow'))) throw new Error("tf.setBackend('tensorflow') returned false");
  const native = compute();
  const binding = tf.backend().binding;
  const info = { tfVersion: binding.TF_Version, gpu: tf.backend().isUsingGpuDevice === true };
  await tf.setBackend('cpu');
  const ref = compute();
  const names = ['matMul', 'conv2d input gradient', 'conv2d filter gradient'];
  info.maxAbsDiff = {};
  native.forEach((v, k) => {
    let m = 0;
    v.forEach((e, i) => { m = Math.max(m, Math.abs(e - ref[k][i])); });
    info.maxAbsDiff[names[k]] = m;
  });
  console.log(JSON.stringify(info));
})().catch((e) => { console.error(e.stack || String(e)); process.exit(1); });
`;

/** Devices TensorFlow lists (via its Python package, when that is where it came from): recorded for the backend report. */
function listDevices(tf) {
  if (!tf.python) return undefined;
  const r = spawnSync(tf.python, ['-c', "import os; os.environ['TF_CPP_MIN_LOG_LEVEL']='3'\nimport tensorflow as tf, json; print(json.dumps([d.name for d in tf.config.list_physical_devices()]))"], { encoding: 'utf8', timeout: 180_000 });
  if (r.status !== 0) return undefined;
  try {
    return JSON.parse(r.stdout.trim().split('\n').pop()).map((d) => d.replace('/physical_device:', ''));
  } catch {
    return undefined;
  }
}

function tfjsVersion() {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', '@tensorflow', 'tfjs', 'package.json'), 'utf8')).version;
}

/** Installed packages that this script made (they carry its marker). */
function ourInstalls() {
  return ['tfjs-node', 'tfjs-node-gpu']
    .map((n) => path.join(ROOT, 'node_modules', '@tensorflow', n))
    .filter((dir) => fs.existsSync(path.join(dir, MARKER)));
}

function undo() {
  const ours = ourInstalls();
  const others = ['tfjs-node', 'tfjs-node-gpu'].map((n) => path.join(ROOT, 'node_modules', '@tensorflow', n)).filter((d) => fs.existsSync(d) && !ours.includes(d));
  for (const dir of ours) {
    fs.rmSync(dir, { recursive: true, force: true });
    console.log(`removed ${path.relative(ROOT, dir)}`);
  }
  if (ours.length === 0) console.log('setup:native --undo: nothing to remove (no package installed by setup:native)');
  for (const d of others) console.log(`left ${path.relative(ROOT, d)} alone: npm installed it, not setup:native (npm uninstall ${path.relative(path.join(ROOT, 'node_modules'), d)})`);
  console.log('The default install (wasm backend) is in use again.');
}

function main(argv) {
  const { values: opts } = parseArgs({
    args: argv,
    options: {
      python: { type: 'string' },
      lib: { type: 'string' },
      gpu: { type: 'boolean' },
      cpu: { type: 'boolean' },
      undo: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (opts.help) {
    console.log(fs.readFileSync(__filename, 'utf8').split('\n').slice(2, 20).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
    return;
  }
  if (opts.undo) return undo();
  if (opts.python && opts.lib) throw new SetupError('setup:native: give --python or --lib, not both');
  if (opts.gpu && opts.cpu) throw new SetupError('setup:native: give --gpu or --cpu, not both');
  const step = (i, text) => console.log(`[${i}/7] ${text}`);
  const t0 = Date.now();

  step(1, 'finding TensorFlow…');
  const tf = findTensorFlow(opts);
  const gpu = opts.gpu ?? (opts.cpu ? false : tf.cuda);
  const pkg = gpu ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node';
  console.log(`      ${tf.source}: ${tf.main} (${gpu ? 'CUDA build → ' : 'CPU → '}${pkg})`);

  step(2, `checking it: ${process.platform}/${process.arch}, version ${tf.version ?? 'unknown'}, ${ADDON_SYMBOLS.length} C API functions…`);
  checkTensorFlow(tf);

  step(3, 'checking the build tools (C++ compiler, make, Python, Node headers)…');
  const buildEnv = checkBuildTools();

  const version = tfjsVersion();
  const scope = path.join(ROOT, 'node_modules', '@tensorflow');
  const staging = fs.mkdtempSync(path.join(scope, '.native-staging-'));
  const log = path.join(os.tmpdir(), `dl-course-setup-native-${process.pid}.log`);
  try {
    step(4, `fetching ${pkg}@${version} from npm without its install script (no libtensorflow download)…`);
    const fetchDir = path.join(staging, 'fetch');
    fs.mkdirSync(fetchDir);
    fs.writeFileSync(path.join(fetchDir, 'package.json'), '{"name":"dl-course-native-staging","private":true}\n');
    run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock', `${pkg}@${version}`], { cwd: fetchDir }, log);
    // The package, with its own dependencies nested inside it, and without its
    // copy of @tensorflow/tfjs: it must register its backend in the project's TF.js engine.
    const built = path.join(staging, 'pkg');
    fs.renameSync(path.join(fetchDir, 'node_modules', '@tensorflow', pkg.split('/')[1]), built);
    const nested = path.join(built, 'node_modules');
    fs.mkdirSync(nested, { recursive: true });
    for (const name of fs.readdirSync(path.join(fetchDir, 'node_modules'))) {
      if (name === '@tensorflow' || name.startsWith('.')) continue;
      fs.renameSync(path.join(fetchDir, 'node_modules', name), path.join(nested, name));
    }
    fs.rmSync(fetchDir, { recursive: true, force: true });

    step(5, 'staging the C API in its deps/ (links to the TensorFlow files, nothing copied)…');
    const deps = path.join(built, 'deps');
    fs.mkdirSync(path.join(deps, 'lib'), { recursive: true });
    fs.symlinkSync(tf.include, path.join(deps, 'include'));
    const links = {
      'libtensorflow.so': tf.main,
      [path.basename(tf.main)]: tf.main,
      'libtensorflow_framework.so': tf.framework,
      'libtensorflow_framework.so.2': tf.framework,
    };
    for (const [name, target] of Object.entries(links)) fs.symlinkSync(target, path.join(deps, 'lib', name));

    step(6, 'compiling the addon (about 15–30 s)…');
    const nodePreGyp = path.join(nested, '@mapbox', 'node-pre-gyp', 'bin', 'node-pre-gyp');
    run(process.execPath, [nodePreGyp, 'install', '--build-from-source'], { cwd: built, env: { ...process.env, ...buildEnv } }, log);
    const addon = fs.readdirSync(path.join(built, 'lib')).map((d) => path.join(built, 'lib', d, 'tfjs_binding.node')).find((f) => fs.existsSync(f));
    if (!addon) throw new SetupError(`setup:native: the build ended without lib/*/tfjs_binding.node; log: ${log}`);
    fs.rmSync(path.join(built, 'build-tmp-napi-v8'), { recursive: true, force: true });
    const undefinedTf = spawnSync('nm', ['-D', '--undefined-only', addon], { encoding: 'utf8' }).stdout.match(/\bTFE?_\w+/g) ?? [];
    const stillMissing = missingSymbols([tf.main, tf.framework], [...new Set(undefinedTf)]);
    if (stillMissing.length > 0) throw new SetupError(`setup:native: the built addon imports functions ${tf.main} lacks: ${stillMissing.join(', ')}`);

    step(7, 'verifying: matmul and conv2d gradients against the cpu backend…');
    const v = run(process.execPath, ['-e', VERIFY, built], { cwd: ROOT, env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' } }, log);
    const info = JSON.parse(v.stdout.trim().split('\n').pop());
    const worst = Math.max(...Object.values(info.maxAbsDiff));
    if (!(worst < 1e-3)) throw new SetupError(`setup:native: the native results differ from the cpu backend's: ${JSON.stringify(info.maxAbsDiff)}`);
    console.log(`      TensorFlow ${info.tfVersion}, GPU in use: ${info.gpu ? 'yes' : 'no'}; largest difference from the cpu backend ${worst.toExponential(1)}`);
    const devices = listDevices(tf);
    fs.writeFileSync(
      path.join(built, MARKER),
      JSON.stringify({ installedBy: 'npm run setup:native', package: `${pkg}@${version}`, tensorflow: { version: info.tfVersion, source: tf.source, library: tf.main, cuda: gpu }, devices, builtAt: new Date().toISOString(), maxAbsDiffFromCpu: info.maxAbsDiff }, null, 2) + '\n',
    );

    // Replace any earlier install in one rename; remove the other variant if this script made it.
    const dest = path.join(scope, pkg.split('/')[1]);
    if (fs.existsSync(dest)) {
      if (!fs.existsSync(path.join(dest, MARKER))) throw new SetupError(`setup:native: ${path.relative(ROOT, dest)} exists and was installed by npm, not by this script: npm uninstall ${pkg} first`);
      fs.renameSync(dest, path.join(staging, 'old'));
    }
    fs.renameSync(built, dest);
    for (const other of ourInstalls()) if (other !== dest) fs.rmSync(other, { recursive: true, force: true });
    console.log(`done in ${((Date.now() - t0) / 1000).toFixed(0)} s: ${path.relative(ROOT, dest)} runs on ${tf.source}.`);
    console.log('initBackend() now picks the native backend (DL_COURSE_BACKEND=wasm to compare); undo: npm run setup:native -- --undo');
    console.log('A later npm install / npm ci removes it (it is not in package.json): run this again after one.');
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (err) {
    if (err instanceof SetupError || err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
}

module.exports = { ADDON_SYMBOLS, MARKER, SetupError, elfArchitecture, missingSymbols, describeLibraryFolder, findWithPython, findTensorFlow, checkTensorFlow, main };
