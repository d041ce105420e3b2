// Integration: GRPO steps on each multi-turn task with a tiny random model on the CPU backend. Checks the
// multi-turn metrics, that the loss mask of the packed batch is 1 exactly on sampled tokens (never on the
// environment's replies), and that evaluation runs whole episodes. The calculator model gets a short
// supervised warm start so that it actually calls the tool.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../engine/cpu/backend.ts';
import { createTinyModel, type LoadedModel } from '../engine/io/model-folder.ts';
import { DEFAULT_EXTRA_TOKENS } from '../engine/tokenizer.ts';
import { defaultRunConfig, type RunConfig } from './config/schema.ts';
import { supervisedFineTune } from './sft.ts';
import { createTask } from './tasks/index.ts';
import { Trainer } from './trainer.ts';

const EXTRA_TOKENS = [...DEFAULT_EXTRA_TOKENS, '<guess>', '</guess>', '<tool>', '</tool>', '<args>', '</args>'];

function tinyModel(): LoadedModel {
  const config = { hidden_size: 32, intermediate_size: 64, num_attention_heads: 2, num_key_value_heads: 1, max_position_embeddings: 1024 };
  return createTinyModel({ seed: 1, extraTokens: EXTRA_TOKENS, config });
}

function runConfig(task: RunConfig['task']['name'], params: RunConfig['task']['params'], criteria: RunConfig['rubric']['criteria']): RunConfig {
  const config = defaultRunConfig();
  config.task = { name: task, params, evalSize: 3 };
  config.rubric.criteria = criteria;
  config.grpo.groupSize = 2;
  config.grpo.promptsPerStep = 2;
  config.grpo.learningRate = 1e-3;
  config.sampling.maxNewTokens = 10;
  config.eval.maxNewTokens = 10;
  return config;
}

/** Every rollout's mask: 1 exactly where the target is a token of a generated segment; returns env tokens seen. */
function checkMask(trainer: Trainer<never, never>): { envTokens: number; envText: string } {
  const { rollouts, batch } = trainer.lastBatch!;
  const tok = trainer.tokenizer;
  let envTokens = 0;
  let envText = '';
  rollouts.forEach((r, s) => {
    let p = 0;
    r.segments.forEach((seg, k) => {
      for (const id of seg.ids) {
        if (p > 0) {
          expect(batch.targets[s * batch.T + p - 1]).toBe(id);
          expect(batch.mask[s * batch.T + p - 1], `rollout ${s} position ${p}`).toBe(seg.generated ? 1 : 0);
        }
        p++;
      }
      if (!seg.generated && k > 0) {
        envTokens += seg.ids.length;
        envText += tok.decode(seg.ids);
      }
    });
  });
  return { envTokens, envText };
}

const backend = new CpuBackend();

describe('multi-turn GRPO steps (tiny random model, CPU)', () => {
  it.each([
    [
      'guess-number',
      { maxTurns: 3 },
      [
        { name: 'solved', kind: 'solved' as const, weight: 1, params: {} },
        { name: 'format', kind: 'xml_format' as const, weight: 0.2, params: { fields: 'guess' } },
      ],
      'Reply <guess>N</guess>, N from 1 to 50.',
    ],
    [
      'word-game',
      { maxTurns: 3, length: 4 },
      [
        { name: 'fast', kind: 'solved_in_turns' as const, weight: 1, params: {} },
        { name: 'format', kind: 'xml_format' as const, weight: 0.2, params: { fields: 'guess' } },
      ],
      'Reply <guess>word</guess> with one 4-letter word.',
    ],
  ] as const)('%s: metrics, masking and evaluation', async (name, params, criteria, reminder) => {
    const trainer = await Trainer.create(runConfig(name, params, [...criteria]), tinyModel(), backend);
    for (let step = 1; step <= 2; step++) {
      const { metrics, samples } = await trainer.step();
      expect(Number.isFinite(metrics.loss)).toBe(true);
      expect(metrics['num_turns/mean']).toBeGreaterThan(1); // a random model never wins: reminders keep it going
      expect(metrics['num_turns/mean']).toBeLessThanOrEqual(3);
      expect(metrics['tools/call_frequency']).toBe(0);
      expect(metrics['tools/failure_frequency']).toBe(0);
      expect(metrics['rewards/format/mean']).toBeGreaterThanOrEqual(0);
      const { envTokens, envText } = checkMask(trainer as Trainer<never, never>);
      expect(envTokens).toBeGreaterThan(0);
      expect(envText).toContain(reminder);
      expect(samples[0].turns).toBeGreaterThan(1);
      expect(samples[0].messages?.filter((m) => m.role === 'assistant')).toHaveLength(samples[0].turns!);
    }
    const evaluation = await trainer.evaluate();
    expect(evaluation.samples).toHaveLength(3);
    expect(evaluation.metrics['eval/accuracy']).toBe(0);
  });

  it('calculator: after a short warm start the model calls the tool; results come back as masked context', async () => {
    const loaded = tinyModel();
    const task = createTask('calculator', { maxTurns: 2 });
    loaded.params = await supervisedFineTune(loaded, backend, task, (i) => {
      const row = task.trainRow(7, i);
      return { row, completion: `<tool>calculator</tool><args>${row.prompt}</args>` };
    }, { steps: 12, batchSize: 4, learningRate: 1e-2 });
    const config = runConfig('calculator', { maxTurns: 2 }, [
      { name: 'correct_answer', kind: 'correct_answer', weight: 1, params: {} },
      { name: 'tool_use', kind: 'tool_use', weight: 0.2, params: {} },
    ]);
    config.sampling.maxNewTokens = 24;
    config.sampling.temperature = 0.5;
    const trainer = await Trainer.create(config, loaded, backend);
    const { metrics } = await trainer.step();
    expect(metrics['tools/call_frequency']).toBeGreaterThan(0);
    expect(metrics['tools/failure_frequency']).toBeGreaterThanOrEqual(0);
    expect(metrics['tools/failure_frequency']).toBeLessThanOrEqual(1);
    expect(metrics['num_turns/mean']).toBeGreaterThan(1);
    expect(metrics['rewards/tool_use/mean']).toBeGreaterThanOrEqual(0);
    const { envTokens, envText } = checkMask(trainer as Trainer<never, never>);
    expect(envTokens).toBeGreaterThan(0);
    expect(envText).toContain('<|im_start|>tool\n');
    console.log(
      `calculator step: tools/call_frequency ${metrics['tools/call_frequency']}, tools/failure_frequency ` +
        `${metrics['tools/failure_frequency'].toFixed(2)}, num_turns/mean ${metrics['num_turns/mean']}`,
    );
  });
});
