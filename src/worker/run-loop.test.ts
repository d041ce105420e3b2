// The run loop in Node with an injected `post`, a tiny random model and the CPU backend: startPaused, one
// update per `step`, resume to the end, eval.every, stop while paused (with and without the final eval), throttling of a free-running run, the
// judge key reaching the llm_judge criterion and never appearing in an error.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CpuBackend } from '../engine/cpu/backend.ts';
import type { Backend } from '../engine/backend.ts';
import { createTinyModel } from '../engine/io/model-folder.ts';
import { defaultRunConfig, type RunConfig } from '../rl/config/schema.ts';
import type { WorkerToUi } from './protocol.ts';
import { evalDueAfter, redact, RunLoop, type RunLoopDeps } from './run-loop.ts';
import type { Clock } from './ui-throttle.ts';

function tinyConfig(steps: number, every = 0): RunConfig {
  const config = defaultRunConfig();
  config.rubric.criteria = [{ name: 'xml_format', kind: 'xml_format', weight: 1, params: {} }];
  config.grpo.promptsPerStep = 2;
  config.grpo.groupSize = 2;
  config.sampling.maxNewTokens = 4;
  config.task.evalSize = 2;
  config.eval.maxNewTokens = 4;
  config.eval.every = every;
  config.steps = steps;
  return config;
}

const load: RunLoopDeps['load'] = async (_config, _preference, progress) => {
  progress('Preparing the compute backend…');
  return { model: createTinyModel({ seed: 1 }), backend: new CpuBackend() as unknown as Backend, deviceName: 'CPU' };
};

/** Time jumps a second per reading: nothing is ever throttled. */
const unthrottled: Clock = (() => {
  let t = 0;
  return { now: () => (t += 1000), setTimeout: () => 0, clearTimeout: () => {} };
})();

/** Time stands still and timers never fire: only flushes send held messages. */
const frozen: Clock = { now: () => 0, setTimeout: () => 1, clearTimeout: () => {} };

