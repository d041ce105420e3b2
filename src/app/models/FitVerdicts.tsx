// Whether the run fits each device, per mode (full fine-tuning / LoRA), from the exact memory plan (rl/plan-verdict.ts)
// of the model's config.json and the current run config, so it follows every edit (LoRA rank, group size, ...).
// The mode the run uses is marked; when it does not fit, the advice is shown and can be applied in one click.
import { useMemo } from 'react';
import type { RunConfig } from '../../rl/config/schema.ts';
import { DEFAULT_LORA, planVerdict, type ModeVerdict, type VerdictDevice } from '../../rl/plan-verdict.ts';
import type { ConfigEdit } from '../panels/useConfigEdit.ts';
import { useFitDevices } from './fit-devices-client.ts';

export type VerdictModelConfig = Parameters<typeof planVerdict>[0];

function loraLabel(run: RunConfig, device: VerdictDevice): string {
  const o = run.lora ?? DEFAULT_LORA;
  const all = o.targets.length === 7 ? 'all projections' : o.targets.join(', ');
  const base = device.kind === 'webgpu' ? `${o.baseDtype} base` : 'f32 base';
  return `LoRA (rank ${o.rank}, ${all}, ${base}${run.lora ? '' : ', the defaults'})`;
}

interface LineProps {
  label: string;
  verdict: ModeVerdict;
  current: boolean;
  edit?: ConfigEdit;
  run: RunConfig;
}

function ModeLine({ label, verdict, current, edit, run }: LineProps) {
  const apply = current && !verdict.fits && edit && !edit.locked ? edit : null;
  const useLora = apply && verdict.mode === 'full' && verdict.advice.some((a) => a.startsWith('train with LoRA'));
  const smaller = apply ? verdict.fitsWith : undefined;
  // A LoRA verdict's smaller run keeps the LoRA settings the verdict was computed with.
  const lora = run.lora ?? { ...DEFAULT_LORA, targets: [...DEFAULT_LORA.targets], dropout: 0 as const };
  return (
    <span className="fit-line" data-mode={verdict.mode} data-fits={verdict.fits} data-current={current}>
      {label}
      {current && <em> (this run)</em>}: {verdict.fits ? 'fits' : 'does not fit'} ({verdict.reason})
      {verdict.advice.length > 0 && <>; advice: {verdict.advice.join('; ')}</>}.
      {useLora && (
        <button type="button" className="fit-apply" onClick={() => apply.commit(['lora'], {})}>
          Use LoRA
        </button>
      )}
      {smaller && (
        <button type="button" className="fit-apply" onClick={() => apply?.replace(verdict.mode === 'lora' ? { ...smaller, lora } : smaller)}>
          Apply the smaller run
        </button>
      )}
    </span>
  );
}

export function FitVerdicts({ modelConfig, run, edit, testId = 'fit-verdicts' }: { modelConfig: VerdictModelConfig; run: RunConfig; edit?: ConfigEdit; testId?: string }) {
  const devices = useFitDevices();
  const verdicts = useMemo(() => (devices ?? []).map((d) => ({ device: d, verdict: planVerdict(modelConfig, run, d) })), [devices, modelConfig, run]);
  if (!devices) return <p className="empty">Checking this browser's devices…</p>;
  return (
    <ul className="hub-fit" data-testid={testId}>
      {verdicts.map(({ device, verdict }) => (
        <li key={device.name} data-device={device.kind}>
          <strong>{device.name}</strong>:{' '}
          <ModeLine label="full fine-tuning" verdict={verdict.full} current={!run.lora} edit={edit} run={run} />{' '}
          <ModeLine label={loraLabel(run, device)} verdict={verdict.lora} current={!!run.lora} edit={edit} run={run} />
        </li>
      ))}
    </ul>
  );
}
