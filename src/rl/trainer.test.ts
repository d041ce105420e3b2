// The trainer's wiring, through Trainer.step on a real tiny model (random init, CPU backend): the importance
// ratio over numIterations passes, which rollouts enter the loss (truncated, zero-std groups), the loss
// normalisers and the frozen reference. The GRPO maths themselves are tested in grpo/*.test.ts; here the
// expected values are derived by hand from the step's own rollouts (rewards, advantages, lengths), or come
// from an independent forward pass of known weights.
//
// Why the losses below are exact sums: on the first pass the old log-probs ARE the current ones, so every
// ratio is exp(0) = 1, never clipped, and a token's loss is -A_s (plus beta * k3 = 0 with beta 0). With the
// loss type's weights w (grpo/aggregate.ts), the first pass's loss is therefore
//   loss = -sum_s A_s * n_s * w_s,   n_s = the trained tokens of sequence s,
// whatever the model's log-probs are. With numIterations 1 the logged `loss` is that first pass.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../engine/cpu/backend.ts';
import { createTinyModel, type LoadedModel } from '../engine/io/model-folder.ts';
import { Model } from '../engine/model.ts';
import type { PackedBatch } from './batch.ts';
import { defaultRunConfig, type RunConfig } from './config/schema.ts';
import { Trainer, type RolloutRecord, type StepResult } from './trainer.ts';

const backend = new CpuBackend();
const P = 4;
const G = 4;
const MAX_NEW = 8;

/**
 * A step whose rollouts hold every case: stop strings end most random completions early (lengths 1-8), some
 * run to maxNewTokens (truncated), and the reward is 1 for a completion of exactly 3 tokens, else 0, so some
 * groups have reward variance and some are flat (nobody, or everybody, hit 3 tokens).
 */
function fixtureConfig(grpo: Partial<RunConfig['grpo']> = {}): RunConfig {
  const config = defaultRunConfig();
  config.rubric.criteria = [{ name: 'three', kind: 'length_target', weight: 1, params: { unit: 'tokens', target: 3, width: 1 } }];
  config.sampling.maxNewTokens = MAX_NEW;
  config.sampling.stop = [...'aeiouAEIOU0123'];
  Object.assign(config.grpo, { promptsPerStep: P, groupSize: G, lossType: 'bnpo', learningRate: 0.05 }, grpo);
  return config;
}

const fixtureModel = () => createTinyModel({ seed: 1 });

async function makeFirstStep(config: RunConfig) {
  const loaded = fixtureModel();
  const trainer = await Trainer.create(config, loaded, backend);
  return { loaded, trainer, result: await trainer.step() };
}

const firstSteps = new Map<string, ReturnType<typeof makeFirstStep>>();

/** The fixture's first step under these settings (made once per distinct config; callers only read it). */
function firstStep(grpo: Partial<RunConfig['grpo']> = {}): ReturnType<typeof makeFirstStep> {
  const config = fixtureConfig(grpo);
  const key = JSON.stringify(config.grpo);
  if (!firstSteps.has(key)) firstSteps.set(key, makeFirstStep(config));
  return firstSteps.get(key)!;
}

/** log p of the batch's targets under `weights`, by a fresh model (nothing shared with the trainer). */
async function logprobsUnder(loaded: LoadedModel, weights: Float32Array, batch: PackedBatch): Promise<Float32Array> {
  const params = backend.allocFloat(loaded.layout.total);
  backend.uploadFloat(params, weights);
  return (await new Model(backend, loaded.layout, params).forwardLogprobs(batch.tokens, batch.targets, batch.S, batch.T, 1)).logp;
}

const trainedFlags = (r: RolloutRecord) => [...new Set(Array.from(r.tokens.trained))];
/** Groups whose G rewards are all equal (the definition of a zero-std group). */
const flatGroups = (samples: RolloutRecord[]) =>
  new Set(samples.filter((r) => samples.every((o) => o.group !== r.group || o.reward === r.reward)).map((r) => r.group));
/** -sum_s A_s * n_s over the chosen rollouts: the first pass's loss times its normaliser (see the header). */
const advantageTokenSum = (rs: RolloutRecord[]) => -rs.reduce((a, r) => a + r.advantage * r.tokens.ids.length, 0);
const tokenCount = (rs: RolloutRecord[]) => rs.reduce((a, r) => a + r.tokens.ids.length, 0);

