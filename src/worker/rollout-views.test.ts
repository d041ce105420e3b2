// The rollout viewer's data from real GRPO steps on a tiny random model (CPU backend): per-token log-probs
// checked against an independent forward pass, token texts against the decoded completion, multi-turn turns
// and masking, groups left out of the trained batch, and the size caps.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../engine/cpu/backend.ts';
import { createTinyModel, type LoadedModel } from '../engine/io/model-folder.ts';
import { Model } from '../engine/model.ts';
import { CHAR_SPECIAL_TOKENS, DEFAULT_EXTRA_TOKENS } from '../engine/tokenizer.ts';
import { packBatch } from '../rl/batch.ts';
import { completionTokens } from '../rl/completion-tokens.ts';
import { defaultRunConfig } from '../rl/config/schema.ts';
import { Trainer, type RolloutRecord } from '../rl/trainer.ts';
import type { CompletionView } from './protocol.ts';
import { MAX_VIEW_GROUPS, MAX_VIEW_TOKENS, stepRollouts } from './rollout-views.ts';

const backend = new CpuBackend();

/** log p of every token of `ids` after position 0 under fresh weights `params`, by one forward pass of one row. */
async function independentLogprobs(loaded: LoadedModel, ids: Int32Array, temperature: number): Promise<Float32Array> {
  const params = backend.allocFloat(loaded.layout.total);
  backend.uploadFloat(params, loaded.params);
  const model = new Model(backend, loaded.layout, params);
  const T = ids.length - 1;
  return (await model.forwardLogprobs(ids.slice(0, T), ids.slice(1), 1, T, temperature)).logp;
}

function withoutSpecialTokens(text: string): string {
  return CHAR_SPECIAL_TOKENS.reduce((t, s) => t.split(s).join(''), text);
}

