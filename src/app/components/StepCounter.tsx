// "Step N / M": the latest completed train step out of the run's configured steps.
import { useStore } from '../store.ts';

export function StepCounter() {
  const step = useStore((s) => s.step);
  const total = useStore((s) => s.config.steps);
  return (
    <p className="step-counter" data-testid="step-counter" aria-live="polite">
      Step {step} / {total}
    </p>
  );
}