describe('the fixture step (premises of the tests below)', () => {
  it('has truncated and finished completions of several lengths, flat groups and groups with variance', async () => {
    const { result } = await firstStep();
    const s = result.samples;
    expect(s).toHaveLength(P * G);
    const informative = s.filter((r) => r.advantage !== 0);
    expect(informative.some((r) => r.truncated)).toBe(true);
    expect(informative.some((r) => !r.truncated)).toBe(true);
    expect(new Set(s.map((r) => r.tokens.ids.length)).size).toBeGreaterThan(2);
    const flat = flatGroups(s);
    expect(flat.size).toBeGreaterThan(0);
    expect(flat.size).toBeLessThan(P);
    expect(advantageTokenSum(s)).not.toBe(0);
  });
});

describe('numIterations: 2', () => {
  it('the ratio is exactly 1 on the first pass and moves (and clips) on the second, against old log-probs held fixed', async () => {
    const two = await firstStep({ numIterations: 2 });
    const passes = two.trainer.lastBatch!.passes;
    expect(passes).toHaveLength(2);
    expect(passes[0]).toMatchObject({ maxRatioDeviation: 0, clipLow: 0, clipHigh: 0, clipRegion: 0 });

    // The old log-probs are the initial weights', read by an independent forward pass.
    const { rollouts, batch } = two.trainer.lastBatch!;
    const logp0 = await logprobsUnder(two.loaded, two.loaded.params, batch);
    let compared = 0;
    two.result.samples.forEach((r, row) => {
      const start = rollouts[row].prompt.length; // completion token k is the target at t = start + k - 1
      r.tokens.logprob.forEach((lp, k) => {
        expect(lp).toBe(logp0[row * batch.T + start + k - 1]);
        compared++;
      });
    });
    expect(compared).toBeGreaterThan(P * G);

    // The weights after ONE update (a twin run with numIterations 1 makes the same first pass) give pass 2's
    // log-probs; pass 2's ratios are against logp0, not refreshed (refreshed, they would all be exactly 1).
    const one = await firstStep({ numIterations: 1 });
    const logp1 = await logprobsUnder(two.loaded, await one.trainer.weights(), batch);
    let maxDeviation = 0;
    for (let i = 0; i < batch.mask.length; i++) if (batch.mask[i]) maxDeviation = Math.max(maxDeviation, Math.abs(Math.exp(logp1[i] - logp0[i]) - 1));
    expect(maxDeviation).toBeGreaterThan(0.2); // lr 0.05 moves far past the clip range of 0.2
    expect(passes[1].maxRatioDeviation).toBeCloseTo(maxDeviation, 9);
    expect(passes[1].clipRegion).toBeGreaterThan(0);

    // The step logs the last pass's loss and clip ratios; the second pass moved the weights again.
    expect(two.result.metrics['clip_ratio/region_mean']).toBe(passes[1].clipRegion);
    expect(two.result.metrics.loss).toBe(passes[1].loss);
    expect(await two.trainer.weights()).not.toEqual(await one.trainer.weights());
  });
});

