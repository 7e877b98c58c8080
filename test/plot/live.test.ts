import { describe, expect, it } from 'vitest';
import { historyFigure, liveFigure, type Figure } from '../../lib';

describe('liveFigure', () => {
  it('outside a notebook prints the status of drawn updates only with printText, at most one per interval', () => {
    const lines: unknown[] = [];
    const log = console.log;
    console.log = (...a: unknown[]) => lines.push(a[0]);
    try {
      const quiet = liveFigure();
      expect(quiet.update(historyFigure([]), 'epoch 1')).toBe(true);
      const chart = liveFigure({ printText: true, minIntervalMs: 60_000 });
      expect(chart.update(historyFigure([]), 'epoch 1')).toBe(true);
      expect(chart.update(historyFigure([]), 'epoch 2')).toBe(false); // too soon
      expect(chart.update(historyFigure([]), 'epoch 3', true)).toBe(true); // forced: the last one
    } finally {
      console.log = log;
    }
    expect(lines).toEqual(['epoch 1', 'epoch 3']);
  });
  it('outside a notebook prints nothing for an empty status, and still checks the figure', () => {
    const lines: unknown[] = [];
    const log = console.log;
    console.log = (...a: unknown[]) => lines.push(a[0]);
    try {
      const chart = liveFigure({ printText: true, minIntervalMs: 0 });
      expect(chart.update(historyFigure([]))).toBe(true);
      expect(() => chart.update({} as Figure, 'epoch 1')).toThrow(/liveFigure: update's fig must be an object with a data array, got object/);
    } finally {
      console.log = log;
    }
    expect(lines).toEqual([]);
  });
  it('checks the interval', () => {
    expect(() => liveFigure({ minIntervalMs: -1 })).toThrow(/liveFigure: options.minIntervalMs must be an integer >= 0, got number -1/);
  });
});
