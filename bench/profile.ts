// Where our CPU backend spends its time: a Proxy around a Backend that adds up wall time per kernel name.
// The CPU kernels are synchronous, so timing the call times the work.
import { performance } from 'node:perf_hooks';
import type { Backend } from '../src/engine/backend.ts';

type CpuLike = Backend<Float32Array, Int32Array>;

export interface KernelProfile {
  backend: CpuLike;
  /** Kernel name -> total ms since the last reset. */
  totals: Map<string, number>;
  reset(): void;
}

const NOT_KERNELS = new Set(['name', 'deviceName', 'view', 'viewInt', 'allocFloat', 'allocInt', 'free', 'sync']);

export function profiled(inner: CpuLike): KernelProfile {
  const totals = new Map<string, number>();
  const backend = new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof prop !== 'string' || typeof value !== 'function' || NOT_KERNELS.has(prop)) return value;
      return (...args: unknown[]) => {
        const t0 = performance.now();
        const r = (value as (...a: unknown[]) => unknown).apply(target, args);
        totals.set(prop, (totals.get(prop) ?? 0) + performance.now() - t0);
        return r;
      };
    },
  });
  return { backend, totals, reset: () => totals.clear() };
}

/** The k most expensive kernels with their share of the summed kernel time. */
export function topShares(totals: Map<string, number>, k: number): { kernel: string; ms: number; share: number }[] {
  const sum = [...totals.values()].reduce((a, b) => a + b, 0);
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, k)
    .map(([kernel, ms]) => ({ kernel, ms, share: sum > 0 ? ms / sum : 0 }));
}
