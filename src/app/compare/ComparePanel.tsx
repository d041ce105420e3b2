// The Compare tab: the session's runs (and a share link's reference run) named and coloured, the ticked
// ones overlaid on the same charts, and the config diff between any two.
import { useMemo } from 'react';
import { useStore } from '../store.ts';
import { useAllRuns, useCurrentRun } from '../store/selectors.ts';
import { RunCharts } from '../charts/RunCharts.tsx';
import { RunLegend } from '../charts/RunLegend.tsx';
import { SmoothingSlider } from '../charts/SmoothingSlider.tsx';
import { RunList } from './RunList.tsx';
import { ConfigDiffView } from './ConfigDiffView.tsx';
import { RunStorageBar } from '../persist/RunStorageBar.tsx';
import './compare.css';

export function ComparePanel() {
  const runs = useAllRuns();
  const current = useCurrentRun();
  const deselected = useStore((s) => s.deselectedRunIds);
  const selected = useMemo(() => runs.filter((r) => !deselected.includes(r.id)), [runs, deselected]);
  const totalSteps = Math.max(0, ...selected.map((r) => r.config.steps));

  if (runs.length === 0) {
    return (
      <>
        <p className="empty">Every run appears here (saved in this browser), to compare: press Train to start one, or import a run file.</p>
        <RunStorageBar />
      </>
    );
  }

  return (
    <div className="compare-panel">
      <RunStorageBar />
      <RunList runs={runs} />
      <div className="charts-toolbar">
        <SmoothingSlider />
        <RunLegend runs={selected} />
      </div>
      {selected.length === 0 ? (
        <p className="empty">Tick runs above to overlay their curves.</p>
      ) : (
        <RunCharts runs={selected} primary={current && selected.includes(current) ? current : null} totalSteps={totalSteps} testIdPrefix="compare-" />
      )}
      <ConfigDiffView runs={runs} />
    </div>
  );
}
