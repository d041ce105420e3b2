// Proof that GRPO learns, on the CPU backend, deterministically (fixed seeds, bit-identical runs):
// 1. a freshly initialised model discovers the answer-tag format from the format reward alone;
// 2. the bundled tiny-arith model, under the default preset, raises its greedy accuracy on held-out problems
//    (it was pretrained to usually forget the carry; GRPO teaches it to carry).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../engine/cpu/backend.ts';
import { createTinyModel, loadModelFolder } from '../engine/io/model-folder.ts';
import { nodeDirSource } from '../engine/io/node-source.ts';
import { defaultRunConfig } from './config/schema.ts';
import { DEFAULT_PRESET, getPreset } from './presets.ts';
import { Trainer } from './trainer.ts';

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('GRPO learns', () => {
  it('a random-init model learns the format reward (mean reward of the last 5 steps >= 3x the first 5)', async () => {
    const config = defaultRunConfig();
    // Correctness is logged (weight 0) but not rewarded: the reward rises while it stays at 0, which is
    // exactly what the reward-hacking indicator must flag.
    config.rubric.criteria = [
      { name: 'xml_format', kind: 'xml_format', weight: 1, params: {} },
      { name: 'correct_answer', kind: 'correct_answer', weight: 0, params: {} },
    ];
    config.grpo.learningRate = 3e-3;
    config.grpo.promptsPerStep = 4;
    config.sampling.maxNewTokens = 8;
    const trainer = await Trainer.create(config, createTinyModel({ seed: 1 }), new CpuBackend());
    const rewards: number[] = [];
    const events: string[] = [];
    for (let s = 0; s < 30; s++) {
      const r = await trainer.step();
      rewards.push(r.metrics.reward);
      events.push(...r.events.map((e) => `${e.step}:${e.kind}`));
    }
    const first = mean(rewards.slice(0, 5));
    const last = mean(rewards.slice(-5));
    console.log(`format reward: first 5 steps ${first.toFixed(3)}, last 5 steps ${last.toFixed(3)}`);
    expect(last, `rewards per step: ${rewards.map((r) => r.toFixed(3)).join(' ')}`).toBeGreaterThan(3 * first);
    expect(last).toBeGreaterThan(0.1);
    console.log(`reward-hacking events: ${events.join(', ') || 'none'}`);
    expect(events.some((e) => e.endsWith('reward_vs_correctness'))).toBe(true);
  });

  it('the default preset on the bundled tiny-arith model: held-out accuracy rises by >= 0.25 in 20 steps', async () => {
    const loaded = await loadModelFolder(nodeDirSource(join(import.meta.dirname, '..', '..', 'public', 'models', 'tiny-arith')));
    const config = getPreset(DEFAULT_PRESET);
    const trainer = await Trainer.create(config, loaded, new CpuBackend());
    const before = (await trainer.evaluate()).metrics['eval/accuracy'];
    for (let s = 0; s < 20; s++) await trainer.step();
    const after = (await trainer.evaluate()).metrics['eval/accuracy'];
    console.log(`tiny-arith, default preset, ${config.task.evalSize} held-out problems: greedy accuracy ${before.toFixed(3)} -> ${after.toFixed(3)} in 20 steps`);
    expect(before).toBeLessThanOrEqual(0.5);
    expect(after - before).toBeGreaterThanOrEqual(0.25);
  });
});
