// custom_code: a user JavaScript function (prompt, completion, answer, messages, state) => number, run in
// the QuickJS WebAssembly sandbox (sandbox.ts): no network, DOM, storage or host functions; a fresh context per
// completion; a time limit, a memory limit and a stack limit per call. Written either as a function body
// ("return completion.includes(answer) ? 1 : 0") or as a function ("(p, c, a) => c.length / 100").
// `messages` is the conversation (for single-turn: the prompt and the completion), `state` the rollout's
// environment state (or the task row's info). A throw, a limit or a non-number return is an error (counted).

import { checkCustomCode, DEFAULT_SANDBOX_LIMITS, runCustomCode, type CodeCall, type SandboxLimits } from '../sandbox.ts';
import { RubricError, type Criterion, type CriterionKind, type CriterionParams, type ScoreContext } from '../types.ts';

function toCall(ctx: ScoreContext): CodeCall {
  return {
    prompt: ctx.prompt,
    completion: ctx.completion,
    answer: ctx.answer,
    messages: ctx.messages ?? [
      { role: 'user', content: ctx.prompt },
      { role: 'assistant', content: ctx.completion },
    ],
    state: ctx.state ?? ctx.info ?? {},
  };
}

export const customCode: CriterionKind = {
  kind: 'custom_code',
  description: 'Your JavaScript (prompt, completion, answer, messages, state) => number, sandboxed in QuickJS with time and memory limits.',
  params: {
    code: {
      type: 'string',
      default: 'return completion.includes(answer) ? 1 : 0',
      maxLength: 10_000,
      description: 'A function body using prompt, completion, answer, messages, state; or a function expression.',
    },
    timeLimitMs: { type: 'number', default: DEFAULT_SANDBOX_LIMITS.timeLimitMs, min: 1, max: 1000, description: 'Time limit per completion in milliseconds.' },
    memoryLimitMb: { type: 'number', default: 16, min: 1, max: 256, description: 'Heap limit of the sandbox in MB.' },
  },
  validate(params) {
    if (String(params.code).trim() === '') throw new Error("param 'code' must not be empty");
  },
  create(params: CriterionParams): Criterion {
    const code = String(params.code);
    const limits: SandboxLimits = {
      ...DEFAULT_SANDBOX_LIMITS,
      timeLimitMs: Number(params.timeLimitMs),
      memoryLimitBytes: Number(params.memoryLimitMb) * 1024 * 1024,
    };
    const scoreBatch = async (ctxs: readonly ScoreContext[]) =>
      (await runCustomCode(code, ctxs.map(toCall), limits)).map((r) => (r instanceof Error ? new Error(`custom code ${r.message}`) : r));
    const score = async (ctx: ScoreContext) => {
      const [r] = await scoreBatch([ctx]);
      if (r instanceof Error) throw r;
      return r;
    };
    const prepare = async () => {
      const problem = await checkCustomCode(code, limits);
      if (problem !== null) throw new RubricError(`custom code ${problem}`);
    };
    return Object.assign(score, { scoreBatch, prepare });
  },
};
