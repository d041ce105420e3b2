import { describe, expect, it } from 'vitest';
import { defaultRunConfig } from '../../rl/config/schema.ts';
import type { UiToWorker, WorkerToUi } from '../../worker/protocol.ts';
import { fixtureRollouts } from '../rollouts/fixture.ts';
import { currentRun, initialRunView, reduceWorkerMessage, renameRun, resetRun, startRun, stepOnce, type Reduction, type RunViewState } from './reduce.ts';

const options = { backend: 'cpu' as const, secrets: { judgeApiKey: 'k' } };

/** Applies reductions like the store does and records the commands sent. */
function harness() {
  let state = initialRunView();
  const sent: UiToWorker[] = [];
  const apply = (r: Reduction) => {
    state = { ...state, ...r.patch };
    sent.push(...r.send);
  };
  return {
    get state(): RunViewState {
      return state;
    },
    sent,
    apply,
    receive: (...messages: WorkerToUi[]) => messages.forEach((m) => apply(reduceWorkerMessage(state, m))),
    reset: () => (state = { ...state, ...resetRun(state) }),
  };
}

const metrics = (step: number, reward: number): WorkerToUi => ({ type: 'metrics', step, metrics: { reward } });

describe('a Train run', () => {
  it('records status, metrics, evals, rollouts and warnings in the current run and its mirror', () => {
    const h = harness();
    const config = defaultRunConfig();
    h.apply(startRun(h.state, config, options));
    expect(h.sent).toEqual([{ type: 'start', config, backend: 'cpu', startPaused: false, secrets: { judgeApiKey: 'k' } }]);
    expect(h.state).toMatchObject({ status: 'loading', currentRunId: 'run-1', step: 0 });

    h.receive(
      { type: 'status', state: 'loading', message: 'Loading…', backend: 'CPU' },
      { type: 'status', state: 'training' },
      { type: 'eval', step: 0, metrics: { 'eval/accuracy': 0.25 } },
      metrics(1, 0.1),
      { type: 'rollouts', rollouts: fixtureRollouts(1) },
      metrics(2, 0.4),
      { type: 'rollouts', rollouts: fixtureRollouts(2) },
      { type: 'warning', step: 2, kind: 'length_inflation', message: 'longer' },
    );
    const run = currentRun(h.state)!;
    expect(run.state).toBe('training');
    expect(run.train.map((p) => p.metrics.reward)).toEqual([0.1, 0.4]);
    expect(run.evals).toHaveLength(1);
    expect(run.rollouts.map((r) => r.step)).toEqual([1, 2]);
    expect(h.state).toMatchObject({ status: 'training', backend: 'CPU', step: 2 });
    expect(h.state.train).toBe(run.train);
    expect(h.state.warnings).toEqual([{ step: 2, kind: 'length_inflation', message: 'longer' }]);

    h.receive({ type: 'status', state: 'done', message: 'Finished 2 steps' });
    expect(currentRun(h.state)!.state).toBe('done');
    expect(h.sent).toHaveLength(1); // nothing else was sent
  });

  it('keeps an error as the run state and message', () => {
    const h = harness();
    h.apply(startRun(h.state, defaultRunConfig(), options));
    h.receive({ type: 'error', message: 'model does not fit' });
    expect(h.state).toMatchObject({ status: 'error', error: 'model does not fit', message: 'model does not fit' });
    expect(currentRun(h.state)!.state).toBe('error');
  });
});

