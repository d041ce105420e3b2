import { describe, expect, it } from 'vitest';
import { METRIC, rewardErrorsMetric, rewardMeanMetric, rewardStdMetric, TIMING_METRICS } from './metrics.ts';

describe('metric names', () => {
  it("follow TRL's names", () => {
    expect(rewardMeanMetric('correct_answer')).toBe('rewards/correct_answer/mean');
    expect(rewardStdMetric('xml_format')).toBe('rewards/xml_format/std');
    expect(rewardErrorsMetric('judge')).toBe('rewards/judge/errors');
    expect(METRIC.clipRegionMean).toBe('clip_ratio/region_mean');
    expect(METRIC.evalAccuracy).toBe('eval/accuracy');
    expect(new Set(Object.values(METRIC)).size).toBe(Object.values(METRIC).length);
    expect([...TIMING_METRICS]).toEqual(['step_time', 'tokens_per_s']);
  });
});
