import { describe, expect, it } from 'vitest';
import { linePoints, nearestRow, pathOf, plotScales, type PlotBox } from './plot-geometry.ts';
import type { ChartRow, DrawnLine } from './series.ts';

const box: PlotBox = { width: 110, height: 60, left: 10, right: 0, top: 0, bottom: 10 };
const line: DrawnLine = { dataKey: 'a', runId: 'run-1', runName: 'Run 1', color: '#000', label: 'a', role: 'smooth', reference: false };

describe('plotScales', () => {
  it('maps the domains onto the plot area, y growing upwards', () => {
    const s = plotScales(box, [0, 10], [0, 1]);
    // 100 px for 10 steps after a 10 px margin; 50 px of height for [0, 1], 0 at the bottom (y = 50).
    expect(s.x(0)).toBe(10);
    expect(s.x(10)).toBe(110);
    expect(s.y(0)).toBe(50);
    expect(s.y(1)).toBe(0);
    expect(s.y(0.5)).toBe(25);
    expect(s.stepAt(60)).toBe(5);
  });
});

describe('linePoints and pathOf', () => {
  it('skips rows without the line (bridging the gap) and writes an SVG path', () => {
    const rows = [{ step: 0, a: 0 }, { step: 5 }, { step: 10, a: 1 }] as ChartRow[];
    const points = linePoints(rows, line, plotScales(box, [0, 10], [0, 1]));
    expect(points).toEqual([[10, 50], [110, 0]]);
    expect(pathOf(points)).toBe('M10,50L110,0');
  });

  it('draws a single point as a zero-length segment and nothing for no points', () => {
    expect(pathOf([[3, 4]])).toBe('M3,4h0');
    expect(pathOf([])).toBe('');
  });
});

describe('nearestRow', () => {
  const rows = [{ step: 1 }, { step: 4 }, { step: 10 }] as ChartRow[];
  it('finds the row nearest a step on either side', () => {
    expect(nearestRow(rows, 0)?.step).toBe(1);
    expect(nearestRow(rows, 2.4)?.step).toBe(1);
    expect(nearestRow(rows, 2.6)?.step).toBe(4);
    expect(nearestRow(rows, 8)?.step).toBe(10);
    expect(nearestRow(rows, 99)?.step).toBe(10);
    expect(nearestRow([], 3)).toBeUndefined();
  });
});
