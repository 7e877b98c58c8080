import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { flowchartMarkdown, flowchartMermaid, flowchartSvg, type Flowchart } from '../../lib';
import { svgDataUri } from '../../lib/plot/svg';
import * as chapter02Charts from '../../notebooks/diagrams/02-core-concepts';
import { trainingPipelineChart, trainingStepGraphChart } from '../../notebooks/diagrams/03-training-pipeline';
import { ROOT } from '../helpers/notebook';

const chain: Flowchart = {
  nodes: [
    { id: 'a', label: 'data' },
    { id: 'b', label: 'model\n"yHat"' },
    { id: 'c', label: 'loss' },
  ],
  edges: [
    { from: 'a', to: 'b', label: 'minibatch' },
    { from: 'b', to: 'c' },
    { from: 'c', to: 'a', label: 'next', back: true },
  ],
};

describe('flowchartMermaid', () => {
  it('writes nodes, edges and dotted back edges, escaping quotes and line breaks', () => {
    expect(flowchartMermaid(chain)).toBe(
      'flowchart TB\n  a["data"]\n  b["model<br/>#quot;yHat#quot;"]\n  c["loss"]\n  a -->|"minibatch"| b\n  b --> c\n  c -.->|"next"| a',
    );
  });
  it('names the unknown node of an edge', () => {
    expect(() => flowchartMermaid({ nodes: [{ id: 'a', label: '' }], edges: [{ from: 'a', to: 'z' }] })).toThrow(/edge a -> z names an unknown node "z"/);
  });
});

describe('flowchartSvg', () => {
  it('stacks the ranks top to bottom with one box per node and one arrow per edge', () => {
    const svg = flowchartSvg(chain);
    const boxes = [...svg.matchAll(/<rect x="([^"]+)" y="([^"]+)" width="[^"]+" height="[^"]+" rx="6"/g)].map((m) => Number(m[2]));
    expect(boxes).toHaveLength(3);
    expect(boxes[0]).toBeLessThan(boxes[1]);
    expect(boxes[1]).toBeLessThan(boxes[2]);
    expect(svg.match(/marker-end="url\(#arrow\)"/g)).toHaveLength(3);
    expect(svg.match(/stroke-dasharray="6,4"/g)).toHaveLength(1); // the back edge
    expect(svg).toContain('>&quot;yHat&quot;</text>');
  });
  it('asks for a back edge when the forward edges form a cycle', () => {
    const loop: Flowchart = { nodes: chain.nodes, edges: chain.edges.map((e) => ({ ...e, back: false })) };
    expect(() => flowchartSvg(loop)).toThrow(/the forward edges form a cycle; mark the edge that loops back with back: true/);
  });
});

/** Each notebook with diagrams, and its charts (notebooks/diagrams/NN-name.ts); `node scripts/regen-diagrams.cjs` rewrites the cells. */
const NOTEBOOK_DIAGRAMS: [string, Record<string, Flowchart>][] = [
  ['02-core-concepts.ipynb', chapter02Charts],
  ['03-training-pipeline.ipynb', { trainingPipelineChart, trainingStepGraphChart }],
];

describe.each(NOTEBOOK_DIAGRAMS)('the diagrams of %s', (file, charts) => {
  const nb = JSON.parse(fs.readFileSync(path.join(ROOT, 'notebooks', file), 'utf8')) as { cells: { cell_type: string; source: string[] }[] };
  const markdown = nb.cells.filter((c) => c.cell_type === 'markdown').map((c) => c.source.join(''));
  it.each(Object.entries(charts))('the notebook shows %s as Mermaid and as the same static image', (_name, chart) => {
    const cell = markdown.find((m) => m.includes(flowchartMermaid(chart)));
    expect(cell, 'a Markdown cell with the Mermaid text (regenerate it: node scripts/regen-diagrams.cjs)').toBeDefined();
    expect(cell).toContain(`src="${svgDataUri(flowchartSvg(chart))}"`);
    expect(flowchartMarkdown(chart, 'x').startsWith('```mermaid\n')).toBe(true);
  });
});
