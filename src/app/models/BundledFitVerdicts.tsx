// The fit verdicts for the run's bundled model (public/models/<id>/config.json), so the memory plan shows for every
// model the run can use; a Hub model's are on its card (HubModelCard). A config that cannot be read is one line.
import { useEffect, useState } from 'react';
import type { ConfigEdit } from '../panels/useConfigEdit.ts';
import { bundledModelConfig } from './fit-devices-client.ts';
import { FitVerdicts, type VerdictModelConfig } from './FitVerdicts.tsx';

type State = { id: string; config: VerdictModelConfig } | { id: string; error: string } | null;

export function BundledFitVerdicts({ edit }: { edit: ConfigEdit }) {
  const id = edit.config.model.id;
  const [state, setState] = useState<State>(null);
  useEffect(() => {
    if (id.startsWith('hf:')) return;
    let live = true;
    bundledModelConfig(id).then(
      (config) => live && setState({ id, config }),
      (e: unknown) => live && setState({ id, error: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
  }, [id]);
  if (id.startsWith('hf:')) return <p className="field-help">The memory plan of a Hub model is on its card below.</p>;
  if (!state || state.id !== id) return <p className="empty">Planning the memory of “{id}”…</p>;
  if ('error' in state) return <p className="field-error">The memory plan of “{id}” is unavailable: its config.json could not be read ({state.error}).</p>;
  return (
    <div className="bundled-fit">
      <p className="field-help">Memory plan of “{id}” for this run, per device and mode:</p>
      <FitVerdicts modelConfig={state.config} run={edit.config} edit={edit} />
    </div>
  );
}