describe('Step', () => {
  it('on a fresh page starts paused, then sends exactly one step when the run pauses', () => {
    const h = harness();
    h.apply(stepOnce(h.state, defaultRunConfig(), options));
    expect(h.sent.map((c) => c.type)).toEqual(['start']);
    expect(h.sent[0]).toMatchObject({ startPaused: true });
    expect(h.state.pendingStep).toBe(true);

    h.receive({ type: 'status', state: 'training', message: 'Evaluating before training…' }, { type: 'eval', step: 0, metrics: { 'eval/accuracy': 0 } });
    expect(h.sent).toHaveLength(1);
    h.receive({ type: 'status', state: 'paused', message: 'Paused at step 0' });
    expect(h.sent.map((c) => c.type)).toEqual(['start', 'step']);
    expect(h.state).toMatchObject({ pendingStep: false, status: 'training' });

    h.receive({ type: 'status', state: 'training' }, metrics(1, 0.5), { type: 'rollouts', rollouts: fixtureRollouts(1) }, { type: 'status', state: 'paused' });
    expect(h.sent.map((c) => c.type)).toEqual(['start', 'step']); // no second step
    expect(h.state).toMatchObject({ status: 'paused', step: 1 });
  });

  it('while paused sends one step per press; does nothing while training', () => {
    const h = harness();
    h.apply(startRun(h.state, defaultRunConfig(), options));
    h.receive({ type: 'status', state: 'training' });
    h.apply(stepOnce(h.state, defaultRunConfig(), options));
    expect(h.sent.map((c) => c.type)).toEqual(['start']);
    h.receive(metrics(1, 0), { type: 'status', state: 'paused' });
    h.apply(stepOnce(h.state, defaultRunConfig(), options));
    expect(h.sent.map((c) => c.type)).toEqual(['start', 'step']);
    expect(h.state.status).toBe('training');
    h.receive(metrics(2, 0), { type: 'status', state: 'paused' });
    expect(h.state).toMatchObject({ status: 'paused', step: 2 });
  });

  it('forgets a pending step when the run ends before pausing', () => {
    const h = harness();
    h.apply(stepOnce(h.state, defaultRunConfig(), options));
    h.receive({ type: 'error', message: 'boom' });
    expect(h.state.pendingStep).toBe(false);
  });
});

describe('Reset and the run history', () => {
  it('returns to step 0 with no current run, keeps the run (marked reset) and numbers the next one', () => {
    const h = harness();
    const config = defaultRunConfig();
    h.apply(startRun(h.state, config, options));
    h.receive({ type: 'status', state: 'training' }, metrics(1, 0.3), { type: 'rollouts', rollouts: fixtureRollouts(1) });
    h.reset();
    expect(h.state).toMatchObject({ status: 'idle', step: 0, currentRunId: null, train: [], warnings: [] });
    expect(h.state.runs.map((r) => [r.id, r.state, r.step])).toEqual([['run-1', 'reset', 1]]);

    const changed = defaultRunConfig();
    changed.grpo.learningRate = 1e-3;
    h.apply(startRun(h.state, changed, options));
    expect(h.state.runs.map((r) => r.id)).toEqual(['run-1', 'run-2']);
    expect(h.state.currentRunId).toBe('run-2');
    expect(h.sent.at(-1)).toMatchObject({ type: 'start', config: changed });
    expect(h.state.runs[0].config.grpo.learningRate).toBe(5e-4);
    h.receive(metrics(1, 0.9));
    expect(h.state.runs[0].train.map((p) => p.metrics.reward)).toEqual([0.3]); // the old run is untouched
  });

  it('keeps a finished run as done when reset', () => {
    const h = harness();
    h.apply(startRun(h.state, defaultRunConfig(), options));
    h.receive({ type: 'status', state: 'done' });
    h.reset();
    expect(h.state.runs[0].state).toBe('done');
  });

  it('renames a run', () => {
    const h = harness();
    h.apply(startRun(h.state, defaultRunConfig(), options));
    h.apply({ patch: renameRun(h.state, 'run-1', 'lr sweep'), send: [] });
    expect(h.state.runs[0].name).toBe('lr sweep');
  });
});

describe('the compute note and held-out changes', () => {
  it('keeps the note on why a device was chosen while later statuses repeat the device, clears it for another', () => {
    const h = harness();
    h.apply(startRun(h.state, defaultRunConfig(), options));
    h.receive(
      { type: 'status', state: 'loading', backend: 'CPU', backendNote: 'No hardware GPU adapter: using the CPU.' },
      { type: 'status', state: 'training', message: 'Evaluating before training…', backend: 'CPU' },
      { type: 'status', state: 'training', backend: 'CPU' },
    );
    expect(h.state.backendNote).toBe('No hardware GPU adapter: using the CPU.');
    h.receive({ type: 'status', state: 'training', backend: 'WebGPU (adapter)' });
    expect(h.state.backendNote).toBeNull();
  });

  it('stores the latest held-out change with the run', () => {
    const h = harness();
    h.apply(startRun(h.state, defaultRunConfig(), options));
    const heldOut = { fromStep: 0, toStep: 5, total: 4, fixed: 1, broken: 0, example: { prompt: '1+9', answer: '10', before: '01', after: '10' } };
    h.receive({ type: 'eval', step: 0, metrics: { 'eval/accuracy': 0.25 } }, { type: 'eval', step: 5, metrics: { 'eval/accuracy': 0.5 }, heldOut });
    expect(currentRun(h.state)?.heldOut).toEqual(heldOut);
    expect(currentRun(h.state)?.evals.map((p) => p.step)).toEqual([0, 5]);
  });
});
