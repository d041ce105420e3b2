import { describe, expect, it } from 'vitest';
import { learningRate, type LrScheduleOptions } from './schedule.ts';

const base = { baseLr: 1e-3, warmupSteps: 4, minLrRatio: 0.1 };
const lrs = (schedule: LrScheduleOptions['schedule'], total: number, opts: Partial<LrScheduleOptions> = {}) =>
  Array.from({ length: total }, (_, s) => learningRate(s, total, { ...base, schedule, ...opts }));

describe('learningRate', () => {
  it("'constant' is baseLr everywhere and ignores warmup", () => {
    expect(lrs('constant', 10)).toEqual(Array(10).fill(1e-3));
  });

  it("'constant_with_warmup': steps 0..3 climb 1/4, 2/4, 3/4, 4/4 of baseLr, then stay there", () => {
    const v = lrs('constant_with_warmup', 8);
    [0.25e-3, 0.5e-3, 0.75e-3, 1e-3, 1e-3, 1e-3, 1e-3, 1e-3].forEach((e, i) => expect(v[i]).toBeCloseTo(e, 15));
  });

  it("'cosine' at the boundaries: step 0, end of warmup, middle of the decay, last step", () => {
    // total 13, warmup 4: decay over steps 4..12 (9 steps), progress (s - 4) / 8
    const v = lrs('cosine', 13);
    expect(v[0]).toBeCloseTo(1e-3 / 4, 15); // first update: never 0
    expect(v[3]).toBeCloseTo(1e-3, 15); // last warmup step reaches baseLr
    expect(v[4]).toBeCloseTo(1e-3, 15); // first decay step: progress 0
    expect(v[8]).toBeCloseTo(1e-3 * (0.1 + 0.9 * 0.5), 15); // progress 1/2: halfway between base and min
    expect(v[6]).toBeCloseTo(1e-3 * (0.1 + 0.9 * 0.5 * (1 + Math.SQRT1_2)), 15); // progress 1/4: cos(pi/4)
    expect(v[12]).toBeCloseTo(1e-4, 15); // last step: exactly baseLr * minLrRatio
    for (let s = 4; s < 12; s++) expect(v[s + 1]).toBeLessThan(v[s]); // strictly decreasing after warmup
  });

  it("'cosine' without warmup starts at baseLr and may decay to 0", () => {
    const v = lrs('cosine', 5, { warmupSteps: 0, minLrRatio: 0 });
    expect(v[0]).toBe(1e-3);
    expect(v[2]).toBeCloseTo(0.5e-3, 15);
    expect(v[4]).toBeCloseTo(0, 15);
  });

  it('steps past the end keep the last value; a single-step run uses baseLr', () => {
    const opts = { ...base, schedule: 'cosine' as const };
    expect(learningRate(20, 13, opts)).toBe(learningRate(12, 13, opts));
    expect(learningRate(0, 1, { ...opts, warmupSteps: 0 })).toBe(1e-3);
  });

  it('warmup longer than the run: the whole run climbs and never reaches baseLr', () => {
    const v = lrs('cosine', 3, { warmupSteps: 10 });
    [1e-4, 2e-4, 3e-4].forEach((e, i) => expect(v[i]).toBeCloseTo(e, 15));
  });

  it('refuses bad arguments with a message naming the field', () => {
    const opts = { ...base, schedule: 'cosine' as const };
    expect(() => learningRate(-1, 10, opts)).toThrow(/step/);
    expect(() => learningRate(1.5, 10, opts)).toThrow(/step/);
    expect(() => learningRate(0, 0, opts)).toThrow(/totalSteps/);
    expect(() => learningRate(0, 10, { ...opts, minLrRatio: 1.5 })).toThrow(/minLrRatio/);
    expect(() => learningRate(0, 10, { ...opts, warmupSteps: -2 })).toThrow(/warmupSteps/);
    expect(() => learningRate(0, 10, { ...opts, baseLr: NaN })).toThrow(/baseLr/);
    expect(() => learningRate(0, 10, { ...opts, schedule: 'linear' as never })).toThrow(/unknown lr schedule 'linear'/);
  });
});
