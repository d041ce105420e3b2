// The run config's `lora` block in the Model panel: on/off (off = full fine-tuning), rank, alpha, the projections that
// get adapters and how WebGPU holds the frozen base. Each edit is validated by the run-config schema and refused next to
// its field; the memory verdict below (models/FitVerdicts) follows every committed change.
import { useState } from 'react';
import { LORA_TARGET_NAMES, type RunConfig } from '../../rl/config/schema.ts';
import { UNSET, validateConfig, withValue } from './config-edit.ts';
import { CheckboxField, NumberField, SelectField } from './fields.tsx';
import { fieldInfo, rangeText } from './schema-fields.ts';
import type { ConfigEdit } from './useConfigEdit.ts';

type Lora = NonNullable<RunConfig['lora']>;

/** The schema's defaults for a lora block (what `lora: {}` becomes). */
function loraDefaults(config: RunConfig): Lora {
  const r = validateConfig(withValue(config, ['lora'], {}));
  if (!r.ok || !r.config.lora) throw new Error(`the schema refuses an empty lora block: ${r.ok ? 'none' : r.error}`);
  return r.config.lora;
}

const TARGET_LABELS: Record<(typeof LORA_TARGET_NAMES)[number], string> = {
  q: 'q_proj', k: 'k_proj', v: 'v_proj', o: 'o_proj', gate: 'gate_proj', up: 'up_proj', down: 'down_proj',
};

function Targets({ lora, edit }: { lora: Lora; edit: ConfigEdit }) {
  const [error, setError] = useState<string | null>(null);
  const toggle = (t: (typeof LORA_TARGET_NAMES)[number], on: boolean) => {
    // keep the canonical order, so the config (and a share link) does not depend on the click order
    const next = LORA_TARGET_NAMES.filter((x) => (x === t ? on : lora.targets.includes(x)));
    setError(next.length === 0 ? 'choose at least one projection' : edit.commit(['lora', 'targets'], next));
  };
  return (
    <fieldset className="lora-targets" data-field="lora-targets" data-committed={lora.targets.join(',')}>
      <legend>Adapted projections</legend>
      {LORA_TARGET_NAMES.map((t) => (
        <label key={t} className="lora-target">
          <input type="checkbox" checked={lora.targets.includes(t)} disabled={edit.locked} onChange={(e) => toggle(t, e.target.checked)} />
          {TARGET_LABELS[t]}
        </label>
      ))}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <p className="field-help">{fieldInfo(['lora', 'targets']).description}</p>
    </fieldset>
  );
}

export function LoraSettings({ edit }: { edit: ConfigEdit }) {
  const lora = edit.config.lora;
  const defaults = loraDefaults(edit.config);
  const info = (key: keyof Lora) => fieldInfo(['lora', key]);
  const common = (key: keyof Lora, label: string) => ({ id: `lora-${key}`, label, help: info(key).description, disabled: edit.locked });
  return (
    <div className="lora-settings" data-testid="lora-settings" data-lora={lora ? 'on' : 'off'}>
      <CheckboxField
        id="lora-on"
        label="Train LoRA adapters (base frozen)"
        help="Off: full fine-tuning, every weight trained. On: low-rank adapters on a frozen base, a fraction of the memory (learning rate about 10x the full one, LoRA Without Regret)."
        value={lora !== undefined}
        disabled={edit.locked}
        onCommit={(on) => edit.commit(['lora'], on ? {} : UNSET)}
      />
      {lora && (
        <>
          <NumberField {...common('rank', 'Rank r')} value={lora.rank} defaultValue={defaults.rank} integer range={rangeText(info('rank'))} onCommit={(v) => edit.commit(['lora', 'rank'], v)} />
          <NumberField {...common('alpha', 'Alpha')} value={lora.alpha} defaultValue={defaults.alpha} range={rangeText(info('alpha'))} onCommit={(v) => edit.commit(['lora', 'alpha'], v)} />
          <Targets lora={lora} edit={edit} />
          <SelectField
            {...common('baseDtype', 'Frozen base on WebGPU')}
            value={lora.baseDtype}
            defaultValue={defaults.baseDtype}
            options={info('baseDtype').options ?? []}
            onCommit={(v) => edit.commit(['lora', 'baseDtype'], v)}
          />
        </>
      )}
    </div>
  );
}
