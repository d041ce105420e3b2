// The page: run controls and status on the left, the reward chart on the right, the latest sample below.
import { useStore } from './store.ts';
import { TrainControls } from './components/TrainControls.tsx';
import { BackendPicker } from './components/BackendPicker.tsx';
import { HackingWarnings } from './components/HackingWarnings.tsx';
import { StepCounter } from './components/StepCounter.tsx';
import { RewardChart } from './components/RewardChart.tsx';
import { SampleView } from './components/SampleView.tsx';

function formatMetric(value: number | undefined): string {
  return value === undefined ? '–' : value.toFixed(3);
}

function RunSummary() {
  const status = useStore((s) => s.status);
  const message = useStore((s) => s.message);
  const backend = useStore((s) => s.backend);
  const modelId = useStore((s) => s.config.model.id);
  const lastTrain = useStore((s) => s.train.at(-1));
  const lastEval = useStore((s) => s.evals.at(-1));

  return (
    <>
      <p className={`status status-${status}`} role="status" data-state={status}>
        <span className="status-dot" aria-hidden="true" />
        <span className="status-state">{status}</span>
        {message && <span className="status-message">{message}</span>}
      </p>
      <dl className="summary">
        <dt>Model</dt>
        <dd>{modelId}</dd>
        <dt>Backend</dt>
        <dd>{backend ?? '–'}</dd>
        <dt>Reward</dt>
        <dd>{formatMetric(lastTrain?.metrics.reward)}</dd>
        <dt>Eval accuracy</dt>
        <dd>{formatMetric(lastEval?.metrics['eval/accuracy'])}</dd>
      </dl>
    </>
  );
}

function ShareLinkError() {
  const error = useStore((s) => s.shareError);
  if (!error) return null;
  return (
    <p className="share-error" role="alert">
      This share link could not be opened: {error}. The default run is loaded instead.
    </p>
  );
}

export function App() {
  return (
    <div className="app">
      <header className="app-header">
        <h1>GRPO Playground</h1>
        <p className="tagline">Reinforcement learning for a small language model, running in your browser.</p>
      </header>
      <ShareLinkError />
      <main className="layout">
        <section className="panel run-panel" aria-labelledby="run-heading">
          <h2 id="run-heading">Run</h2>
          <TrainControls />
          <BackendPicker />
          <StepCounter />
          <RunSummary />
        </section>
        <section className="panel chart-panel" aria-labelledby="chart-heading">
          <h2 id="chart-heading">Reward</h2>
          <HackingWarnings />
          <RewardChart />
        </section>
        <section className="panel sample-panel" aria-labelledby="sample-heading">
          <h2 id="sample-heading">Latest sample</h2>
          <SampleView />
        </section>
      </main>
    </div>
  );
}
