// The "A grader that can be gamed" Try-this, measured on the default preset (tiny-arith, CPU backend, fixed seed,
// 64 held-out problems): the model games the grader (eval accuracy falls while the reward rises), the
// reward-hacking warning fires within 20 steps, and the warning's two one-click fixes (reward correctness, cap the
// grader) make the same run learn the task instead. It sits in src/, outside the layers, because it joins the
// app's starters and fixes to the engine's CPU backend (as src/starters-measured.test.ts does).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixesFor } from './app/teaching/hacking-fixes.ts';
import { STARTERS } from './app/teaching/starters.ts';
import { CpuBackend } from './engine/cpu/backend.ts';
import { loadModelFolder, type LoadedModel } from './engine/io/model-folder.ts';
import { nodeDirSource } from './engine/io/node-source.ts';
import type { RunConfig } from './rl/config/schema.ts';
import { DEFAULT_PRESET, getPreset } from './rl/presets.ts';
import { Trainer, type StepResult } from './rl/trainer.ts';

let loaded: LoadedModel;
let backend: CpuBackend;
beforeAll(async () => {
  loaded = await loadModelFolder(nodeDirSource(join(import.meta.dirname, '..', 'public', 'models', 'tiny-arith')));
  backend = await CpuBackend.create();
});
afterAll(() => backend?.dispose());

async function measure(config: RunConfig, steps: number) {
  const trainer = await Trainer.create(config, loaded, backend);
  const acc = async () => (await trainer.evaluate()).metrics['eval/accuracy'];
  const before = await acc();
  const out: StepResult[] = [];
  for (let i = 0; i < steps; i++) out.push(await trainer.step());
  const after = await acc();
  const events = out.flatMap((s) => s.events);
  const reward = out.map((s) => s.metrics.reward);
  console.log(`eval accuracy ${before.toFixed(3)} -> ${after.toFixed(3)}; reward ${reward.map((r) => r.toFixed(2)).join(' ')}; events ${events.map((e) => `${e.step}:${e.kind}`).join(', ')}`);
  return { before, after, events, reward };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('Try this: a grader that can be gamed (default preset, tiny-arith, CPU)', () => {
  const starter = STARTERS.find((s) => s.id === 'gameable-grader')!;
  const config = () => {
    const base = getPreset(DEFAULT_PRESET);
    base.task.evalSize = 64;
    return starter.apply(base);
  };

  it('the grader is gamed: accuracy falls, the reward rises, and the reward-hacking warning fires', async () => {
    const m = await measure(config(), 20);
    expect(m.after).toBeLessThan(m.before - 0.2);
    expect(mean(m.reward.slice(-5))).toBeGreaterThan(mean(m.reward.slice(0, 5)) + 0.05);
    const warning = m.events.find((e) => e.kind === 'reward_vs_correctness');
    expect(warning?.message).toMatch(/reward is growing from bigger_is_better, not from solving the task/);
  }, 300_000);

  it('the warning\'s two fixes make the same run learn the task', async () => {
    const fixes = fixesFor('reward_vs_correctness', config());
    expect(fixes.map((f) => f.id)).toEqual(['reward-correctness', 'cap-weights']);
    const fixed = fixes.reduce((c, f) => f.apply(c), config());
    const m = await measure(fixed, 10);
    expect(m.after).toBeGreaterThan(m.before + 0.2);
    expect(m.events.map((e) => e.kind)).not.toContain('reward_vs_correctness');
  }, 300_000);
});
