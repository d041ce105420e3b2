// DAPO dynamic sampling inside a real training step: with a random-init model most groups earn all-equal
// (zero) rewards; 'resample' draws more prompts until the batch holds informative groups or the rounds run out.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../engine/cpu/backend.ts';
import { createTinyModel } from '../engine/io/model-folder.ts';
import { defaultRunConfig } from './config/schema.ts';
import { Trainer } from './trainer.ts';

describe('dynamic sampling in the trainer', () => {
  it("'resample' makes extra rounds and trains only on groups with reward variance; 'off' is unchanged", async () => {
    const config = defaultRunConfig();
    config.rubric.criteria = [{ name: 'xml_format', kind: 'xml_format', weight: 1, params: {} }];
    config.grpo.promptsPerStep = 4;
    config.grpo.groupSize = 4;
    config.sampling.maxNewTokens = 6;
    const off = await Trainer.create(config, createTinyModel({ seed: 1 }), new CpuBackend());
    const a = await off.step();
    expect(a.metrics['dynamic_sampling/rounds']).toBeUndefined();
    expect(off.lastBatch?.rollouts.length).toBe(16);

    config.grpo.dynamicSampling = 'resample';
    config.grpo.maxResampleRounds = 3;
    const re = await Trainer.create(config, createTinyModel({ seed: 1 }), new CpuBackend());
    const b = await re.step();
    // The first round is the same sample as without dynamic sampling: same reward metrics.
    expect(b.metrics.reward).toBe(a.metrics.reward);
    expect(b.metrics.frac_reward_zero_std).toBe(a.metrics.frac_reward_zero_std);
    expect(a.metrics.frac_reward_zero_std).toBeGreaterThan(0); // the premise: some groups are flat
    expect(b.metrics['dynamic_sampling/rounds']).toBeGreaterThan(1);
    const kept = re.lastBatch!.rollouts;
    expect(kept.length).toBe(b.metrics['dynamic_sampling/groups_kept'] * 4);
    expect(b.metrics['dynamic_sampling/groups_sampled']).toBeGreaterThan(4);
  });
});
