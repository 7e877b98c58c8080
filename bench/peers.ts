/**
 * The Python peers of `npm run bench` (bench/torch_cnn.py, bench/keras_cnn.py):
 * which Pythons to try, which of them has a module, and running a helper
 * script whose last stdout line is one JSON object.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Repository root: the nearest folder above this file with a package.json (from dist/bench/ or bench/). */
export const ROOT = ((): string => {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
  return process.cwd();
})();
export const DEFAULT_DATA = path.resolve(ROOT, '..', 'shared', 'data', 'cifar10-subset', 'cifar-10-binary.tar.gz');
/** Pythons to run the peers with, in order: DL_COURSE_BENCH_PYTHON, the project's .venv-tf (pip's tensorflow-cpu, see README "Native TensorFlow from pip"), Debian's. */
export function pythonCandidates(): string[] {
  return [process.env.DL_COURSE_BENCH_PYTHON, path.join(ROOT, '.venv-tf', 'bin', 'python'), '/usr/bin/python3'].filter((p): p is string => !!p && fs.existsSync(p));
}

/** The first candidate Python that has `module`, or why none has. */
export function pythonWith(module: string): { python: string } | { why: string } {
  const tried = pythonCandidates();
  for (const python of tried) {
    const r = spawnSync(python, ['-c', `import importlib.util,sys; sys.exit(0 if importlib.util.find_spec(${JSON.stringify(module)}) else 1)`]);
    if (r.status === 0) return { python };
  }
  return { why: `no Python with '${module}' (tried ${tried.join(', ') || 'none'})` };
}

/**
 * Every candidate Python that can import `module`, one per environment (the
 * same `sys.prefix`: a venv's `bin/python` links to its base interpreter, which
 * lacks the venv's packages, so paths are kept as given, not resolved).
 */
export function pythonsWith(module: string): string[] {
  const seen = new Set<string>();
  const found: string[] = [];
  for (const python of pythonCandidates()) {
    const r = spawnSync(python, ['-c', `import importlib.util,sys; print(sys.prefix); sys.exit(0 if importlib.util.find_spec(${JSON.stringify(module)}) else 1)`], { encoding: 'utf8', timeout: 60_000 });
    const prefix = (r.stdout ?? '').trim();
    if (r.status === 0 && !seen.has(prefix)) {
      seen.add(prefix);
      found.push(python);
    }
  }
  return found;
}

/** Runs a bench/*.py helper with `python`; its last stdout line is a JSON object. */
export function runPython<T>(python: string, script: string, args: string[], env: NodeJS.ProcessEnv = process.env, timeoutS = 1800): T | { available: false; why: string } {
  const file = [path.join(__dirname, script), path.join(ROOT, 'bench', script)].find((p) => fs.existsSync(p));
  if (file === undefined) return { available: false, why: `bench/${script} not found` };
  if (!fs.existsSync(python)) return { available: false, why: `${python} not found` };
  const r = spawnSync(python, [file, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env, timeout: timeoutS * 1000 });
  if (r.error) return { available: false, why: `${python} ${script} failed: ${r.error.message}` };
  const lines = (r.stdout ?? '').trim().split('\n');
  try {
    return JSON.parse(lines[lines.length - 1]) as T;
  } catch {
    const err = (r.stderr ?? '').trim().split('\n').slice(-3).join(' | ');
    return { available: false, why: `${script} exited with status ${r.status} without a result: ${err || lines[lines.length - 1]}` };
  }
}