describe('which rollouts enter the loss, and its normaliser (first pass: loss = -sum_s A_s n_s w_s)', () => {
  // Every trainer below samples the same rollouts (same seed and model; the flags only change the update).
  it("maskTruncatedCompletions leaves truncated completions out: their tokens untrained, the loss over the rest", async () => {
    const off = await firstStep();
    const on = await firstStep({ maskTruncatedCompletions: true });
    const s = on.result.samples;
    expect(s.map((r) => r.completion)).toEqual(off.result.samples.map((r) => r.completion));
    for (const r of s) expect(trainedFlags(r)).toEqual(r.truncated ? [0] : [1]);
    for (const r of off.result.samples) expect(trainedFlags(r)).toEqual([1]);
    // bnpo: w = 1 / (trained tokens in the batch).
    const finished = s.filter((r) => !r.truncated);
    expect(on.result.metrics.loss).toBeCloseTo(advantageTokenSum(finished) / tokenCount(finished), 12);
    expect(off.result.metrics.loss).toBeCloseTo(advantageTokenSum(s) / tokenCount(s), 12);
    expect(on.result.metrics.loss).not.toBeCloseTo(off.result.metrics.loss, 6);
  });

  it('skipZeroStdGroups masks flat groups (kept as rows); dynamic sampling skip drops them; off keeps them at advantage 0', async () => {
    const off = await firstStep();
    const masked = await firstStep({ skipZeroStdGroups: true });
    const dropped = await firstStep({ dynamicSampling: 'skip' });
    const s = masked.result.samples;
    const flat = flatGroups(s);
    for (const r of off.result.samples) {
      expect(trainedFlags(r)).toEqual([1]);
      if (flat.has(r.group)) expect(r.advantage).toBe(0);
    }
    for (const r of s) expect(trainedFlags(r)).toEqual(flat.has(r.group) ? [0] : [1]);
    expect(masked.trainer.lastBatch!.rollouts).toHaveLength(P * G);
    expect(dropped.trainer.lastBatch!.rollouts).toHaveLength((P - flat.size) * G);
    for (const r of dropped.result.samples.filter((x) => flat.has(x.group))) expect(Array.from(r.tokens.logprob).every(Number.isNaN)).toBe(true);
    // Flat groups add nothing to the sum (A = 0) but their tokens count in bnpo's normaliser unless skipped.
    const informative = s.filter((r) => !flat.has(r.group));
    expect(masked.result.metrics.loss).toBeCloseTo(advantageTokenSum(informative) / tokenCount(informative), 12);
    expect(dropped.result.metrics.loss).toBeCloseTo(masked.result.metrics.loss, 12);
    expect(off.result.metrics.loss).toBeCloseTo(advantageTokenSum(s) / tokenCount(s), 12);
  });

  it("dr_grpo divides by S x maxNewTokens (S = P x G completions), not by the tokens generated", async () => {
    const { result } = await firstStep({ lossType: 'dr_grpo' });
    const s = result.samples;
    // 16 completions x 8 new tokens = 128, while the completions hold fewer tokens than that.
    expect(tokenCount(s)).toBeLessThan(128);
    expect(result.metrics.loss).toBeCloseTo(advantageTokenSum(s) / 128, 12);
  });
});

describe('beta > 0: the KL reference', () => {
  it('never changes, is the loaded weights, and kl is logged (0 before the first update); beta 0 logs no kl', async () => {
    const loaded = fixtureModel();
    const trainer = await Trainer.create(fixtureConfig({ beta: 0.1 }), loaded, backend);
    const results: StepResult[] = [];
    const before: Float32Array[] = [];
    for (let k = 0; k < 2; k++) {
      before.push(await trainer.weights());
      results.push(await trainer.step());
    }
    // Step 1's only pass runs on the loaded weights = the reference: k3 of identical log-probs is exactly 0.
    expect(results[0].metrics.kl).toBe(0);
    expect(results[1].metrics.kl).toBeGreaterThan(0);
    // Step 2's kl (its only pass, on the weights after step 1) recomputed from two independent forward passes.
    const batch = trainer.lastBatch!.batch;
    const policy = await logprobsUnder(loaded, before[1], batch);
    const ref = await logprobsUnder(loaded, loaded.params, batch);
    let kl = 0;
    let n = 0;
    for (let i = 0; i < batch.mask.length; i++) {
      if (!batch.mask[i]) continue;
      const d = ref[i] - policy[i];
      kl += Math.exp(d) - d - 1; // k3
      n++;
    }
    expect(results[1].metrics.kl).toBeCloseTo(kl / n, 9);
    expect(await trainer.referenceWeights()).toEqual(loaded.params);
    expect(await trainer.weights()).not.toEqual(loaded.params);

    const { trainer: noRef, result } = await firstStep({ beta: 0 });
    expect(result.metrics).not.toHaveProperty('kl');
    expect(await noRef.referenceWeights()).toBeNull();
  });
});

describe('the advantages a step reports', () => {
  it("are the ones trained with, also when dynamic sampling drops groups before 'batch' scaling", async () => {
    const { trainer, result } = await firstStep({ dynamicSampling: 'skip', scaleRewards: 'batch' });
    const flat = flatGroups(result.samples);
    const kept = result.samples.filter((r) => !flat.has(r.group)); // the batch rows, in order
    const trained = trainer.lastBatch!.advantages;
    expect(trained).toHaveLength(kept.length);
    kept.forEach((r, row) => expect(r.advantage).toBe(trained[row]));
    // Dropped (flat) groups were not trained: reward minus the group mean is 0 under any scaling.
    for (const r of result.samples.filter((x) => flat.has(x.group))) expect(r.advantage).toBe(0);
  });
});
