import { describe, expect, it } from 'vitest';
import { criterionOfRewardMean, evalRewardErrorsMetric, evalRewardMeanMetric, hackingMetric, METRIC, rewardErrorsMetric, rewardMeanMetric, rewardStdMetric, TIMING_METRICS } from './metrics.ts';

describe('metric names', () => {
  it("follow TRL's names", () => {
    expect(rewardMeanMetric('correct_answer')).toBe('rewards/correct_answer/mean');
    expect(rewardStdMetric('xml_format')).toBe('rewards/xml_format/std');
    expect(rewardErrorsMetric('judge')).toBe('rewards/judge/errors');
    expect(evalRewardMeanMetric('fmt')).toBe('eval/rewards/fmt/mean');
    expect(evalRewardErrorsMetric('fmt')).toBe('eval/rewards/fmt/errors');
    expect(hackingMetric('length_inflation')).toBe('hacking/length_inflation');
    expect(criterionOfRewardMean('rewards/my.name-2/mean')).toBe('my.name-2');
    expect(criterionOfRewardMean('eval/rewards/fmt/mean')).toBeUndefined();
    expect(criterionOfRewardMean('rewards/fmt/errors')).toBeUndefined();
    expect(METRIC.clipRegionMean).toBe('clip_ratio/region_mean');
    expect(METRIC.evalAccuracy).toBe('eval/accuracy');
    expect(new Set(Object.values(METRIC)).size).toBe(Object.values(METRIC).length);
    expect([...TIMING_METRICS]).toEqual(['step_time', 'tokens_per_s']);
  });
});
