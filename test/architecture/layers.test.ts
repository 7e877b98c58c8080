// The layering of lib/ (docs/architecture.md), checked with dependency-cruiser
// and the rules in .dependency-cruiser.cjs: (a) the real lib/ has no
// violation; (b) the same rules catch violations planted in a copy of lib/.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..', '..');
const config = path.join(root, '.dependency-cruiser.cjs');
const depcruise = path.join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

interface Violation {
  from: string;
  to: string;
  rule: { name: string; severity: string };
  cycle?: Array<{ name: string } | string>;
}

/** Runs depcruise on `lib` in `cwd` with the repo's rules; returns the violations. */
function cruise(cwd: string): Violation[] {
  const result = spawnSync(
    process.execPath,
    [depcruise, 'lib', '--config', config, '--output-type', 'json'],
    { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (result.error) throw result.error;
  let report: { summary?: { violations?: Violation[] } };
  try {
    report = JSON.parse(result.stdout);
  } catch {
    throw new Error(`depcruise printed no JSON (exit ${result.status}):\n${result.stderr}`);
  }
  const violations = report.summary?.violations;
  if (!Array.isArray(violations)) throw new Error(`no summary.violations in depcruise output:\n${result.stderr}`);
  return violations;
}

const describeViolation = (v: Violation): string => `${v.from} -> ${v.to} (${v.rule.name})`;

describe('lib layering (dependency-cruiser)', () => {
  it('lib/ has no dependency violations', () => {
    const violations = cruise(root);
    expect(violations.map(describeViolation)).toEqual([]);
  });

  it('catches an upward import, a type-only sideways import and a cycle planted in a copy of lib/', () => {
    // runs/ is git-ignored.
    const tmp = path.join(root, 'runs', `depcheck-${process.pid}`);
    try {
      fs.rmSync(tmp, { recursive: true, force: true });
      fs.mkdirSync(tmp, { recursive: true });
      fs.cpSync(path.join(root, 'lib'), path.join(tmp, 'lib'), { recursive: true });
      fs.copyFileSync(path.join(root, 'tsconfig.json'), path.join(tmp, 'tsconfig.json'));

      // The unmodified copy is clean, so every violation below is a planted one.
      expect(cruise(tmp).map(describeViolation)).toEqual([]);

      const plant = (file: string, text: string) => fs.writeFileSync(path.join(tmp, file), text);
      // (i) core imports train: an upward import.
      plant(
        'lib/core/planted_upward.ts',
        "import { runTrainingLoop } from '../train/loop';\nexport const planted = runTrainingLoop;\n",
      );
      // (ii) a type-only import between siblings (nn -> plot) still counts.
      plant(
        'lib/nn/planted_type_only.ts',
        "import type { Figure } from '../plot/figure';\nexport type PlantedFigure = Figure;\n",
      );
      // (iii) a cycle between two files in one folder.
      plant('lib/nn/planted_cycle_a.ts', "import { b } from './planted_cycle_b';\nexport const a = () => b();\n");
      plant('lib/nn/planted_cycle_b.ts', "import { a } from './planted_cycle_a';\nexport const b = () => a();\n");

      const violations = cruise(tmp);
      const layering = violations.filter((v) => v.rule.name !== 'no-circular').map(describeViolation);
      expect(layering.sort()).toEqual([
        'lib/core/planted_upward.ts -> lib/train/loop.ts (layer-core)',
        'lib/nn/planted_type_only.ts -> lib/plot/figure.ts (layer-nn)',
      ]);
      // dependency-cruiser reports a cycle once, from whichever of its files it meets first.
      const cycles = violations.filter((v) => v.rule.name === 'no-circular');
      expect(cycles).toHaveLength(1);
      const cycleFiles = [cycles[0].from, cycles[0].to].sort();
      expect(cycleFiles).toEqual(['lib/nn/planted_cycle_a.ts', 'lib/nn/planted_cycle_b.ts']);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
