// "Step N / M": the current run's latest completed train step out of its configured steps (before any
// run, and after Reset, out of the steps in the panels' config).
import { useStore } from '../store.ts';
import { currentRun } from '../store/reduce.ts';

export function StepCounter() {
  const step = useStore((s) => s.step);
  const total = useStore((s) => currentRun(s)?.config.steps ?? s.config.steps);
  return (
    <p className="step-counter" data-testid="step-counter" aria-live="polite" aria-atomic="true">
      Step {step} / {total}
    </p>
  );
}
