// Timing helpers: run a function a few times after warm-up and summarise with the median (robust to the
// odd garbage-collection pause on a small shared machine).
import { performance } from 'node:perf_hooks';

export interface Timing {
  medianMs: number;
  runsMs: number[];
}

export function median(xs: number[]): number {
  if (xs.length === 0) throw new Error('median of an empty list');
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Time `fn` `runs` times after `warmup` untimed calls. */
export async function timeRuns(fn: () => Promise<unknown> | unknown, warmup: number, runs: number): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await fn();
  const runsMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    runsMs.push(performance.now() - t0);
  }
  return { medianMs: median(runsMs), runsMs };
}

/**
 * Time two functions alternately, a then b in each of `runs` rounds after `warmup` untimed rounds, so that load
 * from other processes on a shared machine falls on both alike.
 */
export async function timeAlternating(
  a: () => Promise<unknown> | unknown,
  b: () => Promise<unknown> | unknown,
  warmup: number,
  runs: number,
): Promise<[Timing, Timing]> {
  for (let i = 0; i < warmup; i++) {
    await a();
    await b();
  }
  const ra: number[] = [];
  const rb: number[] = [];
  for (let i = 0; i < runs; i++) {
    for (const [fn, out] of [[a, ra], [b, rb]] as const) {
      const t0 = performance.now();
      await fn();
      out.push(performance.now() - t0);
    }
  }
  return [
    { medianMs: median(ra), runsMs: ra },
    { medianMs: median(rb), runsMs: rb },
  ];
}
