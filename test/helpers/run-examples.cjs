#!/usr/bin/env node
// Runs the @examples of one lib file (argument: path relative to lib/, e.g.
// metrics.ts) against the built package in dist/, in a fresh process so that
// examples which change global state (backends, kernels) cannot affect other
// files' examples. Prints one JSON line per example: { name, ok, checks, error }.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { createRequire } = require('node:module');
const { collectExamples, runExample } = require('./doctest.cjs');

const ROOT = path.resolve(__dirname, '..', '..');
const rel = process.argv[2];
const req = createRequire(path.join(ROOT, 'package.json'));
const lib = req(path.join(ROOT, 'dist', 'lib', 'index.js'));
const own = req(path.join(ROOT, 'dist', 'lib', rel.replace(/\.ts$/, '.js')));
const tf = req('@tensorflow/tfjs');
const subset = path.resolve(ROOT, '..', 'shared', 'data', 'cifar10-subset', 'cifar-10-binary.tar.gz');
const synthetic = path.join(ROOT, 'runs', 'test-data', 'cifar-10-binary.tar.gz');

(async () => {
  await lib.initBackend({ backend: 'wasm' });
  // Examples that load CIFAR-10 read the run's archive (DLC_TEST_CIFAR10, set by
  // test/setup/global.ts: the real subset, else a synthetic one), never the
  // download: without it, the subset, else the synthetic archive's path (a clear
  // "does not exist" error when no vitest run has made it yet).
  process.env.DL_COURSE_CIFAR10 = process.env.DLC_TEST_CIFAR10 || (fs.existsSync(subset) ? subset : synthetic);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dlc-doctest-'));
  process.chdir(work); // examples may write files
  const examples = collectExamples(path.join(ROOT, 'lib')).filter((e) => e.rel === rel);
  for (const ex of examples) {
    try {
      const checks = await runExample(ex.code, { ...own, ...lib }, { tf, require: req });
      console.log(JSON.stringify({ name: ex.name, ok: true, checks }));
    } catch (err) {
      console.log(JSON.stringify({ name: ex.name, ok: false, error: `${ex.rel}:${ex.line}: ${err && err.stack ? err.stack.split('\n').slice(0, 3).join(' | ') : String(err)}` }));
    }
  }
  process.chdir(ROOT);
  fs.rmSync(work, { recursive: true, force: true });
  process.exit(0);
})();
