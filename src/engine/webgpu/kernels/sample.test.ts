// GPU sampling vs sampleToken on the CPU with the same logits and the same counter-based draws: exact for
// greedy and wherever sums are exact (equal logits, which also checks the RNG port and tie order), and the
// same token in all but a bounded fraction of rows for random logits (f32 vs f64 sums near a boundary).
import { describe, expect, it } from 'vitest';
import { hash32, randomUniform, Rng, Stream } from '../../rng.ts';
import { sampleToken, type SamplerOptions } from '../../sampling.ts';
import { randn } from '../../cpu/testing.ts';
import { testBackend } from '../testing.ts';
import { sampleTokens } from './sample.ts';
import { freeAll, gpuFloats, gpuInts } from './test-helpers.ts';

const MAX_MISMATCH_RATE = 0.01;

describe('sampleTokens (WebGPU)', async () => {
  const be = await testBackend();

  /** GPU and CPU tokens for R rows of logits [R, V]. */
  async function both(logits: Float32Array, R: number, opts: SamplerOptions, step: number, seed: number) {
    const V = logits.length / R;
    const seeds = Array.from({ length: R }, (_, r) => hash32(seed ^ hash32(r + 0x51ed)));
    const g = { logits: gpuFloats(be!, logits), seeds: gpuInts(be!, Int32Array.from(seeds)), out: gpuInts(be!, new Int32Array(R).fill(-7)) };
    sampleTokens(be!.ctx, g.out, g.logits, opts, g.seeds, step);
    const gpu = await be!.readInt(g.out);
    freeAll(be!, ...Object.values(g));
    const cpu = Int32Array.from({ length: R }, (_, r) => sampleToken(logits, opts, randomUniform(seeds[r], Stream.sample, step), r * V, V));
    return { gpu, cpu };
  }

  it.skipIf(!be)('equal logits: exact, for every filter (checks the RNG port and the tie order)', async () => {
    const R = 32;
    const V = 40;
    const logits = new Float32Array(R * V).fill(0.25);
    for (const [i, opts] of [
      { temperature: 1, topK: 0, topP: 1 },
      { temperature: 0.5, topK: 7, topP: 1 },
      { temperature: 2, topK: 0, topP: 0.5 },
      { temperature: 1, topK: 30, topP: 0.6 },
    ].entries()) {
      const { gpu, cpu } = await both(logits, R, opts, 1000 + i, 77 + i);
      expect(Array.from(gpu), JSON.stringify(opts)).toEqual(Array.from(cpu));
      expect(new Set(gpu).size).toBeGreaterThan(3); // actually random
    }
  });

  it.skipIf(!be)('greedy: exact argmax with the lowest index on ties', async () => {
    const R = 20;
    const V = 300;
    const rng = new Rng(1, 25);
    const logits = Float32Array.from(randn(rng, R * V, 2));
    logits[3 * V + 17] = 50; // a planted tie: index 17 wins over 250
    logits[3 * V + 250] = 50;
    logits.fill(-1, 5 * V, 6 * V); // a row of ties: index 0
    const { gpu, cpu } = await both(logits, R, { temperature: 0, topK: 5, topP: 0.5 }, 0, 3);
    expect(Array.from(gpu)).toEqual(Array.from(cpu));
    expect(gpu[3]).toBe(17);
    expect(gpu[5]).toBe(0);
  });

  it.skipIf(!be)('random logits: the CPU\'s token in all but <= 1% of rows, over every filter', async () => {
    const configs: SamplerOptions[] = [
      { temperature: 1, topK: 0, topP: 1 },
      { temperature: 0.7, topK: 20, topP: 1 },
      { temperature: 1.3, topK: 0, topP: 0.9 },
      { temperature: 1, topK: 50, topP: 0.8 },
      { temperature: 1, topK: 1, topP: 1 },
    ];
    const R = 64;
    const V = 301;
    let mismatches = 0;
    const report: string[] = [];
    for (const [i, opts] of configs.entries()) {
      const rng = new Rng(10 + i, 25);
      const logits = Float32Array.from(randn(rng, R * V, 2.5));
      const { gpu, cpu } = await both(logits, R, opts, 5 + i, 1234 + i);
      let m = 0;
      for (let r = 0; r < R; r++) {
        expect(gpu[r]).toBeGreaterThanOrEqual(0);
        expect(gpu[r]).toBeLessThan(V);
        if (gpu[r] !== cpu[r]) m++;
      }
      report.push(`${JSON.stringify(opts)}: ${m}/${R}`);
      mismatches += m;
    }
    if (mismatches > 0) console.warn(`sampleTokens rows that differ from the CPU: ${report.join('; ')}`);
    expect(mismatches, report.join('; ')).toBeLessThanOrEqual(MAX_MISMATCH_RATE * R * configs.length);
  });
});
