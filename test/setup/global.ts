/**
 * vitest globalSetup: runs once per `vitest run`, in the main process, before
 * any test file. What it puts in `process.env` the test workers inherit.
 *
 * - TMPDIR: a fresh folder `<os tmp>/dlc-test-XXXXXX` (mode 1777, like /tmp),
 *   removed by the teardown, so a run leaves nothing in the temp folder.
 * - DLC_TEST_CIFAR10: the CIFAR-10 archive the tests read. The real-image
 *   subset `../shared/data/cifar10-subset/cifar-10-binary.tar.gz` when it
 *   exists, else a synthetic archive in the official binary layout made here
 *   (runs/test-data/cifar-10-binary.tar.gz; the subset's shape: 5 × 2,000
 *   training and 2,000 test images, 10 balanced classes).
 *   DLC_TEST_REAL_PHOTOS is 1 or 0 accordingly; tests whose bars need real
 *   photos (accuracy above chance) skip on 0. Set DLC_TEST_CIFAR10=synthetic
 *   to use the synthetic archive even when the subset exists.
 * - DL_COURSE_CACHE_DIR: a folder in the run's TMPDIR, and HTTP(S)_PROXY a
 *   closed port on 127.0.0.1 (loopback in NO_PROXY), so nothing in the suite
 *   can download from the network (set DLC_TEST_NETWORK=1 to keep yours).
 * - The tslab Jupyter kernel: registered into .jupyter/ with
 *   scripts/setup-kernel.sh when a Python with jupyter_client exists and it
 *   is not registered yet; JUPYTER_PATH points there.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { standardMembers, writeArchive } from '../data/helpers';

const ROOT = path.resolve(__dirname, '..', '..');
const REAL_SUBSET = path.resolve(ROOT, '..', 'shared', 'data', 'cifar10-subset', 'cifar-10-binary.tar.gz');
const SYNTHETIC = path.join(ROOT, 'runs', 'test-data', 'cifar-10-binary.tar.gz');
/** The subset's shape: 2,000 records per training batch, 2,000 test records. */
const PER_BATCH = 2000;
const TEST_N = 2000;
/** A port nothing listens on (discard): requests through this "proxy" fail at once. */
const CLOSED_PROXY = 'http://127.0.0.1:9';

let runTmp: string | undefined;

const log = (msg: string) => process.stderr.write(`[test setup] ${msg}\n`);

/** Makes the synthetic archive (atomically: concurrent runs may share the file). */
async function makeSyntheticArchive(): Promise<string> {
  const partial = `${SYNTHETIC}.${process.pid}.partial`;
  await writeArchive(partial, standardMembers(PER_BATCH, TEST_N));
  fs.renameSync(partial, SYNTHETIC);
  return SYNTHETIC;
}

async function chooseCifar10(): Promise<void> {
  const wanted = process.env.DLC_TEST_CIFAR10;
  let archive: string;
  if (wanted && wanted !== 'synthetic') {
    archive = path.resolve(wanted);
    if (!fs.existsSync(archive)) throw new Error(`DLC_TEST_CIFAR10=${wanted}: no such file`);
  } else if (wanted !== 'synthetic' && fs.existsSync(REAL_SUBSET)) {
    archive = REAL_SUBSET;
  } else {
    const t0 = Date.now();
    archive = await makeSyntheticArchive();
    log(`CIFAR-10: synthetic archive ${path.relative(ROOT, archive)} (${PER_BATCH * 5} train, ${TEST_N} test images; ${Date.now() - t0} ms); tests that need real photos are skipped`);
  }
  process.env.DLC_TEST_CIFAR10 = archive;
  process.env.DLC_TEST_REAL_PHOTOS = archive === REAL_SUBSET ? '1' : '0';
}

const DEBIAN_FASHION_MNIST = '/usr/share/datasets/fashion-mnist';

/** IDX bytes: the big-endian header (magic, dimensions), then the values. */
function idx(magic: number, dims: number[], values: Uint8Array): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(values)]);
}

/**
 * Fashion-MNIST for chapter 04's tests in quick mode when Debian's
 * dataset-fashion-mnist is not installed: four IDX files (2,000 training and
 * 1,000 test images, what quick mode reads) of synthetic 28×28 images whose
 * class sets which rows are bright, so an MLP can learn it. The accuracy test
 * on the real data skips without the real files.
 */
