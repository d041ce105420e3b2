// The latest sampled prompt and completion with its reward. Model output is untrusted: rendered as text only.
import { useStore } from '../store.ts';

export function SampleView() {
  const sample = useStore((s) => s.sample);
  if (!sample) return <p className="empty">Completions appear here once training starts.</p>;
  return (
    <div className="sample" data-testid="sample-view">
      <p className="sample-meta">
        Step {sample.step} · reward <strong>{sample.reward.toFixed(3)}</strong>
      </p>
      <h3>Prompt</h3>
      <pre className="text-block">{sample.prompt}</pre>
      <h3>Completion</h3>
      <pre className="text-block completion">{sample.completion}</pre>
    </div>
  );
}
