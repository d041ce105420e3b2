// Train / Pause / Resume / Stop. Which buttons are enabled follows the run status in the store.
import { useStore } from '../store.ts';

export function TrainControls() {
  const status = useStore((s) => s.status);
  const start = useStore((s) => s.start);
  const pause = useStore((s) => s.pause);
  const resume = useStore((s) => s.resume);
  const stop = useStore((s) => s.stop);

  const running = status === 'loading' || status === 'ready' || status === 'training' || status === 'paused';

  return (
    <div className="controls" role="toolbar" aria-label="Training controls">
      <button type="button" className="primary" onClick={start} disabled={running} title="Start a new training run">
        <span aria-hidden="true">▶</span> Train
      </button>
      {status === 'paused' ? (
        <button type="button" onClick={resume} title="Continue training">
          <span aria-hidden="true">▶</span> Resume
        </button>
      ) : (
        <button type="button" onClick={pause} disabled={status !== 'training'} title="Pause after the current step">
          <span aria-hidden="true">❚❚</span> Pause
        </button>
      )}
      <button type="button" onClick={stop} disabled={!running} title="Stop after the current step">
        <span aria-hidden="true">■</span> Stop
      </button>
    </div>
  );
}