function chooseFashionMnist(): void {
  const forced = process.env.DLC_TEST_FASHION === 'synthetic'; // to try the synthetic files on a machine that has the real ones
  if (!forced && (process.env.DL_COURSE_FASHION_MNIST || fs.existsSync(path.join(DEBIAN_FASHION_MNIST, 'train-images-idx3-ubyte.gz')))) return;
  const dir = path.join(ROOT, 'runs', 'test-data', 'fashion-mnist');
  fs.mkdirSync(dir, { recursive: true });
  const write = (prefix: string, n: number) => {
    const labels = Uint8Array.from({ length: n }, (_, i) => i % 10);
    const pixels = new Uint8Array(n * 784);
    for (let i = 0; i < n; i++) for (let r = 0; r < 28; r++) for (let c = 0; c < 28; c++) pixels[i * 784 + r * 28 + c] = (r % 10 === labels[i] ? 200 : 20) + ((i * 7 + r * 3 + c) % 40);
    fs.writeFileSync(path.join(dir, `${prefix}-images-idx3-ubyte`), idx(2051, [n, 28, 28], pixels));
    fs.writeFileSync(path.join(dir, `${prefix}-labels-idx1-ubyte`), idx(2049, [n], labels));
  };
  write('train', 2000);
  write('t10k', 1000);
  process.env.DL_COURSE_FASHION_MNIST = dir;
  process.env.DLC_TEST_REAL_FASHION = '0';
  log(`Fashion-MNIST: Debian's dataset-fashion-mnist is not installed; synthetic files in ${path.relative(ROOT, dir)} (the real-data accuracy test skips)`);
}

/** A Python that can import jupyter_client, or undefined. */
function jupyterPython(): string | undefined {
  for (const py of ['/usr/bin/python3', path.join(ROOT, '.venv', 'bin', 'python')]) {
    if (fs.existsSync(py) && spawnSync(py, ['-c', 'import jupyter_client'], { stdio: 'ignore' }).status === 0) return py;
  }
  return undefined;
}

/** Registers the tslab kernel into .jupyter/ when missing (or pointing at another checkout's tslab). */
function registerKernel(): void {
  const share = path.join(ROOT, '.jupyter', 'share', 'jupyter');
  const spec = path.join(share, 'kernels', 'tslab', 'kernel.json');
  let usable = false;
  try {
    const argv0 = (JSON.parse(fs.readFileSync(spec, 'utf8')) as { argv: string[] }).argv[0];
    usable = fs.existsSync(argv0);
  } catch {
    usable = false;
  }
  if (!usable) {
    const python = jupyterPython();
    if (python === undefined) {
      log('Jupyter: no Python with jupyter_client (/usr/bin/python3, .venv/bin/python); the kernel tests will skip (fail in CI)');
    } else {
      const r = spawnSync('bash', [path.join(ROOT, 'scripts', 'setup-kernel.sh'), '--prefix', path.join(ROOT, '.jupyter')], {
        cwd: ROOT,
        env: process.env, // the script picks its Python ($PYTHON, .venv, python3, /usr/bin/python3); the kernelspec only names tslab
        encoding: 'utf8',
        timeout: 120_000,
      });
      if (r.status === 0) log(`Jupyter: registered the tslab kernel in .jupyter/ (bash scripts/setup-kernel.sh --prefix .jupyter)`);
      else log(`Jupyter: scripts/setup-kernel.sh --prefix .jupyter failed (${r.status ?? r.error}): ${(r.stderr || r.stdout).trim()}`);
    }
  }
  if (fs.existsSync(spec)) {
    const others = (process.env.JUPYTER_PATH ?? '').split(path.delimiter).filter((p) => p && path.resolve(p) !== share);
    process.env.JUPYTER_PATH = [share, ...others].join(path.delimiter);
  }
}

function blockNetwork(): void {
  if (process.env.DLC_TEST_NETWORK === '1') return;
  for (const k of ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy']) process.env[k] = CLOSED_PROXY;
  // Loopback stays direct: the tests' own servers and proxies live there. Tests that need other settings set their own.
  for (const k of ['NO_PROXY', 'no_proxy']) process.env[k] = 'localhost,127.0.0.1,::1';
  // npm (tests that pack and install the library) reads the proxy from its own config too.
  process.env.npm_config_proxy = CLOSED_PROXY;
  process.env.npm_config_https_proxy = CLOSED_PROXY;
  // From the npm cache, without asking the registry whether it is stale; the
  // variable reaches the nested `npm install` of a git dependency's prepare too.
  process.env.npm_config_prefer_offline = 'true';
}

export async function setup(): Promise<void> {
  runTmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dlc-test-'));
  fs.chmodSync(runTmp, 0o1777); // like /tmp: tests run some children as another user (nobody)
  process.env.TMPDIR = runTmp;
  const cache = path.join(runTmp, 'dl-course-cache');
  fs.mkdirSync(cache);
  process.env.DL_COURSE_CACHE_DIR = cache;
  blockNetwork();
  await chooseCifar10();
  chooseFashionMnist();
  registerKernel();
}

export async function teardown(): Promise<void> {
  if (runTmp === undefined) return;
  try {
    fs.rmSync(runTmp, { recursive: true, force: true, maxRetries: 3 });
  } catch (err) {
    log(`could not remove the run's temp folder ${runTmp}: ${(err as Error).message}`);
  }
}