function harness(clock: Clock, deps: Partial<RunLoopDeps> = {}) {
  const sent: WorkerToUi[] = [];
  const loop = new RunLoop({ post: (m) => sent.push(structuredClone(m)), load, clock, ...deps });
  /** Resolves once a message matching `pred` arrives after index `from`; returns its index. */
  const waitFor = async (pred: (m: WorkerToUi) => boolean, from = 0): Promise<number> => {
    for (let i = 0; i < 2000; i++) {
      const k = sent.findIndex((m, j) => j >= from && pred(m));
      if (k >= 0) return k;
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error(`timed out; messages: ${sent.map((m) => m.type).join(' ')}`);
  };
  const types = (from = 0, to = sent.length) => sent.slice(from, to).map((m) => (m.type === 'status' ? `status:${m.state}` : m.type));
  const stepsOf = (type: 'metrics' | 'eval') => sent.flatMap((m) => (m.type === type ? [m.step] : []));
  return { sent, loop, waitFor, types, stepsOf };
}

const isPaused = (m: WorkerToUi) => m.type === 'status' && m.state === 'paused';
const isDone = (m: WorkerToUi) => m.type === 'status' && m.state === 'done';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('RunLoop', () => {
  it('startPaused -> paused after the step-0 eval; step -> one update then paused; resume -> runs to the end', async () => {
    const { sent, loop, waitFor, types, stepsOf } = harness(unthrottled);
    const done = loop.run({ config: tinyConfig(4, 2), backend: 'cpu', startPaused: true });

    const p0 = await waitFor(isPaused);
    expect(sent[p0]).toMatchObject({ message: 'Paused at step 0' });
    expect(stepsOf('eval')).toEqual([0]);
    expect(stepsOf('metrics')).toEqual([]);
    expect(sent[0]).toMatchObject({ type: 'status', state: 'loading' });
    expect(sent.find((m) => m.type === 'status' && m.state === 'ready')).toMatchObject({ backend: 'CPU' });

    loop.step();
    const p1 = await waitFor(isPaused, p0 + 1);
    expect(sent[p1]).toMatchObject({ message: 'Paused at step 1' });
    // At Pause the run checkpoints (issue 13), after the step's messages and before the paused status.
    expect(types(p0 + 1, p1)).toEqual(['status:training', 'metrics', 'sample', 'rollouts', 'checkpoint']);
    const rollouts = sent.find((m) => m.type === 'rollouts');
    expect(rollouts?.type === 'rollouts' && rollouts.rollouts.step).toBe(1);
    expect(rollouts?.type === 'rollouts' && rollouts.rollouts.groups.map((g) => g.completions.length)).toEqual([2, 2]);

    loop.step(); // step 2 is an eval.every step
    const p2 = await waitFor(isPaused, p1 + 1);
    expect(sent[p2]).toMatchObject({ message: 'Paused at step 2' });
    expect(types(p1 + 1, p2).filter((t) => t === 'metrics')).toHaveLength(1);
    expect(stepsOf('eval')).toEqual([0, 2]);

    loop.resume();
    await done;
    expect(sent.at(-1)).toMatchObject({ type: 'status', state: 'done', message: 'Finished 4 steps' });
    expect(stepsOf('metrics')).toEqual([1, 2, 3, 4]);
    expect(stepsOf('eval')).toEqual([0, 2, 4]); // step 4 is the end: evaluated once
    expect(sent.filter(isPaused)).toHaveLength(3);
    // Every step's rollouts come right after its metrics (and sample).
    sent.forEach((m, i) => {
      if (m.type === 'rollouts') expect(sent.slice(0, i).findLast((x) => x.type === 'metrics')).toMatchObject({ step: m.rollouts.step });
    });
  });

  it('step is refused with a message while training freely; stop(false) while paused ends without a final eval', async () => {
    const { sent, loop, waitFor, stepsOf } = harness(unthrottled);
    const done = loop.run({ config: tinyConfig(3), backend: 'cpu' });
    loop.step(); // not paused: nothing queued
    expect(sent.at(-1)).toMatchObject({ type: 'status', message: expect.stringMatching(/while paused/) });
    loop.pause(); // while loading: the run pauses before its first update
    const p0 = await waitFor(isPaused);
    expect(sent[p0]).toMatchObject({ message: 'Paused at step 0' });
    expect(stepsOf('metrics')).toEqual([]);
    loop.step();
    loop.step(); // two requests, two updates
    const p2 = await waitFor((m) => isPaused(m) && m.type === 'status' && m.message === 'Paused at step 2', p0 + 1);
    expect(stepsOf('metrics')).toEqual([1, 2]);
    expect(sent.slice(p0 + 1, p2).filter(isPaused)).toHaveLength(0); // queued steps run back to back
    loop.stop(false); // the person declined the final evaluation
    await done;
    expect(sent.at(-1)).toMatchObject({ type: 'status', state: 'done', message: 'Stopped at step 2' });
    expect(stepsOf('eval')).toEqual([0]);
  });

  it('Stop evaluates the step it stopped at, once, and says how the held-out answers changed since step 0', async () => {
    const { sent, loop, waitFor, stepsOf } = harness(unthrottled);
    // eval.every 1: the step's periodic eval and the final one would be the same step.
    const done = loop.run({ config: tinyConfig(50, 1), backend: 'cpu' });
    await waitFor((m) => m.type === 'metrics' && m.step === 1);
    loop.stop();
    await done;
    const last = sent.at(-1);
    expect(last).toMatchObject({ type: 'status', state: 'done' });
    const stoppedAt = Number((last as { message: string }).message.match(/^Stopped at step (\d+)$/)?.[1]);
    expect(stoppedAt).toBeGreaterThanOrEqual(1);
    expect(stepsOf('eval').at(-1)).toBe(stoppedAt);
    expect(new Set(stepsOf('eval')).size).toBe(stepsOf('eval').length); // never twice for one step
    const finalEval = sent.findLast((m) => m.type === 'eval');
    expect(finalEval).toMatchObject({ heldOut: { fromStep: 0, toStep: stoppedAt, total: 2 } });
    const firstEval = sent.find((m) => m.type === 'eval');
    expect(firstEval && 'heldOut' in firstEval).toBe(false);
  });

  it('a free-running fast run is throttled, and the last step is always sent before the final eval', async () => {
    const { sent, loop, stepsOf } = harness(frozen);
    await loop.run({ config: tinyConfig(6), backend: 'cpu' });
    // Time stands still: step 1 goes out at once, steps 2-5 are replaced by newer ones, step 6 is flushed.
    expect(stepsOf('metrics')).toEqual([1, 6]);
    expect(sent.flatMap((m) => (m.type === 'rollouts' ? [m.rollouts.step] : []))).toEqual([1, 6]);
    expect(stepsOf('eval')).toEqual([0, 6]);
    expect(sent.findIndex((m) => m.type === 'metrics' && m.step === 6)).toBeLessThan(sent.findIndex((m) => m.type === 'eval' && m.step === 6));
    expect(sent.filter(isDone)).toHaveLength(1);
  });

  it('the judge key reaches the llm_judge criterion and is redacted from errors', async () => {
    const key = 'sk-secret-judge-key-42';
    const authorizations: (string | null)[] = [];
    vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
      authorizations.push(new Headers(init.headers).get('authorization'));
      const body = { choices: [{ message: { role: 'assistant', content: 'Score: 5' } }] };
      return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    });
    const config = tinyConfig(1);
    config.rubric.criteria.push({ name: 'judge', kind: 'llm_judge', weight: 1, params: { baseUrl: 'http://judge.test/v1', model: 'j' } });
    const { sent, loop } = harness(unthrottled);
    await loop.run({ config, backend: 'cpu', secrets: { judgeApiKey: key } });
    expect(sent.at(-1)).toMatchObject({ type: 'status', state: 'done' });
    expect(authorizations.length).toBeGreaterThan(0);
    expect(authorizations.every((a) => a === `Bearer ${key}`)).toBe(true);
    const metrics = sent.find((m) => m.type === 'metrics');
    expect(metrics?.type === 'metrics' && metrics.metrics['rewards/judge/mean']).toBeCloseTo(0.5, 9);
    expect(JSON.stringify(sent)).not.toContain(key);

    const failing = harness(unthrottled, { load: async () => Promise.reject(new Error(`bad request with ${key} inside`)) });
    await failing.loop.run({ config, backend: 'cpu', secrets: { judgeApiKey: key } });
    expect(failing.sent.filter((m) => m.type === 'error')).toEqual([{ type: 'error', message: 'bad request with [redacted] inside' }]);
    expect(failing.sent.at(-1)).toMatchObject({ type: 'status', state: 'error' });
    expect(JSON.stringify(failing.sent)).not.toContain(key);
  });

  it('evalDueAfter and redact', () => {
    expect([1, 2, 3, 4, 5, 6].filter((s) => evalDueAfter(s, 6, 2))).toEqual([2, 4]); // 6 is the final eval
    expect([1, 2, 3].filter((s) => evalDueAfter(s, 3, 0))).toEqual([]);
    expect(redact('a KEY b KEY', 'KEY')).toBe('a [redacted] b [redacted]');
    expect(redact('nothing', '')).toBe('nothing');
  });
});
