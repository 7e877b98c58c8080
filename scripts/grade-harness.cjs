// The grader's child process (scripts/grade.cjs starts it in the sandbox, once
// per exercise). Not for running by hand.
//
// stdin:  one JSON object { nonce, hook, program, freeze, resolveFrom } written by the grader
//         and closed; read once, before any notebook code runs.
// fd 3:   the result channel: lines "<nonce> <event> <JSON string>" with event
//         start (the learner's solution cell begins), loaded (it ran), pass (the tests ran to the
//         end) or fail (a cell threw; the message). The grader believes only
//         lines that carry the nonce, which exists only here and in the grader.
// stdout, stderr: the notebook's own output (shown to the learner, capped),
//         never read for pass or fail.
//
// Before the notebook's code runs, this file takes what it needs to report
// (fs.writeSync, JSON.stringify, String) into its own closure, locks the global
// bindings of the standard built-ins (with --frozen-intrinsics, the built-ins
// themselves are frozen), freezes the exports of the course's libraries so that
// a solution cannot replace tf.max or dl.sigmoid for the tests, and refuses the
// modules that would let code escape (child_process, worker_threads, inspector,
// vm, v8, module, network modules).
'use strict';
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

const writeSync = fs.writeSync;
const stringify = JSON.stringify;
const toStr = String;
const exit = process.reallyExit ? process.reallyExit.bind(process) : process.exit.bind(process);

const input = JSON.parse(fs.readFileSync(0, 'utf8'));
const nonce = toStr(input.nonce);
delete input.nonce;

let finished = false;
function send(event, text) {
  try {
    writeSync(3, `${nonce} ${event} ${stringify(toStr(text).slice(0, 4000))}\n`);
  } catch {
    // the grader has gone: nothing to report to
  }
}

/** A message for any thrown value, without trusting it (a getter may throw). */
function describe(e) {
  try {
    if (e && typeof e === 'object' && e.code === 'ERR_ACCESS_DENIED') {
      return `the sandbox refused: ${toStr(e.permission || 'access')}${e.resource ? ` to ${toStr(e.resource)}` : ''} (${toStr(e.message)})`;
    }
    if (e instanceof Error) return `${toStr(e.name)}: ${toStr(e.message)}`;
    return `threw ${toStr(e)}`;
  } catch {
    return 'threw a value that cannot be described';
  }
}

function finish(event, text, code) {
  if (finished) return;
  finished = true;
  send(event, text);
  exit(code);
}

const hook = Object.freeze(
  Object.assign(Object.create(null), {
    start: () => send('start', ''),
    loaded: () => send('loaded', ''),
    pass: () => finish('pass', '', 0),
  }),
);

// Modules that notebook code may not load: escapes from the sandbox (which the
// permission model also blocks) and the network (which the network namespace
// also blocks, where there is one).
const REFUSED = new Set(['child_process', 'cluster', 'worker_threads', 'inspector', 'inspector/promises', 'vm', 'v8', 'module', 'repl', 'trace_events', 'wasi', 'net', 'tls', 'http', 'https', 'http2', 'dgram', 'dns', 'dns/promises', 'undici']);
// Packages linked into node_modules (dl-course links to the repository) are
// not readable through the link: the grader passes where their entry lies.
const aliases = input.aliases || {};
const originalResolve = Module._resolveFilename;
Module._resolveFilename = function resolveFilename(request, ...rest) {
  if (Object.prototype.hasOwnProperty.call(aliases, request)) return aliases[request];
  return originalResolve.call(this, request, ...rest);
};

let locked = false; // set once the libraries are loaded: from then on, for every caller
const originalLoad = Module._load;
Module._load = function load(request, parent, isMain) {
  const name = toStr(request).replace(/^node:/, '');
  if (REFUSED.has(name) && (locked || (parent && parent.id === 'notebook'))) throw new Error(`the grader's sandbox does not allow require('${request}')`);
  return originalLoad.call(this, request, parent, isMain);
};

// Freeze the libraries' exports (and the tensor classes) before any notebook code runs.
const notebookModule = new Module('notebook', module);
notebookModule.filename = path.join(process.cwd(), 'notebook.js');
notebookModule.paths = Module._nodeModulePaths(input.resolveFrom);
const notebookRequire = (request) => notebookModule.require(request);
notebookRequire.resolve = (request) => Module._resolveFilename(request, notebookModule);
for (const name of input.freeze || []) {
  let m;
  try {
    m = notebookRequire(name);
  } catch {
    continue; // not installed: nothing to protect
  }
  Object.freeze(m);
  for (const cls of ['Tensor', 'Variable']) if (m && typeof m[cls] === 'function') Object.freeze(m[cls].prototype);
}
// The global bindings of the standard built-ins: a solution cannot swap in its own Math for the tests.
for (const name of Object.getOwnPropertyNames(globalThis)) {
  if (!/^[A-Z]/.test(name) && !['isNaN', 'isFinite', 'parseFloat', 'parseInt', 'globalThis'].includes(name)) continue;
  const d = Object.getOwnPropertyDescriptor(globalThis, name);
  if (d && 'value' in d && d.configurable) Object.defineProperty(globalThis, name, { value: d.value, writable: false, configurable: false, enumerable: d.enumerable });
}

for (const name of ['fetch', 'WebSocket', 'EventSource']) {
  try {
    Object.defineProperty(globalThis, name, { value: undefined, writable: false, configurable: false });
  } catch {
    // not there
  }
}
// No signals to other processes (without a PID namespace, the grader's own process would be in reach).
for (const name of ['kill', '_kill']) {
  Object.defineProperty(process, name, {
    value: () => {
      throw new Error("the grader's sandbox does not allow process.kill");
    },
    writable: false,
    configurable: false,
  });
}
locked = true;

process.on('uncaughtException', (e) => finish('fail', describe(e), 1));
process.on('exit', (code) => {
  if (!finished) send('fail', `process.exit(${toStr(code)}) was called before the tests finished`);
});
process.on('unhandledRejection', (e) => finish('fail', describe(e), 1));

let main;
try {
  main = vm.compileFunction(input.program, ['require', 'exports', 'module', '__filename', '__dirname', input.hook], { filename: 'notebook.js' });
} catch (e) {
  finish('fail', `the notebook code does not compile: ${describe(e)}`, 1);
}
if (!finished) {
  let result;
  try {
    result = main(notebookRequire, notebookModule.exports, notebookModule, notebookModule.filename, process.cwd(), hook);
  } catch (e) {
    finish('fail', describe(e), 1);
  }
  Promise.resolve(result).then(
    () => finish('fail', 'the notebook code ended before the tests finished (a `return` or `process.exit` in a cell?)', 1),
    (e) => finish('fail', describe(e), 1),
  );
}
