// The state behind a guarded Train: the estimate of the current config (time from a measured rate, memory from
// the exact plan of the model's config.json on the device that would train), the custom code check, and the rate
// recorder that keeps each run's measured tokens/s for the next estimate.
import { useEffect, useMemo, useState } from 'react';
import type { RunConfig } from '../../rl/config/schema.ts';
import { planVerdict, type VerdictDevice } from '../../rl/plan-verdict.ts';
import { bundledModelConfig, fitDevices } from '../models/fit-devices-client.ts';
import type { BackendPreference } from '../../worker/protocol.ts';
import { useStore } from '../store.ts';
import { currentRun } from '../store/reduce.ts';
import { checkRubricCode, type CodeProblem } from './code-check.ts';
import { estimateRun, loadThroughputs, pickRate, saveThroughput, throughputOfRun, type MemoryEstimate, type RunEstimate } from './start-guard.ts';

type ModelConfig = Parameters<typeof planVerdict>[0];

/** Parameter counts of the models planned so far (the recorder stores them with a rate, to scale it later). */
const knownParams = new Map<string, number>();

/** A bundled model's config.json (null when it cannot be read, or for a Hub model: its plan is on its card). */
function modelConfigOf(id: string): Promise<ModelConfig | null> {
  return id.startsWith('hf:') ? Promise.resolve(null) : bundledModelConfig(id).catch(() => null);
}

/** The device a run would train on: what the Compute picker asks for, Auto taking a hardware GPU when there is one. */
function trainingDevice(list: VerdictDevice[], preference: BackendPreference): VerdictDevice {
  const cpu = list.find((d) => d.kind === 'cpu')!;
  const gpu = list.find((d) => d.kind === 'webgpu');
  if (preference === 'webgpu') return gpu ?? cpu;
  if (preference === 'auto' && gpu && !/software/.test(gpu.name)) return gpu;
  return cpu;
}

export interface StartGuardState {
  /** Null while planning, or when no rate applies (a Hub model never run here): `planned` tells which. */
  estimate: RunEstimate | null;
  planned: boolean;
  memory: MemoryEstimate | null;
  /** Where the estimate is unavailable, why (a Hub model's plan lives on its card). */
  memoryNote: string | null;
  problems: CodeProblem[];
  /** The code check of the current rubric has not answered yet. */
  checking: boolean;
  /** Resolves with the problems of `config`'s code (now, if already checked). */
  checkNow: () => Promise<CodeProblem[]>;
}

/** What the code check depends on: each custom_code criterion's place, name and code ('[]' when there is none). */
const codeKey = (config: RunConfig) =>
  JSON.stringify(config.rubric.criteria.flatMap((c, i) => (c.kind === 'custom_code' ? [[i, c.name, c.params.code]] : [])));

export function useStartGuard(config: RunConfig, preference: BackendPreference, ratesVersion: number): StartGuardState {
  const [planned, setPlanned] = useState<{ key: string; memory: MemoryEstimate | null; params: number | null; kind: 'cpu' | 'webgpu'; note: string | null } | null>(null);
  const planKey = JSON.stringify([config, preference]);
  useEffect(() => {
    let live = true;
    void Promise.all([fitDevices(), modelConfigOf(config.model.id)]).then(([list, modelConfig]) => {
      if (!live) return;
      const device = trainingDevice(list, preference);
      if (!modelConfig) {
        setPlanned({ key: planKey, memory: null, params: null, kind: device.kind, note: config.model.id.startsWith('hf:') ? "memory: see the model's card in the Model panel" : null });
        return;
      }
      const verdict = planVerdict(modelConfig, config, device);
      knownParams.set(config.model.id, verdict.params);
      const mode = config.lora ? verdict.lora : verdict.full;
      setPlanned({ key: planKey, memory: { bytes: mode.plan.totalBytes, fits: mode.fits, reason: mode.reason, device: device.name }, params: verdict.params, kind: device.kind, note: null });
    });
    return () => {
      live = false;
    };
    // planKey stands for config and preference
  }, [planKey]);

  const estimate = useMemo(() => {
    if (!planned) return null;
    void ratesVersion; // a new measured rate changes the estimate
    const rate = pickRate(loadThroughputs(), config.model.id, planned.kind, planned.params);
    return rate ? estimateRun(config, rate) : null;
  }, [planned, config, ratesVersion]);

  // The code check: debounced while typing; Train awaits the pending one.
  const key = codeKey(config);
  const [checked, setChecked] = useState<{ key: string; problems: CodeProblem[] } | null>(null);
  const check = useMemo(() => {
    const cfg = JSON.parse(JSON.stringify(config)) as RunConfig;
    let result: Promise<CodeProblem[]> | null = null;
    return () => (result ??= key === '[]' ? Promise.resolve([]) : checkRubricCode(cfg));
    // the check depends on what codeKey names
  }, [key]);
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => void check().then((problems) => live && setChecked({ key, problems })), key === '[]' ? 0 : 300);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [check, key]);

  return {
    estimate,
    planned: planned?.key === planKey,
    memory: planned?.key === planKey ? planned.memory : null,
    memoryNote: planned?.note ?? null,
    problems: checked?.key === key ? checked.problems : [],
    checking: checked?.key !== key,
    checkNow: check,
  };
}

/**
 * Keeps the current run's measured rate (every 5 steps and when it pauses or ends) for later estimates; calls
 * `onSaved` after each save. Subscribes to the store outside React, so it costs the page no renders.
 */
export function useThroughputRecorder(onSaved: () => void): void {
  useEffect(() => {
    let lastKey = '';
    return useStore.subscribe((s) => {
      const run = currentRun(s);
      if (!run || run.reference || !s.backend || run.train.length === 0) return;
      const settled = s.status !== 'training';
      if (!settled && run.step % 5 !== 0) return;
      const saveKey = `${run.id}:${run.step}:${settled}`;
      if (saveKey === lastKey) return;
      lastKey = saveKey;
      const t = throughputOfRun(run.config, run.train, s.backend, knownParams.get(run.config.model.id) ?? null);
      if (t) {
        saveThroughput(t);
        onSaved();
      }
    });
  }, [onSaved]);
}