describe('rollout views of a real step', () => {
  it('single-turn: G completions per group, log-probs equal an independent forward pass, texts and advantages add up', async () => {
    const config = defaultRunConfig();
    // A length reward (1 at exactly 3 tokens) and stop strings give groups with reward variance, completions
    // that finish early and completions cut at maxNewTokens, which maskTruncatedCompletions leaves untrained.
    config.rubric.criteria = [
      { name: 'fmt', kind: 'xml_format', weight: 1, params: {} },
      { name: 'three', kind: 'length_target', weight: 0.5, params: { unit: 'tokens', target: 3, width: 1 } },
    ];
    config.grpo.promptsPerStep = 3;
    config.grpo.groupSize = 4;
    config.grpo.maskTruncatedCompletions = true;
    config.grpo.skipZeroStdGroups = true;
    config.sampling.maxNewTokens = 8;
    config.sampling.temperature = 0.8;
    config.sampling.stop = [...'aeiouAEIOU0123'];
    const loaded = createTinyModel({ seed: 1 });
    const trainer = await Trainer.create(config, loaded, backend);
    const result = await trainer.step();
    const view = stepRollouts(result.step, result.samples, trainer.tokenizer, trainer.rubric.criteria);
    const { rollouts } = trainer.lastBatch!;

    expect(view.step).toBe(1);
    expect(view.criteria).toEqual([
      { name: 'fmt', kind: 'xml_format', weight: 1 },
      { name: 'three', kind: 'length_target', weight: 0.5 },
    ]);
    expect(view.groups).toHaveLength(3);
    let checked = 0;
    const trainedCompletions = { truncated: 0, finished: 0 };
    for (const [gi, group] of view.groups.entries()) {
      expect(group.completions).toHaveLength(4);
      expect(group.prompt).toBe(rollouts[gi * 4].row.prompt);
      expect(group.answer).toBe(rollouts[gi * 4].row.answer);
      const rewards = group.completions.map((c) => c.reward);
      const mean = rewards.reduce((a, b) => a + b, 0) / 4;
      const std = Math.sqrt(rewards.reduce((a, r) => a + (r - mean) ** 2, 0) / 3);
      expect(group.rewardMean).toBeCloseTo(mean, 12);
      expect(group.rewardStd).toBeCloseTo(std, 12);
      const advantageSum = group.completions.reduce((a, c) => a + c.advantage, 0);
      expect(Math.abs(advantageSum)).toBeLessThan(1e-9);
      if (std > 0) expect(group.completions.some((c) => Math.abs(c.advantage) > 0.1)).toBe(true);

      for (const [k, c] of group.completions.entries()) {
        const r = rollouts[gi * 4 + k]; // no dynamic sampling: the batch holds every shown rollout, in order
        expect(Object.keys(c.scores)).toEqual(['fmt', 'three']);
        expect(c.reward).toBeCloseTo(c.scores.fmt + 0.5 * c.scores.three, 12);
        expect(c.turns).toBeUndefined();
        expect(c.tokens).toHaveLength(r.completion.length);
        expect(c.tokens.map((t) => t.text).join('')).toBe(trainer.tokenizer.decode(r.completion));
        expect(withoutSpecialTokens(c.tokens.map((t) => t.text).join(''))).toBe(c.text);
        const seq = new Int32Array([...r.prompt, ...r.completion]);
        const ref = await independentLogprobs(loaded, seq, config.sampling.temperature);
        // Every group of this sample has reward variance, so skipZeroStdGroups masks nothing; a truncated
        // completion is masked whole, a finished one trained whole.
        expect(group.rewardStd).toBeGreaterThan(0);
        trainedCompletions[r.truncated ? 'truncated' : 'finished']++;
        c.tokens.forEach((t, j) => {
          expect(t.generated).toBe(true);
          expect(t.trained).toBe(!r.truncated);
          expect(t.logprob).not.toBeNull();
          expect(Number.isFinite(t.logprob)).toBe(true);
          expect(t.logprob!).toBeLessThanOrEqual(0);
          const p = r.prompt.length + j; // sequence position: the target at t = p - 1
          expect(Math.abs(t.logprob! - ref[p - 1]), `group ${gi} completion ${k} token ${j}`).toBeLessThan(1e-5);
          checked++;
        });
      }
    }
    expect(checked).toBeGreaterThan(20);
    expect(trainedCompletions.truncated).toBeGreaterThan(0);
    expect(trainedCompletions.finished).toBeGreaterThan(0);
  });

  it('multi-turn (guess-number): environment turns are masked, their tokens are context with no log-prob', async () => {
    const extraTokens = [...DEFAULT_EXTRA_TOKENS, '<guess>', '</guess>'];
    const loaded = createTinyModel({
      seed: 1,
      extraTokens,
      config: { hidden_size: 32, intermediate_size: 64, num_attention_heads: 2, num_key_value_heads: 1, max_position_embeddings: 1024 },
    });
    const config = defaultRunConfig();
    config.task = { name: 'guess-number', params: { maxTurns: 3 }, evalSize: 2 };
    config.rubric.criteria = [
      { name: 'solved', kind: 'solved', weight: 1, params: {} },
      { name: 'format', kind: 'xml_format', weight: 0.2, params: { fields: 'guess' } },
    ];
    config.grpo.promptsPerStep = 2;
    config.grpo.groupSize = 2;
    config.sampling.maxNewTokens = 8;
    const trainer = await Trainer.create(config, loaded, backend);
    const result = await trainer.step();
    const view = stepRollouts(result.step, result.samples, trainer.tokenizer, trainer.rubric.criteria);
    expect(view.groups).toHaveLength(2);
    const completions: CompletionView[] = view.groups.flatMap((g) => g.completions);
    expect(completions).toHaveLength(4);
    for (const c of completions) {
      const turns = c.turns!;
      expect(turns[0].role).toBe('assistant'); // the conversation after the prompt
      expect(c.numTurns).toBe(turns.filter((t) => t.role === 'assistant').length);
      expect(c.numTurns).toBeGreaterThan(1); // a random model never wins: reminders keep it going
      for (const t of turns) expect(t.masked).toBe(t.role !== 'assistant');
      expect(turns.some((t) => t.masked && t.role === 'user')).toBe(true);
      expect(c.text).toBe(turns.findLast((t) => t.role === 'assistant')!.content);

      const context = c.tokens.filter((t) => !t.generated);
      expect(context.length).toBeGreaterThan(0);
      for (const t of context) {
        expect(t.logprob).toBeNull();
        expect(t.trained).toBe(false);
      }
      for (const t of c.tokens.filter((x) => x.generated)) {
        expect(Number.isFinite(t.logprob)).toBe(true);
        expect(t.logprob!).toBeLessThanOrEqual(0);
      }
      // The environment's replies are among the context tokens, as the user saw them.
      const contextText = context.map((t) => t.text).join('');
      for (const t of turns.filter((x) => x.role === 'user')) expect(contextText).toContain(t.content);
    }
  });

  it("groups left out of the trained batch (dynamic sampling 'skip') have no log-probs and nothing trained", async () => {
    const config = defaultRunConfig();
    config.rubric.criteria = [{ name: 'xml_format', kind: 'xml_format', weight: 1, params: {} }];
    config.grpo.promptsPerStep = 4;
    config.grpo.groupSize = 4;
    config.grpo.dynamicSampling = 'skip';
    config.sampling.maxNewTokens = 6;
    const trainer = await Trainer.create(config, createTinyModel({ seed: 1 }), backend);
    const result = await trainer.step();
    const view = stepRollouts(result.step, result.samples, trainer.tokenizer, trainer.rubric.criteria);
    expect(view.groups).toHaveLength(4);
    const flat = view.groups.filter((g) => g.rewardStd === 0);
    const informative = view.groups.filter((g) => g.rewardStd > 0);
    expect(flat.length).toBeGreaterThan(0); // the premise (see trainer-dynamic-sampling.test.ts)
    expect(trainer.lastBatch!.rollouts).toHaveLength(informative.length * 4);
    for (const g of flat) {
      for (const t of g.completions.flatMap((c) => c.tokens)) {
        expect(t.logprob).toBeNull();
        expect(t.trained).toBe(false);
        expect(t.generated).toBe(true);
      }
    }
    for (const g of informative) {
      for (const t of g.completions.flatMap((c) => c.tokens)) expect(Number.isFinite(t.logprob)).toBe(true);
    }
  });
});

