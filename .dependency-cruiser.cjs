// Layering rules for lib/ (see docs/architecture.md). Run with
// `npm run lint:deps`; test/architecture/layers.test.ts runs the same rules.
//
//   core  <-  backend
//   core  <-  nn, data, plot, audio    (siblings: not each other)
//   core, nn  <-  models
//   core, nn, data, plot, models  <-  train
//   everything in lib except index.ts  <-  cli
//   everything in lib  <-  index.ts    (nothing in lib imports index.ts)
//
// In each layer rule, `to.pathNot` lists the folders that layer MAY import;
// a module in any other lib/ folder is a violation. Importing lib/index.ts is
// caught by layer-index (and by layer-cli for lib/cli), so each violation is
// reported by one rule. Type-only imports count (tsPreCompilationDeps: true).

const LIB = '^lib/';
/** Any module in a lib/ folder (lib/index.ts is at the top, not in one). */
const LIB_FOLDER = '^lib/[^/]+/';
const allowed = (...layers) => `^lib/(${layers.join('|')})/`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'No import cycles anywhere, type-only imports included. Break the ' +
        'cycle by moving the shared piece down a layer or into its own file.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'layer-core',
      severity: 'error',
      comment:
        'lib/core is the bottom layer: it imports nothing else in lib ' +
        '(files inside core may import each other).',
      from: { path: '^lib/core/' },
      to: { path: LIB_FOLDER, pathNot: allowed('core') },
    },
    {
      name: 'layer-backend',
      severity: 'error',
      comment: 'lib/backend may import core only.',
      from: { path: '^lib/backend/' },
      to: { path: LIB_FOLDER, pathNot: allowed('core', 'backend') },
    },
    {
      name: 'layer-nn',
      severity: 'error',
      comment:
        'lib/nn may import core only (not data, plot, backend or anything ' +
        'above).',
      from: { path: '^lib/nn/' },
      to: { path: LIB_FOLDER, pathNot: allowed('core', 'nn') },
    },
    {
      name: 'layer-data',
      severity: 'error',
      comment:
        'lib/data may import core only (not nn, plot, backend or anything ' +
        'above).',
      from: { path: '^lib/data/' },
      to: { path: LIB_FOLDER, pathNot: allowed('core', 'data') },
    },
    {
      name: 'layer-plot',
      severity: 'error',
      comment:
        'lib/plot may import core only (not nn, data, backend or anything ' +
        'above).',
      from: { path: '^lib/plot/' },
      to: { path: LIB_FOLDER, pathNot: allowed('core', 'plot') },
    },
    {
      name: 'layer-audio',
      severity: 'error',
      comment:
        'lib/audio (WAV, STFT, mel features, the keyword data set) may import ' +
        'core only.',
      from: { path: '^lib/audio/' },
      to: { path: LIB_FOLDER, pathNot: allowed('core', 'audio') },
    },
    {
      name: 'layer-models',
      severity: 'error',
      comment: 'lib/models may import core and nn only.',
      from: { path: '^lib/models/' },
      to: { path: LIB_FOLDER, pathNot: allowed('core', 'nn', 'models') },
    },
    {
      name: 'layer-train',
      severity: 'error',
      comment:
        'lib/train may import core, nn, data, plot and models (not backend, ' +
        'not cli).',
      from: { path: '^lib/train/' },
      to: {
        path: LIB_FOLDER,
        pathNot: allowed('core', 'nn', 'data', 'plot', 'models', 'train'),
      },
    },
    {
      name: 'layer-cli',
      severity: 'error',
      comment: 'lib/cli may import anything in lib except lib/index.ts.',
      from: { path: '^lib/cli/' },
      to: { path: '^lib/index\\.ts$' },
    },
    {
      name: 'layer-index',
      severity: 'error',
      comment:
        'lib/index.ts is the public entry: it may import anything in lib, ' +
        'and nothing in lib may import it.',
      from: { path: LIB, pathNot: '^lib/(index\\.ts$|cli/)' },
      to: { path: '^lib/index\\.ts$' },
    },
    {
      name: 'lib-not-to-course',
      severity: 'error',
      comment:
        'lib is the published library: it never imports from notebooks/, ' +
        'test/, bench/ or scripts/.',
      from: { path: LIB },
      to: { path: '^(notebooks|test|bench|scripts)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
