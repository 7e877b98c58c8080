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

(async () => {
  await lib.initBackend({ backend: 'wasm' });
  // Examples that load CIFAR-10 read the real-image subset instead of downloading.
  if (fs.existsSync(subset)) process.env.DL_COURSE_CIFAR10 = subset;
  process.chdir(fs.mkdtempSync(path.join(os.tmpdir(), 'dlc-doctest-'))); // examples may write files
  const examples = collectExamples(path.join(ROOT, 'lib')).filter((e) => e.rel === rel);
  for (const ex of examples) {
    try {
      const checks = await runExample(ex.code, { ...own, ...lib }, { tf, require: req });
      console.log(JSON.stringify({ name: ex.name, ok: true, checks }));
    } catch (err) {
      console.log(JSON.stringify({ name: ex.name, ok: false, error: `${ex.rel}:${ex.line}: ${err && err.stack ? err.stack.split('\n').slice(0, 3).join(' | ') : String(err)}` }));
    }
  }
  process.exit(0);
})();
