/**
 * Chapter 06 (notebooks/06-customer-service.ipynb): what its prose states is
 * what its code computes. The chapter trains in seconds, so quick mode is the
 * full lesson: the accuracies the summary states are checked on the shared
 * quick-mode runs, as a plain module and in a real tslab kernel.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHAPTER06_CONFIG, INTENT_NAMES, Vocabulary, loadIntents, tokenize } from '../../lib';
import { expectGradedExercises, expectStudentVersion, type NotebookCell } from '../helpers/grading';
import { ROOT, notebookKernelRun, runNotebookQuick } from '../helpers/notebook';

const NOTEBOOK = path.join(ROOT, 'notebooks', '06-customer-service.ipynb');
interface Cell extends NotebookCell {
  outputs?: { output_type: string; text?: string[]; data?: Record<string, unknown> }[];
}
const cells = (JSON.parse(fs.readFileSync(NOTEBOOK, 'utf8')) as { cells: Cell[] }).cells;
const text = (c: Cell) => c.source.join('');
const summary = text(cells.find((c) => c.cell_type === 'markdown' && text(c).startsWith('## Summary'))!).replace(/\s+/g, ' ');
const data = loadIntents();
const config = CHAPTER06_CONFIG.full;

/** The first match of `re` in `out`, as numbers. */
function numbers(out: string, re: RegExp): number[] {
  const m = re.exec(out);
  expect(m, `no line matching ${re}`).not.toBeNull();
  return m!.slice(1).map((s) => Number(s.replace(/,/g, '')));
}

/** What the summary states: test accuracies and the threshold's test coverage and accuracy, as fractions. */
const stated = {
  tfIdf: numbers(summary, /TF-IDF \+ softmax regression ([\d.]+)%/)[0] / 100,
  embedding: numbers(summary, /embedding model ([\d.]+)%/)[0] / 100,
  seedMean: numbers(summary, /averages ([\d.]+)%/)[0] / 100,
  coverage: numbers(summary, /answered ([\d.]+)% of the test messages/)[0] / 100,
  answeredAccuracy: numbers(summary, /test messages, ([\d.]+)% of them correctly/)[0] / 100,
};

/** The numbers the notebook prints about its test results. */
function results(out: string) {
  const [tfIdf, embedding] = numbers(out, /test accuracy: TF-IDF \+ softmax regression ([\d.]+)%, embedding model ([\d.]+)%/).map((x) => x / 100);
  const [valCoverage, valAccuracy] = numbers(out, /answers ([\d.]+)% of the validation messages, ([\d.]+)% of them correctly/).map((x) => x / 100);
  const [coverage, answeredAccuracy] = numbers(out, /on the test split: answers ([\d.]+)% of the messages, ([\d.]+)% of them correctly/).map((x) => x / 100);
  const seeds = numbers(out, /test accuracy by seed: seed \d+ ([\d.]+)%, seed \d+ ([\d.]+)%, seed \d+ ([\d.]+)%; mean ([\d.]+)%/).map((x) => x / 100);
  return { tfIdf, embedding, valCoverage, valAccuracy, coverage, answeredAccuracy, seeds: seeds.slice(0, 3), seedMean: seeds[3] };
}

/** Checks one quick run's printed results against the summary, with a tolerance another seed meets. */
function checkAgainstSummary(out: string): void {
  const r = results(out);
  // Softmax regression on TF-IDF is convex: the seed changes only its start and the shuffles (seeds 0–2
  // in a script run of the same pipeline: within 2 points). The embedding model is not: seeds 0, 1, 2
  // give 85.5%, 76.4%, 81.2%, which is why the notebook shows three seeds and the one-seed tolerance is wider.
  expect(Math.abs(r.tfIdf - stated.tfIdf), 'TF-IDF test accuracy').toBeLessThanOrEqual(0.05);
  expect(Math.abs(r.embedding - stated.embedding), 'embedding test accuracy (one seed)').toBeLessThanOrEqual(0.1);
  expect(r.seeds[0]).toBe(r.embedding); // seed 0 is the model of the rest of the chapter
  expect(r.seedMean).toBeCloseTo(r.seeds.reduce((a, b) => a + b, 0) / 3, 2);
  expect(Math.abs(r.seedMean - stated.seedMean), 'mean test accuracy over three seeds').toBeLessThanOrEqual(0.05);
  expect(r.valAccuracy).toBeGreaterThanOrEqual(config.targetAccuracy); // the rule the threshold was chosen by
  expect(Math.abs(r.coverage - stated.coverage), 'test coverage at the threshold').toBeLessThanOrEqual(0.12);
  expect(Math.abs(r.answeredAccuracy - stated.answeredAccuracy), 'accuracy of the answered test messages').toBeLessThanOrEqual(0.05);
  // Answering fewer messages makes the answers more accurate than answering all.
  expect(r.answeredAccuracy).toBeGreaterThan(r.embedding);
}

