// Above the run list: where runs are kept and how much storage they use, the checkpoint cadence, and Import.
import { usePersist } from './persist-store.ts';
import { formatBytes } from './format-bytes.ts';
import { ImportRunButton } from '../export/ImportRunButton.tsx';

export function RunStorageBar() {
  const usage = usePersist((s) => s.usage);
  const restored = usePersist((s) => s.restored);
  const every = usePersist((s) => s.checkpointEvery);
  const setEvery = usePersist((s) => s.setCheckpointEvery);

  return (
    <div className="run-storage-bar">
      <p data-testid="storage-used">
        {!restored
          ? 'Loading saved runs…'
          : usage
            ? `Runs are saved in this browser: ${formatBytes(usage.usage)} used of ${formatBytes(usage.quota)} available.`
            : 'Runs are saved in this browser.'}
      </p>
      <label>
        Checkpoint every{' '}
        <input
          type="number"
          min={0}
          step={1}
          value={every}
          onChange={(e) => setEvery(Number(e.target.value))}
          aria-label="Checkpoint every N steps (0: only at Pause, Stop and the end)"
        />{' '}
        steps
      </label>
      <ImportRunButton />
    </div>
  );
}
