// The devices the page judges a model's fit for (worker/fit-devices.ts: the WebGPU adapter's per-buffer limit and the
// CPU backend's budget), asked once per page: an adapter request is not free, and the answer does not change.
import { useEffect, useState } from 'react';
import type { VerdictDevice } from '../../rl/plan-verdict.ts';
import { browserFitDevices } from '../../worker/fit-devices.ts';

let devices: Promise<VerdictDevice[]> | null = null;

export function useFitDevices(): VerdictDevice[] | null {
  const [list, setList] = useState<VerdictDevice[] | null>(null);
  useEffect(() => {
    let live = true;
    devices ??= browserFitDevices();
    void devices.then((d) => live && setList(d));
    return () => {
      live = false;
    };
  }, []);
  return list;
}
