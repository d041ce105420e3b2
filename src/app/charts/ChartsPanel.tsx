// The Charts tab: the current run's live curves (and the share link's reference run, dashed), with the
// smoothing slider and a toggle that overlays the other runs selected in Compare.
import { useId, useMemo } from 'react';
import { useStore } from '../store.ts';
import { useAllRuns, useCurrentRun } from '../store/selectors.ts';
import { chartRuns } from './chart-runs.ts';
import { RunCharts } from './RunCharts.tsx';
import { RunLegend } from './RunLegend.tsx';
import { SmoothingSlider } from './SmoothingSlider.tsx';
import { ChartImageExport } from '../export/ChartImageExport.tsx';

export function ChartsPanel() {
  const all = useAllRuns();
  const current = useCurrentRun();
  const showOthers = useStore((s) => s.showOtherRuns);
  const setShowOthers = useStore((s) => s.setShowOtherRuns);
  const deselected = useStore((s) => s.deselectedRunIds);
  const totalSteps = useStore((s) => current?.config.steps ?? s.config.steps);
  const runs = useMemo(() => chartRuns(all, current, showOthers, deselected), [all, current, showOthers, deselected]);
  const otherCount = all.filter((r) => !r.reference && r !== current).length;
  const toggleId = useId();

  return (
    <div className="charts-panel">
      <div className="charts-toolbar">
        <SmoothingSlider />
        <div className="toggle">
          <input
            id={toggleId}
            type="checkbox"
            checked={showOthers}
            disabled={otherCount === 0}
            onChange={(e) => setShowOthers(e.target.checked)}
          />
          <label htmlFor={toggleId} title="Overlay the other runs of this session that are ticked in Compare">
            Show other runs{otherCount > 0 ? ` (${otherCount})` : ''}
          </label>
        </div>
        <RunLegend runs={runs} />
        <ChartImageExport />
      </div>
      <RunCharts runs={runs} primary={current} totalSteps={totalSteps} emptyText={current ? 'Waiting for the first step…' : 'Press Train to start a run.'} />
    </div>
  );
}
