// The group-relative judge inside a real GRPO step (tiny random model, CPU backend) against a scripted server on
// 127.0.0.1: one request per prompt per step holding all of its G completions, each completion's score the one
// the judge gave its position, and advantages that follow those scores within each group.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../../engine/cpu/backend.ts';
import { createTinyModel } from '../../engine/io/model-folder.ts';
import { defaultRunConfig } from '../config/schema.ts';
import { Trainer } from '../trainer.ts';
import { startScriptedChatServer, type ScriptedChatServer } from './testing/chat-server.ts';

let server: ScriptedChatServer;
beforeAll(async () => {
  // Scores by position: answer k of n gets k / n (so scores differ within every group).
  server = await startScriptedChatServer((_, req) => {
    const n = Number(/=== Answer 1 of (\d+) ===/.exec(req.body.messages.at(-1)!.content)?.[1]);
    return JSON.stringify({ scores: Array.from({ length: n }, (_, k) => (k + 1) / n) });
  });
});
afterAll(() => server.close());

describe('llm_judge mode "group" in training', () => {
  it('one request per prompt per step, scores by position within the group, advantages in the same order', async () => {
    const config = defaultRunConfig();
    config.grpo.promptsPerStep = 3;
    config.grpo.groupSize = 4;
    config.sampling.maxNewTokens = 6;
    config.eval.maxNewTokens = 6;
    config.task.evalSize = 4;
    config.rubric.criteria = [{ name: 'rank', kind: 'llm_judge', weight: 1, params: { mode: 'group', baseUrl: server.baseUrl, model: 'ruler', retries: 0 } }];
    const trainer = await Trainer.create(config, createTinyModel({ seed: 1 }), new CpuBackend());
    const { samples, metrics } = await trainer.step();
    expect(samples).toHaveLength(12);
    expect(metrics['rewards/rank/errors']).toBeUndefined();
    // Completions of the same prompt share one request (two rows may ask the same sum: then one request holds both groups).
    const prompts = [...new Set(samples.map((s) => s.prompt))];
    expect(server.seen).toHaveLength(prompts.length);
    for (const prompt of prompts) {
      const mine = samples.filter((s) => s.prompt === prompt);
      const request = server.seen.find((r) => r.body.messages[0].content.includes(`=== Answer 1 of ${mine.length} ===`) && r.body.messages[0].content.includes(mine[0].completion));
      expect(request, prompt).toBeDefined();
      expect(mine.map((s) => s.scores.rank)).toEqual(mine.map((_, k) => (k + 1) / mine.length));
    }
    // Within each GRPO group, a higher judge score means a higher advantage.
    for (const g of new Set(samples.map((s) => s.group))) {
      const group = samples.filter((s) => s.group === g);
      for (let i = 1; i < group.length; i++) {
        if (group[i].reward > group[i - 1].reward) expect(group[i].advantage).toBeGreaterThan(group[i - 1].advantage);
      }
    }
  });
});