describe('completionTokens (pure)', () => {
  it('maps the packed layout back to each token: context has no log-prob, masked rows are not trained', () => {
    const prompt = new Int32Array([1, 2, 3]);
    const segments = [
      { ids: prompt, generated: false },
      { ids: new Int32Array([10, 11]), generated: true },
      { ids: new Int32Array([20]), generated: false },
      { ids: new Int32Array([12]), generated: true },
    ];
    const other = [{ ids: new Int32Array([5, 6]), generated: false }, { ids: new Int32Array([7]), generated: true }];
    const batch = packBatch([{ segments: other, include: true }, { segments, include: true }], 0);
    const logp = Float32Array.from({ length: batch.S * batch.T }, (_, i) => -i);
    const t = completionTokens({ prompt, segments }, { batch, row: 1, logp });
    const base = batch.T; // row 1
    expect(Array.from(t.ids)).toEqual([10, 11, 20, 12]);
    expect(Array.from(t.generated)).toEqual([1, 1, 0, 1]);
    expect(Array.from(t.trained)).toEqual([1, 1, 0, 1]);
    // Sequence positions 3, 4, 5, 6 are targets at t = 2, 3, 4, 5.
    expect(Array.from(t.logprob)).toEqual([-(base + 2), -(base + 3), NaN, -(base + 5)]);

    const excluded = packBatch([{ segments, include: false }], 0);
    const u = completionTokens({ prompt, segments }, { batch: excluded, row: 0, logp: new Float32Array(excluded.S * excluded.T).fill(-1) });
    expect(Array.from(u.trained)).toEqual([0, 0, 0, 0]);
    expect(Array.from(u.logprob)).toEqual([-1, -1, NaN, -1]); // sampled, so its log-prob is known

    const absent = completionTokens({ prompt, segments }, null);
    expect(Array.from(absent.logprob).every(Number.isNaN)).toBe(true);
    expect(Array.from(absent.trained)).toEqual([0, 0, 0, 0]);
  });
});

describe('view size caps', () => {
  it(`keeps the first ${MAX_VIEW_GROUPS} groups and ${MAX_VIEW_TOKENS} tokens per completion`, () => {
    const n = MAX_VIEW_TOKENS + 5;
    const record = (group: number): RolloutRecord => ({
      group,
      prompt: `p${group}`,
      completion: 'x'.repeat(n),
      answer: 'a',
      reward: group % 2,
      advantage: 0,
      scores: { c: group % 2 },
      truncated: true,
      tokens: {
        ids: new Int32Array(n).fill(7),
        generated: new Uint8Array(n).fill(1),
        trained: new Uint8Array(n),
        logprob: new Float32Array(n).fill(-0.5),
      },
    });
    const records = Array.from({ length: 20 * 2 }, (_, i) => record(Math.floor(i / 2)));
    const decode = (ids: ArrayLike<number>) => String.fromCharCode(100 + ids[0]);
    const view = stepRollouts(3, records, { decode }, [{ name: 'c', kind: 'xml_format', weight: 1 }]);
    expect(view.groups).toHaveLength(MAX_VIEW_GROUPS);
    expect(view.groups.map((g) => g.prompt)).toEqual(Array.from({ length: MAX_VIEW_GROUPS }, (_, i) => `p${i}`));
    const c = view.groups[0].completions[0];
    expect(c.tokens).toHaveLength(MAX_VIEW_TOKENS);
    expect(c.text).toHaveLength(n); // the text is never cut
    expect(c.tokens[0]).toEqual({ text: 'k', logprob: -0.5, trained: false, generated: true });
    expect(view.groups[0].rewardStd).toBe(0);
  });
});
