// Resuming a saved run, as a pure reduction like those of store/reduce.ts: the run (already cut back to its
// checkpoint's step) becomes current again and its worker gets `start-from-checkpoint`.
import type { CheckpointFiles } from '../../worker/protocol.ts';
import type { Reduction, RunViewState, StartOptions } from '../store/reduce.ts';

export function resumeRunReduction(state: RunViewState, id: string, checkpoint: CheckpointFiles, options: StartOptions): Reduction {
  const run = state.runs.find((r) => r.id === id);
  if (!run) return { patch: {}, send: [] };
  const resumed = { ...run, state: 'loading' as const };
  return {
    patch: {
      runs: state.runs.map((r) => (r.id === id ? resumed : r)),
      currentRunId: id,
      step: resumed.step,
      train: resumed.train,
      evals: resumed.evals,
      warnings: resumed.warnings,
      status: 'loading',
      message: `Resuming from step ${resumed.step}…`,
      error: null,
      backend: null,
      backendNote: null,
      sample: null,
      pendingStep: false,
    },
    send: [{ type: 'start-from-checkpoint', config: resumed.config, backend: options.backend, checkpoint, secrets: options.secrets }],
  };
}
