// The worker's side of exact resume, in Node with the CPU backend: a run loop posts checkpoints every N steps and
// at Stop (after the step's metrics); a fresh run loop started from one of them (start-from-checkpoint) skips the
// step-0 eval and posts the same metrics and evals, bit for bit, as the same run never interrupted.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../engine/cpu/backend.ts';
import type { Backend } from '../engine/backend.ts';
import { join } from 'node:path';
import { loadModelFolder } from '../engine/io/model-folder.ts';
import { nodeDirSource } from '../engine/io/node-source.ts';
import { mergeWithDefaults, type RunConfig } from '../rl/config/schema.ts';
import { getPreset } from '../rl/presets.ts';
import type { WorkerToUi } from './protocol.ts';
import { RunLoop, type RunLoopDeps } from './run-loop.ts';
import type { Clock } from './ui-throttle.ts';

// The bundled pretrained tiny-arith model on its task: rewards differ within groups, so every step really updates
// the weights and AdamW's moments (a resume that dropped any of them would drift; checked by hand by zeroing m).
const loaded = await loadModelFolder(nodeDirSource(join(import.meta.dirname, '..', '..', 'public', 'models', 'tiny-arith')));
function config(): RunConfig {
  const preset = getPreset('arithmetic');
  return mergeWithDefaults({
    ...preset,
    steps: 5,
    grpo: { ...preset.grpo, promptsPerStep: 2, groupSize: 4, beta: 0.04, warmupSteps: 1, lrSchedule: 'cosine' },
    task: { ...preset.task, evalSize: 4 },
    eval: { ...preset.eval, every: 2 },
  });
}

const load: RunLoopDeps['load'] = async () => ({ model: loaded, backend: new CpuBackend({ threads: 1 }) as unknown as Backend, deviceName: 'CPU' });
const unthrottled: Clock = (() => {
  let t = 0;
  return { now: () => (t += 1000), setTimeout: () => 0, clearTimeout: () => {} };
})();
const TIMING = new Set(['step_time', 'tokens_per_s']);
const comparable = (m: WorkerToUi) =>
  m.type === 'metrics' || m.type === 'eval' ? { type: m.type, step: m.step, metrics: Object.fromEntries(Object.entries(m.metrics).filter(([k]) => !TIMING.has(k))) } : null;

function loop(every: number) {
  const sent: WorkerToUi[] = [];
  const run = new RunLoop({ post: (m) => sent.push(m), load, clock: unthrottled });
  run.setCheckpointEvery(every);
  return { sent, run };
}

describe('checkpoints from the run loop and exact resume', () => {
  it('checkpoints every 2 steps and at the end; resumed at step 2 the run posts the same metrics and evals', async () => {
    const straight = loop(2);
    await straight.run.run({ config: config(), backend: 'cpu' });
    const checkpoints = straight.sent.flatMap((m) => (m.type === 'checkpoint' ? [m] : []));
    expect(checkpoints.map((c) => [c.step, c.reason])).toEqual([
      [2, 'every'],
      [4, 'every'],
      [5, 'done'],
    ]);
    // The step's metrics come before its checkpoint (so a page that saves both never has a checkpoint ahead of them).
    const at2 = straight.sent.findIndex((m) => m.type === 'checkpoint' && m.step === 2);
    expect(straight.sent.findIndex((m) => m.type === 'metrics' && m.step === 2)).toBeLessThan(at2);

    const resumed = loop(2);
    await resumed.run.run({ config: config(), backend: 'cpu', resume: checkpoints[0].checkpoint });
    expect(resumed.sent.some((m) => m.type === 'error')).toBe(false);
    const expected = straight.sent.map(comparable).filter((m) => m && m.step > 2);
    const got = resumed.sent.map(comparable).filter((m) => m !== null);
    expect(got.length).toBeGreaterThanOrEqual(4); // metrics 3, 4, 5 and evals 4, 5
    expect(got).toEqual(expected);
  });

  it('Stop checkpoints the step reached; a corrupt checkpoint is one clear error', async () => {
    const a = loop(0);
    const running = a.run.run({ config: config(), backend: 'cpu' });
    for (let i = 0; i < 4000 && !a.sent.some((m) => m.type === 'metrics'); i++) await new Promise((r) => setTimeout(r, 5));
    a.run.stop();
    await running;
    const stops = a.sent.filter((m) => m.type === 'checkpoint');
    expect(stops).toHaveLength(1);
    const stop = stops[0] as Extract<WorkerToUi, { type: 'checkpoint' }>;
    expect(stop.reason).toBe('stop');
    expect(stop.step).toBe(Math.max(...a.sent.flatMap((m) => (m.type === 'metrics' ? [m.step] : []))));

    const bad = loop(0);
    await bad.run.run({ config: config(), backend: 'cpu', resume: { json: '{"format":"nope"}', tensors: new Uint8Array(8) } });
    const error = bad.sent.find((m) => m.type === 'error');
    expect(error?.type === 'error' && error.message).toMatch(/not a GRPO Playground checkpoint/);
  });
});
