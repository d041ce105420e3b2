// What the page plans memory with, each asked once per page: the devices it judges a model's fit for
// (worker/fit-devices.ts: the WebGPU adapter's per-buffer limit and the CPU backend's budget; an adapter request is
// not free, and the answer does not change) and a bundled model's config.json (public/models/<id>/config.json).
import { useEffect, useState } from 'react';
import { verdictModelConfig, type VerdictDevice } from '../../rl/plan-verdict.ts';
import { browserFitDevices } from '../../worker/fit-devices.ts';
import type { VerdictModelConfig } from './FitVerdicts.tsx';

let devices: Promise<VerdictDevice[]> | null = null;

export function fitDevices(): Promise<VerdictDevice[]> {
  return (devices ??= browserFitDevices());
}

export function useFitDevices(): VerdictDevice[] | null {
  const [list, setList] = useState<VerdictDevice[] | null>(null);
  useEffect(() => {
    let live = true;
    void fitDevices().then((d) => live && setList(d));
    return () => {
      live = false;
    };
  }, []);
  return list;
}

const bundledConfigs = new Map<string, Promise<VerdictModelConfig>>();

/** A bundled model's parsed config.json; rejects with the reason (and is asked again next time) when unreadable. */
export function bundledModelConfig(id: string): Promise<VerdictModelConfig> {
  let p = bundledConfigs.get(id);
  if (!p) {
    p = fetch(`/models/${encodeURIComponent(id)}/config.json`).then(async (r) => {
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      return verdictModelConfig(await r.json());
    });
    p.catch(() => bundledConfigs.delete(id));
    bundledConfigs.set(id, p);
  }
  return p;
}
