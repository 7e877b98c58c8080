// Makes `require('dl-course')` / `import ... from 'dl-course'` resolve inside
// this repository (notebooks/, scripts), the way it does in a user's project
// that installed the package. tslab compiles notebook cells with classic Node
// module resolution, which needs node_modules/dl-course to exist; it cannot
// import ../lib (outside its rootDir). Run by `npm install` (prepare).
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const name = require(path.join(root, 'package.json')).name;
const nm = path.join(root, 'node_modules');
const link = path.join(nm, name);
// Installed as a dependency of another project: nothing to link.
if (path.basename(path.dirname(root)) === 'node_modules') process.exit(0);
fs.mkdirSync(nm, { recursive: true });
try {
  const st = fs.lstatSync(link);
  if (st.isSymbolicLink() && path.resolve(nm, fs.readlinkSync(link)) === root) process.exit(0);
  fs.rmSync(link, { recursive: true, force: true });
} catch {
  // does not exist yet
}
fs.symlinkSync('..', link, 'junction');
console.error(`linked node_modules/${name} -> ${root}`);
