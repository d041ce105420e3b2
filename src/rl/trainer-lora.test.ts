// The trainer with LoRA (run config `lora`): only the adapters train (the base stays the loaded weights), the
// KL reference is the base with adapters off and logs exactly the KL a separate frozen copy gives (the same run
// with a copy swapped in: every metric but the timings equal bit for bit on the CPU), and a LoRA run exports a PEFT adapter and
// merged weights that compute the trained policy.
import { describe, expect, it } from 'vitest';
import type { TensorLike } from '../engine/backend.ts';
import { CpuBackend } from '../engine/cpu/backend.ts';
import { createTinyModel } from '../engine/io/model-folder.ts';
import { Model } from '../engine/model.ts';
import { defaultRunConfig, type RunConfig } from './config/schema.ts';
import { Trainer, type StepResult } from './trainer.ts';

const backend = new CpuBackend({ threads: 1 });

function loraConfig(): RunConfig {
  const config = defaultRunConfig();
  config.rubric.criteria = [{ name: 'three', kind: 'length_target', weight: 1, params: { unit: 'tokens', target: 3, width: 1 } }];
  config.sampling.maxNewTokens = 8;
  config.sampling.stop = [...'aeiouAEIOU0123'];
  Object.assign(config.grpo, { promptsPerStep: 4, groupSize: 4, lossType: 'bnpo', learningRate: 0.05, beta: 0.2 });
  config.lora = { rank: 4, alpha: 8, targets: ['q', 'k', 'v', 'o', 'gate', 'up', 'down'], dropout: 0, baseDtype: 'bf16' };
  return config;
}

async function run<F extends TensorLike, I extends TensorLike>(trainer: Trainer<F, I>, steps: number): Promise<StepResult[]> {
  const out: StepResult[] = [];
  for (let k = 0; k < steps; k++) out.push(await trainer.step());
  return out;
}

describe('trainer with LoRA', () => {
  it('adapters-off reference = a separate frozen copy: the same kl (and every other metric), base untouched', async () => {
    const loaded = createTinyModel({ seed: 1 });
    const a = await Trainer.create(loraConfig(), loaded, backend);
    const b = await Trainer.create(loraConfig(), loaded, backend);
    // b: the reference replaced by a separate frozen copy of the loaded weights (a test-only swap of a private field)
    (b as unknown as { reference: unknown }).reference = new Model(backend, loaded.layout, loaded.params.slice());
    const [ra, rb] = [await run(a, 2), await run(b, 2)];
    expect(ra[0].metrics.kl).toBe(0); // B = 0 at step 1: the policy is the base
    expect(ra[1].metrics.kl).toBeGreaterThan(0);
    const untimed = (m: Record<string, number>) => Object.fromEntries(Object.entries(m).filter(([k]) => k !== 'step_time' && k !== 'tokens_per_s'));
    for (let k = 0; k < 2; k++) expect(untimed(ra[k].metrics)).toEqual(untimed(rb[k].metrics));
    expect(a.model.trainable.params.length).toBe(a.model.lora!.layout.total);
    expect(Buffer.from(a.model.params.buffer).equals(Buffer.from(loaded.params.buffer)), 'the base is frozen').toBe(true);
    expect(await a.referenceWeights()).toEqual(loaded.params); // CPU: the base is held in f32
  });

  it('exports a PEFT adapter and merged weights that compute the trained policy', async () => {
    const loaded = createTinyModel({ seed: 2 });
    const trainer = await Trainer.create(loraConfig(), loaded, backend);
    await run(trainer, 2);
    const files = (await trainer.peftAdapter())!;
    expect([...files.keys()].sort()).toEqual(['adapter_config.json', 'adapter_model.safetensors']);
    expect(JSON.parse(files.get('adapter_config.json') as string)).toMatchObject({ r: 4, lora_alpha: 8, base_model_name_or_path: 'tiny-arith' });
    const merged = new Model(backend, loaded.layout, await trainer.weights());
    const batch = trainer.lastBatch!.batch;
    const want = (await trainer.model.forwardLogprobs(batch.tokens, batch.targets, batch.S, batch.T)).logp;
    const got = (await merged.forwardLogprobs(batch.tokens, batch.targets, batch.S, batch.T)).logp;
    for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-4);
  });
});
