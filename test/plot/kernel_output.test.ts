/**
 * What the library sends to Jupyter from inside a tslab kernel, with the
 * kernel replaced by a stand-in: a `tslab/dist/jupyter.js` in require.cache
 * whose `lastWriteDisplayData` records each message, the way tslab's own
 * writer turns `(content, update)` into a `display_data` or
 * `update_display_data` message. (A real kernel runs the notebooks in
 * test/notebooks/notebook_size.test.ts.)
 *
 * This file must stay on its own: the library looks the kernel up once per
 * process, and vitest runs each test file in a fresh process (pool 'forks').
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

interface Message {
  msg_type: 'display_data' | 'update_display_data';
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  transient: { display_id?: string };
}

const messages: Message[] = [];
// The library, loaded after the stand-in kernel is in place.
let dl: typeof import('../../lib');
let notebook: typeof import('../../lib/core/notebook');
let plotly: typeof import('../../lib/plot/plotly');

beforeAll(async () => {
  const dist = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dlc-fake-tslab-')), 'node_modules', 'tslab', 'dist');
  fs.mkdirSync(dist, { recursive: true });
  fs.writeFileSync(path.join(dist, 'jupyter.js'), 'exports.lastWriteDisplayData = null;\n');
  // tslab's public API, reduced to what the library calls: one MIME type per message.
  fs.writeFileSync(
    path.join(dist, 'public.js'),
    `const jupyter = require('./jupyter');
function display(id) {
  let update = false;
  const raw = (type, b) => { const u = update; if (id) update = true; jupyter.lastWriteDisplayData({ data: { [type]: b }, metadata: {}, transient: { display_id: id } }, u); };
  return { raw, html: (s) => raw('text/html', s), text: (s) => raw('text/plain', s), markdown: (s) => raw('text/markdown', s), svg: (s) => raw('image/svg+xml', s), png: (b) => raw('image/png', b) };
}
exports.display = display(undefined);
let n = 0;
exports.newDisplay = () => display('tslab-' + ++n);
`,
  );
  const jupyter = require(path.join(dist, 'jupyter.js')) as { lastWriteDisplayData: unknown };
  jupyter.lastWriteDisplayData = (content: Omit<Message, 'msg_type'>, update: boolean) =>
    messages.push({ msg_type: update ? 'update_display_data' : 'display_data', ...(JSON.parse(JSON.stringify(content)) as Omit<Message, 'msg_type'>) });
  dl = await import('../../lib');
  notebook = await import('../../lib/core/notebook');
  plotly = await import('../../lib/plot/plotly');
});

function take(): Message[] {
  return messages.splice(0, messages.length);
}

describe('in a tslab kernel (stand-in)', () => {
  it('is detected', () => {
    expect(dl.inNotebook()).toBe(true);
  });

  it('showFigure sends ONE display_data message with the plotly figure, its static image and a summary, and no plotly.js', () => {
    take();
    const fig = dl.historyFigure([{ epoch: 1, loss: 2, accuracy: 0.3 }], 'Loss');
    dl.showFigure(fig, 'one epoch');
    const sent = take();
    expect(sent).toHaveLength(1);
    expect(sent[0].msg_type).toBe('display_data');
    expect(sent[0].transient).toEqual({});
    expect(Object.keys(sent[0].data)).toEqual(['application/vnd.plotly.v1+json', 'text/html', 'text/plain']);
    expect(sent[0].data['application/vnd.plotly.v1+json']).toMatchObject({ data: fig.data, layout: { title: { text: 'Loss' }, height: 360 } });
    expect(sent[0].data['text/html']).toMatch(/^<div class="dlc-figure"[^>]*><img class="dlc-static" src="data:image\/svg\+xml;base64,/);
    expect(sent[0].data['text/plain']).toBe('one epoch');
    expect(JSON.stringify(sent).length).toBeLessThan(50_000);
    expect(JSON.stringify(sent)).not.toMatch(/<script/i);
    expect(plotly.plotlyLoaded()).toBe(false); // no plotly.js output was shown first
  });

  it('showBundle sends its bundle as one message; loadPlotly still inlines plotly.js when asked', () => {
    take();
    notebook.showBundle({ 'text/markdown': '**hi**', 'text/plain': 'hi' });
    expect(take()).toEqual([{ msg_type: 'display_data', data: { 'text/markdown': '**hi**', 'text/plain': 'hi' }, metadata: {}, transient: {} }]);
    dl.loadPlotly();
    const sent = take();
    expect(sent).toHaveLength(1);
    expect((sent[0].data['text/html'] as string).length).toBeGreaterThan(3_000_000);
    expect(plotly.plotlyLoaded()).toBe(true);
  });

  it('liveBundle: one output, created once and then replaced in place under the same display_id', () => {
    take();
    const out = notebook.liveBundle();
    out.update({ 'text/plain': 'one' });
    out.update({ 'text/plain': 'two', 'text/html': '<b>two</b>' });
    const other = notebook.liveBundle();
    other.update({ 'text/plain': 'other' });
    const sent = take();
    expect(sent.map((m) => [m.msg_type, m.transient.display_id, m.data['text/plain']])).toEqual([
      ['display_data', out.displayId, 'one'],
      ['update_display_data', out.displayId, 'two'],
      ['display_data', other.displayId, 'other'],
    ]);
    expect(out.displayId).toMatch(/^dlc-[0-9a-f]{16}$/);
    expect(other.displayId).not.toBe(out.displayId);
    expect(() => out.update({ html: '<b>x</b>' })).toThrow(/liveBundle: bundle key must be a MIME type/);
  });

  it('liveFigure: the first drawing creates the output; each later one replaces it, first by its static image, then by the plotly figure', () => {
    take();
    const chart = dl.liveFigure({ minIntervalMs: 60_000 });
    const history = [{ epoch: 1, loss: 2, accuracy: 0.3 }];
    expect(chart.update(dl.historyFigure(history, 'Training'), 'epoch 1')).toBe(true);
    expect(chart.update(dl.historyFigure(history, 'Training'), 'epoch 1 again')).toBe(false); // too soon: nothing sent
    history.push({ epoch: 2, loss: 1, accuracy: 0.6 });
    expect(chart.update(dl.historyFigure(history, 'Training'), 'epoch 2', true)).toBe(true);
    const sent = take();
    const id = sent[0].transient.display_id;
    expect(id).toMatch(/^dlc-/);
    expect(sent.map((m) => [m.msg_type, m.transient.display_id, Object.keys(m.data).join(' ')])).toEqual([
      ['display_data', id, 'application/vnd.plotly.v1+json text/html text/plain'],
      ['update_display_data', id, 'text/html text/plain'],
      ['update_display_data', id, 'application/vnd.plotly.v1+json text/html text/plain'],
    ]);
    const last = sent[2].data;
    expect(last['text/plain']).toBe('epoch 2');
    expect(last['text/html']).toMatch(/^<div class="dlc-status"[^>]*>epoch 2<\/div><div class="dlc-figure"/);
    expect(sent[1].data['text/html']).toBe(last['text/html']);
    expect(last['application/vnd.plotly.v1+json']).toMatchObject({ layout: { title: { text: 'Training<br><sup>epoch 2</sup>' } } });
    expect(((last['application/vnd.plotly.v1+json'] as { data: { x: number[] }[] }).data[0].x)).toEqual([1, 2]);
  });

  it('show and liveOutput keep using tslab\'s display (one text/html message each)', () => {
    take();
    dl.show({ html: '<p>hi</p>', text: 'hi' });
    const out = notebook.liveOutput();
    out.update({ html: '<p>1</p>', text: '1' });
    out.update({ html: '<p>2</p>', text: '2' });
    expect(take().map((m) => [m.msg_type, m.data['text/html']])).toEqual([
      ['display_data', '<p>hi</p>'],
      ['display_data', '<p>1</p>'],
      ['update_display_data', '<p>2</p>'],
    ]);
  });
});
