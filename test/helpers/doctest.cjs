// Doctests: every `@example` in lib/ is run and its stated results checked.
//
// An example is TypeScript (it may use `await`) with the library's exports
// (and its own module's), `tf` (@tensorflow/tfjs) and `fs`, `os`, `path` in
// scope. A line `expression; // result` is checked: `result` is a JavaScript
// literal (number, string, array, object, true/false/null, `Float32Array [..]`),
// and an explanation in parentheses after it is ignored. Numbers match to the
// precision written (0.6931 means within 0.00005). `// throws Name` (optionally
// followed by `: text`) expects the expression to throw that error, with that
// text in its message. Other lines (declarations, assignments, statements)
// just run. An example must state at least one result.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

/** All `@example` blocks of the .ts files under `dir`: { name, file, line, code }. */
function collectExamples(dir) {
  const out = [];
  const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).sort();
  for (const rel of files) {
    const file = path.join(dir, rel);
    const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const visit = (node, owner) => {
      // A documented `export const X = …` is named after X (its JSDoc sits on the variable statement).
      const declared = ts.isVariableStatement(node) ? node.declarationList.declarations[0]?.name : node.name;
      const name = declared ? declared.getText(sf) : owner;
      for (const doc of node.jsDoc ?? []) {
        for (const tag of doc.tags ?? []) {
          if (tag.tagName.text !== 'example') continue;
          const raw = typeof tag.comment === 'string' ? tag.comment : ts.getTextOfJSDocComment(tag.comment) ?? '';
          const code = raw.replace(/^\s*```(?:ts|typescript|js)?\s*\n/, '').replace(/\n?\s*```\s*$/, '');
          out.push({ name: `${rel} ${owner && owner !== name ? `${owner}.` : ''}${name}`, file, rel, line: sf.getLineAndCharacterOfPosition(tag.getStart(sf)).line + 1, code });
        }
      }
      ts.forEachChild(node, (child) => visit(child, ts.isClassDeclaration(node) || ts.isInterfaceDeclaration(node) ? name : owner));
    };
    visit(sf, '');
  }
  return out;
}

/** `throws Name: text` or a literal with a trailing `(explanation)` removed. */
function parseExpected(comment) {
  const c = comment.trim();
  const t = /^throws\s+(\w+)(?::\s*(.*))?$/.exec(c);
  if (t) return { kind: 'throws', name: t[1], text: (t[2] ?? '').trim().replace(/^\.\.\.\s*|\s*\.\.\.$/g, '') || undefined };
  return { kind: 'value', source: c.replace(/\s+\([^()]*\)\s*$/, '').trim() };
}

/** The example rewritten so that each `expression; // result` line becomes a check. */
function instrument(code) {
  return code
    .split('\n')
    .map((line, i) => {
      const m = /^(\s*)(?!const |let |var |import |for |if |\/\/)(.+?);\s*\/\/\s*(.+)$/.exec(line);
      if (!m) return line;
      const [, indent, expr, comment] = m;
      // An assignment, or several statements: the comment explains, it states no result.
      if (/^[\w$.[\]\s'"+-]+\s=(?![=>])/.test(expr) || expr.includes('; ')) return line;
      const exp = parseExpected(comment);
      const thunk = `${/\bawait\b/.test(expr) ? 'async ' : ''}() => (${expr})`;
      if (exp.kind === 'throws') return `${indent}await __throws(${thunk}, ${JSON.stringify(exp.name)}, ${JSON.stringify(exp.text ?? '')}, ${i + 1});`;
      return `${indent}await __check(${thunk}, ${JSON.stringify(exp.source)}, ${i + 1});`;
    })
    .join('\n');
}

function splitTopLevel(s) {
  const parts = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '[' || ch === '{') depth++;
    if (ch === ']' || ch === '}') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) parts.push(cur.trim());
  return parts;
}

/** Whether `actual` equals the literal written in the docs (numbers to the precision written). */
function matches(actual, expected, expectedSource) {
  if (typeof expected === 'number') {
    if (typeof actual !== 'number') return false;
    if (Number.isNaN(expected)) return Number.isNaN(actual);
    const decimals = /\.(\d+)/.exec(expectedSource)?.[1].length ?? 0;
    const tol = decimals === 0 && Number.isInteger(expected) ? 0 : 0.5 * 10 ** -decimals + 1e-12;
    return Math.abs(actual - expected) <= tol;
  }
  if (Array.isArray(expected)) {
    const arr = ArrayBuffer.isView(actual) ? Array.from(actual) : actual;
    if (!Array.isArray(arr) || arr.length !== expected.length) return false;
    const parts = splitTopLevel(expectedSource.replace(/^[^[]*\[/, '').replace(/\]\s*$/, ''));
    return expected.every((e, i) => matches(arr[i], e, parts[i] ?? String(e)));
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') return false;
    return Object.keys(expected).every((k) => matches(actual[k], expected[k], JSON.stringify(expected[k])));
  }
  return Object.is(actual, expected);
}

function literal(source) {
  const s = source.replace(/^(Float32Array|Int32Array|Uint8Array|Float64Array|Buffer)\s*(?=\[)/, '');
  return new Function(`return (${s});`)();
}

/** Runs one example; resolves to the number of checks, rejects on the first failure. */
async function runExample(code, scope, deps) {
  const body = instrument(code);
  const checks = (body.match(/await __(check|throws)\(/g) ?? []).length;
  if (checks === 0) throw new Error('the example states no result: end a line with `// <result>` or `// throws <Error>`');
  const names = Object.keys(scope).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k));
  const src = `async function __run(__check, __throws, __lib, tf, fs, os, path, require) {\nconst { ${names.join(', ')} } = __lib;\n${body}\n}`;
  const js = ts.transpileModule(src, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.None } }).outputText;
  const run = new Function(`${js}\nreturn __run;`)();
  const show = (v) => JSON.stringify(ArrayBuffer.isView(v) ? Array.from(v) : v);
  const check = async (thunk, expectedSource, line) => {
    let actual = await thunk();
    if (actual instanceof deps.tf.Tensor) actual = actual.arraySync();
    if (!matches(actual, literal(expectedSource), expectedSource)) throw new Error(`example line ${line}: expected ${expectedSource}, got ${show(actual)}`);
  };
  const throws = async (thunk, name, text, line) => {
    try {
      await thunk();
    } catch (err) {
      if (err.name !== name) throw new Error(`example line ${line}: expected ${name}, got ${err.name}: ${err.message}`);
      if (text && !err.message.includes(text)) throw new Error(`example line ${line}: expected a message containing "${text}", got "${err.message}"`);
      return;
    }
    throw new Error(`example line ${line}: expected ${name} to be thrown, nothing was`);
  };
  await run(check, throws, scope, deps.tf, fs, require('node:os'), path, deps.require);
  return checks;
}

module.exports = { collectExamples, parseExpected, instrument, matches, literal, runExample };
