/**
 * Chapter 07 (notebooks/07-outlook.ipynb): what its prose states is what its
 * code computes. The quick-mode module run (shared with notebooks.test.ts) is
 * checked against hand computations and an independent fit of the runs it
 * prints; the kernel run for its charts; the full lesson's fitted exponents
 * (about 10 to 30 minutes of training) only with DLC_FULL_LESSON=1 and the
 * real photos.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHAPTER07_CONFIG, CHINCHILLA_OPTIMAL_SIZES, REFERENCES, fitPowerLaw, formatReference } from '../../lib';
import { NEEDS_REAL_PHOTOS, ROOT, haveRealPhotos, notebookFullRun, notebookKernelRun, notebookProse, runNotebookQuick } from '../helpers/notebook';
import { gradedExerciseTests } from './graded_exercises';

const NOTEBOOK = path.join(ROOT, 'notebooks', '07-outlook.ipynb');
const prose = notebookProse(NOTEBOOK);
let stdout = '';

beforeAll(() => {
  stdout = runNotebookQuick(NOTEBOOK); // the quick-mode module run notebooks.test.ts also checks
}, 600_000);

/** The numbers of the first line of `text` matching `re` (commas removed). */
function numbers(re: RegExp, text = stdout): number[] {
  const m = re.exec(text);
  expect(m, `no line matching ${re}`).not.toBeNull();
  return m!.slice(1).map((s) => Number(s.replace(/,/g, '')));
}

interface PrintedRun {
  width: number;
  parameters: number;
  trainSize: number;
  epochs: number;
  loss: number;
}
/** The runs the grid printed, one line each. */
function printedRuns(text: string): PrintedRun[] {
  return [...text.matchAll(/run \d+\/\d+: width ([\d.]+) \(([\d,]+) parameters\), ([\d,]+) images × (\d+) epochs: held-out loss ([\d.]+) at epoch \d+/g)].map((m) => {
    const [width, parameters, trainSize, epochs, loss] = m.slice(1).map((s) => Number(s.replace(/,/g, '')));
    return { width, parameters, trainSize, epochs, loss };
  });
}

/** Parameters of the width-m CNN by hand: conv 3·3·3·f1 + f1, conv 3·3·f1·f2 + f2, dense 6·6·f2·d + d, output 10·d + 10. */
function cnnParameters(m: number): number {
  const [f1, f2, d] = [32, 64, 64].map((u) => Math.max(1, Math.round(u * m)));
  return 27 * f1 + f1 + 9 * f1 * f2 + f2 + 36 * f2 * d + d + 10 * d + 10;
}

describe('chapter 07 §1: power laws', () => {
  it('"every doubling of the parameters lowers the loss by about 5%", "about 9,000 times the parameters": 2^−α and 2^(1/α) with Kaplan\'s α_N', () => {
    const [byN, byD] = numbers(/one doubling multiplies the loss by ([\d.]+) \(parameters\) or ([\d.]+) \(data\)/);
    expect(byN).toBeCloseTo(2 ** -0.076, 3);
    expect(byD).toBeCloseTo(2 ** -0.095, 3);
    expect(Math.round(100 * (1 - byN))).toBe(5);
    const [times] = numbers(/halving the loss by parameters alone takes ([\d,]+) times the parameters/);
    expect(times).toBe(Math.round(2 ** (1 / 0.076)));
    expect(Math.round(times / 1000)).toBe(9);
    expect(prose).toContain('lowers the loss by about 5%, and halving the loss would take about 9,000 times the parameters');
    expect(prose).toMatch(/\\alpha_N \\approx 0\.076[^]*\\alpha_D \\approx 0\.095/);
  });
  it('the fit gives back the exponent of points on Eq. (1.1)', () => {
    expect(numbers(/fitPowerLaw on four points of Eq\. \(1\.1\): α = ([\d.]+), R² = ([\d.]+)/)).toEqual([0.076, 1]);
  });
});