describe('chapter 06: the quick run as a module', () => {
  let out = '';
  beforeAll(() => {
    out = runNotebookQuick(NOTEBOOK); // shared with notebooks.test.ts
  }, 600_000);

  it('prints the split of the shipped data set, as loadIntents reads it', () => {
    expect(out).toContain(`data: ${data.train.texts.length} training, ${data.validation.texts.length} validation, ${data.test.texts.length} test messages of ${INTENT_NAMES.length} intents`);
    expect(summary).toContain('396 training, 99 validation and 165 test messages');
  });
  it('tokenizes as stated and fits the vocabulary on the training messages only', () => {
    expect(out).toContain('"Where\'s my ORDER #4821?!" → ["where\'s","my","order","4821"]');
    const vocab = Vocabulary.fit(data.train.texts.map(tokenize));
    expect(out).toContain(`vocabulary: ${vocab.size} ids (<pad>, <unk> and ${vocab.size - 2} words of the training messages)`);
    const [, test] = numbers(out, /unknown words: ([\d.]+)% of the validation tokens, ([\d.]+)% of the test tokens/);
    // Counted here independently of the notebook: test tokens whose word never occurs in a training message.
    const trainWords = new Set(data.train.texts.flatMap(tokenize));
    const testTokens = data.test.texts.flatMap(tokenize);
    expect(test).toBeCloseTo((100 * testTokens.filter((w) => !trainWords.has(w)).length) / testTokens.length, 1);
    expect(Math.abs(numbers(summary, /about ([\d.]+)% of the test tokens/)[0] - test)).toBeLessThanOrEqual(1);
  });
  it('prints the longest message’s length, within sequenceLength (no message is cut)', () => {
    const longest = Math.max(...[data.train, data.validation, data.test].flatMap((s) => s.texts.map((t) => tokenize(t).length)));
    expect(out).toContain(`longest message: ${longest} tokens; sequenceLength: ${config.sequenceLength}`);
    expect(longest).toBeLessThanOrEqual(config.sequenceLength);
  });
  it('TF-IDF by the library equals the hand computation', () => {
    const [a, b, c, ha, hb, hc] = numbers(out, /idf of a, b, c: library ([\d.]+), ([\d.]+), ([\d.]+); by hand ([\d.]+), ([\d.]+), ([\d.]+)/);
    expect([a, b, c]).toEqual([ha, hb, hc]);
    expect(b).toBeCloseTo(Math.log(4 / 3) + 1, 4);
    const row = /TF-IDF of 'a b a' \(a, b, c\): library ([\d., ]+); by hand ([\d., ]+)/.exec(out);
    expect(row?.[1]).toBe(row?.[2]);
  });
  it('parameter counts by TF.js equal the hand counts', () => {
    const V = Vocabulary.fit(data.train.texts.map(tokenize)).size;
    expect(numbers(out, /TF-IDF \+ softmax regression: ([\d,]+) parameters/)[0]).toBe(V * 11 + 11);
    expect(numbers(out, /embedding model: ([\d,]+) parameters/)[0]).toBe(V * config.embeddingDim + config.embeddingDim * 11 + 11);
  });
  it('the test accuracies and the threshold’s effect are what the summary states', () => {
    checkAgainstSummary(out);
    expect(summary).toContain(`(${config.epochs} epochs;`);
  });
  it('the "type a message" cell answers with an intent and a probability, or "I\'m not sure"', () => {
    expect(out).toMatch(/"Can I get my money back for the broken lamp\?" → (refund \(probability [\d.]+\)|I'm not sure)/);
    expect(out).toMatch(/"I forgot my password again" → reset_password \(probability/);
  });
  it('passes its graded exercises (reference solutions)', () => {
    expect(out).toContain('ex06-tfidf-row: all tests passed');
    expect(out).toContain('ex06-abstain: all tests passed');
  });
});

describe('chapter 06: the quick run in a real tslab kernel', () => {
  it('runs top to bottom with charts and the same kind of results', () => {
    const r = notebookKernelRun(NOTEBOOK); // shared with notebooks.test.ts
    expect(r.status, r.stderr).toBe(0);
    const executed = JSON.parse(fs.readFileSync(r.executed!, 'utf8')) as { cells: Cell[] };
    const outputs = executed.cells.flatMap((c) => c.outputs ?? []);
    expect(outputs.filter((o) => o.output_type === 'error')).toEqual([]);
    const printed = outputs.map((o) => (o.text ?? []).join('')).join('\n');
    checkAgainstSummary(printed);
    // The confusion matrix heatmap and the threshold curve are rich outputs (Plotly).
    expect(outputs.filter((o) => o.data && Object.keys(o.data).some((k) => k.includes('plotly') || k === 'text/html')).length).toBeGreaterThanOrEqual(4);
  }, 900_000);
});

describe('chapter 06: exercises', () => {
  it('has two graded exercises, each a solution cell then a test cell with course and nbgrader metadata', () => {
    expectGradedExercises(NOTEBOOK, ['ex06-tfidf-row/solution', 'ex06-tfidf-row/tests', 'ex06-abstain/solution', 'ex06-abstain/tests']);
  });

  it('builds a student version (npm run course) without the solutions or hidden tests, that type-checks strictly', () => {
    expectStudentVersion(NOTEBOOK, 'ex06-tfidf-row', 'dl.coverageAccuracyCurve(yT');
  }, 120_000);
});