describe('chapter 07 §2–3: the experiment (quick mode)', () => {
  it('one run per width × training-set size, each CNN with its hand-counted parameters and ⌈imagesSeen / size⌉ epochs', () => {
    const q = CHAPTER07_CONFIG.quick;
    const runs = printedRuns(stdout);
    expect(runs.map((r) => `${r.width}/${r.trainSize}`)).toEqual(q.widths.flatMap((w) => q.trainSizes.map((s) => `${w}/${s}`)));
    for (const r of runs) {
      expect(r.parameters).toBe(cnnParameters(r.width));
      expect(r.epochs).toBe(Math.ceil(q.imagesSeen / r.trainSize));
    }
    expect(cnnParameters(1)).toBe(167_562); // the chapter-05 CNN
    expect(prose).toContain('so $m = 1$ is the 167,562-parameter CNN and $m = 1/8$ has about 60 times fewer parameters');
    expect(Math.round(cnnParameters(1) / cnnParameters(0.125) / 10) * 10).toBe(60);
  });
  it('the printed α_N and α_D are the least-squares fits of the printed runs (an independent fit of the printed numbers)', () => {
    const runs = printedRuns(stdout);
    const most = Math.max(...runs.map((r) => r.trainSize));
    const widest = Math.max(...runs.map((r) => r.width));
    const byN = runs.filter((r) => r.trainSize === most);
    const byD = runs.filter((r) => r.width === widest);
    const [alphaN] = numbers(/α_N = (-?[\d.]+) \(R²/);
    const [alphaD] = numbers(/α_D = (-?[\d.]+) \(R²/);
    // By hand for two points; least squares (fitPowerLaw) for more.
    const slope = (pts: { x: number; y: number }[]) => (pts.length === 2 ? -Math.log(pts[1].y / pts[0].y) / Math.log(pts[1].x / pts[0].x) : fitPowerLaw(pts.map((p) => p.x), pts.map((p) => p.y)).alpha);
    expect(Math.abs(alphaN - slope(byN.map((r) => ({ x: r.parameters, y: r.loss }))))).toBeLessThan(0.003); // losses printed to 3 decimals
    expect(Math.abs(alphaD - slope(byD.map((r) => ({ x: r.trainSize, y: r.loss }))))).toBeLessThan(0.003);
  });
});

describe('chapter 07 §4: compute-optimal', () => {
  it('"20 to 22 tokens per parameter" in Table 3', () => {
    const [lo, hi] = numbers(/tokens per parameter \(from ([\d.]+) to ([\d.]+)\)/);
    const ratios = CHINCHILLA_OPTIMAL_SIZES.map((r) => r.tokens / r.parameters);
    expect(lo).toBeCloseTo(Math.min(...ratios), 1);
    expect(hi).toBeCloseTo(Math.max(...ratios), 1);
    expect([Math.floor(lo), Math.floor(hi)]).toEqual([20, 22]);
    expect(prose).toContain('20 to 22 tokens per parameter');
  });
  it('GPT-3: "1.7 tokens per parameter"; "about 51 billion parameters on about a trillion tokens" (by hand: N = √(6·175e9·300e9 / 120)); "lower by about 0.04"', () => {
    const [ratio, , params, tokens] = numbers(/GPT-3: ([\d.]+) tokens per parameter; its ([\d.e+]+) FLOPs split compute-optimally: (\d+)B parameters on ([\d.]+)T tokens/);
    expect(ratio).toBe(1.7);
    expect(params).toBe(Math.round(Math.sqrt((6 * 175e9 * 300e9) / 120) / 1e9));
    expect(tokens).toBeCloseTo((20 * Math.sqrt((6 * 175e9 * 300e9) / 120)) / 1e12, 2);
    expect(prose).toContain('GPT-3 was trained on 1.7 tokens per parameter');
    expect(prose).toContain(`about ${params} billion parameters on about a trillion tokens`);
    const [asTrained, optimal, lower] = numbers(/as trained ([\d.]+), compute-optimal ([\d.]+) \(lower by ([\d.]+)\)/);
    // Eq. (10) by hand.
    const eq10 = (n: number, d: number) => 1.69 + 406.4 / n ** 0.34 + 410.7 / d ** 0.28;
    expect(asTrained).toBeCloseTo(eq10(175e9, 300e9), 3);
    expect(optimal).toBeCloseTo(eq10(Math.sqrt((6 * 175e9 * 300e9) / 120), 20 * Math.sqrt((6 * 175e9 * 300e9) / 120)), 3);
    expect(Math.round(lower * 100)).toBe(4);
    expect(prose).toContain('lower by about 0.04 nats per token');
    const [chinchilla, gopher] = numbers(/Chinchilla \(70B, 1\.4T tokens\) ([\d.]+) against Gopher \(280B, 300B tokens\) ([\d.]+)/);
    expect(chinchilla).toBeLessThan(gopher); // "beat the 280-billion-parameter Gopher"
  });
});

describe('chapter 07 §5: applications', () => {
  it('prints the full reference of every work the section cites, from dl.REFERENCES', () => {
    for (const id of ['gulshan2016retinopathy', 'esteva2017dermatologist', 'sirignano2016mortgage', 'deepmind2019wind']) {
      expect(stdout).toContain(formatReference(REFERENCES.find((r) => r.id === id)!));
    }
    for (const [who, field] of [['Gulshan et al.', 'Medicine'], ['Sirignano, Sadhwani and Giesecke', 'Finance'], ['DeepMind and Google (2019)', 'Energy']]) {
      expect(prose).toContain(`**${field}`);
      expect(prose).toContain(who);
    }
    expect(prose.match(/\*Data it needs:\*/g)).toHaveLength(3);
  });
});

describe('chapter 07: the kernel run', () => {
  it('draws the two log–log charts with their fitted lines', () => {
    const r = notebookKernelRun(NOTEBOOK); // shared with notebooks.test.ts
    expect(r.status, r.stderr).toBe(0);
    const executed = fs.readFileSync(r.executed!, 'utf8');
    const figures = [...executed.matchAll(/"application\/vnd\.plotly\.v1\+json"/g)].length;
    expect(figures).toBeGreaterThanOrEqual(2);
    expect(executed).toContain('Held-out loss against parameters');
    expect(executed).toContain('Held-out loss against training images');
    expect(executed).toContain('fit: α_N = ');
  }, 900_000);
});

describe('chapter 07: exercises', () => {
  gradedExerciseTests(NOTEBOOK, ['ex07-fit-exponent', 'ex07-compute-optimal'], () => stdout);
});

describe('chapter 07: the full lesson', () => {
  it.skipIf(!haveRealPhotos || process.env.DLC_FULL_LESSON !== '1')(
    `full lesson (DLC_FULL_LESSON=1): the exponents the prose states are what the notebook fits, within 0.05 ${NEEDS_REAL_PHOTOS}`,
    () => {
      const r = notebookFullRun(NOTEBOOK);
      expect(r.status, r.stderr).toBe(0);
      expect(printedRuns(r.stdout)).toHaveLength(16);
      const [alphaN] = numbers(/α_N = (-?[\d.]+) \(R²/, r.stdout);
      const [alphaD] = numbers(/α_D = (-?[\d.]+) \(R²/, r.stdout);
      const [statedN, statedD] = numbers(/fitted \$\\alpha_N \\approx ([\d.]+)\$ and \$\\alpha_D \\approx ([\d.]+)\$/, prose);
      expect(Math.abs(alphaN - statedN)).toBeLessThan(0.05); // a different seed or machine moves them a little
      expect(Math.abs(alphaD - statedD)).toBeLessThan(0.05);
      expect(alphaN).toBeGreaterThan(0); // the loss falls with size
      expect(alphaD).toBeGreaterThan(0);
      // "From 500 to 4,000 training images the narrowest CNN's loss hardly moves, while the widest one's falls the most;
      // in the same way, more parameters help most when there is the most data."
      const runs = printedRuns(r.stdout);
      const loss = (w: number, n: number) => runs.find((x) => x.width === w && x.trainSize === n)!.loss;
      const { widths, trainSizes } = CHAPTER07_CONFIG.full;
      const [narrow, wide, few, many] = [widths[0], widths[widths.length - 1], trainSizes[0], trainSizes[trainSizes.length - 1]];
      const dataGain = widths.map((w) => loss(w, few) - loss(w, many));
      expect(Math.abs(dataGain[0])).toBeLessThan(0.05);
      expect(Math.max(...dataGain)).toBe(dataGain[dataGain.length - 1]);
      expect(loss(narrow, many) - loss(wide, many)).toBeGreaterThan(loss(narrow, few) - loss(wide, few));
      expect(prose).toContain("the narrowest CNN's loss hardly moves, while the widest one's falls the most");
      const [minutes] = numbers(/The grid took ([\d.]+) minutes/, r.stdout);
      expect(minutes).toBeLessThan(60); // "34 minutes on a 2-core machine that other jobs kept busy"
    },
    3_600_000,
  );
});
