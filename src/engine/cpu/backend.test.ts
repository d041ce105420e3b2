import { describe, expect, it } from 'vitest';
import type { Backend } from '../backend.ts';
import { CpuBackend } from './backend.ts';

describe('CpuBackend', () => {
  const cpu = new CpuBackend();
  const be: Backend<Float32Array, Int32Array> = cpu;

  it('names itself, with its thread count (by default min(cores, 8) in Node)', async () => {
    expect(be.name).toBe('cpu');
    await cpu.ready;
    expect(be.deviceName).toMatch(/^CPU \(JavaScript \+ WebAssembly SIMD, (\d+ threads|1 thread: 1 core)\)$/);
    expect(new CpuBackend({ threads: 1 }).deviceName).toBe('CPU (JavaScript + WebAssembly SIMD, 1 thread)');
  });

  it('views share storage; reads are copies; bad views throw', async () => {
    const t = be.allocFloat(8);
    const v = be.view(t, 2, 3);
    be.uploadFloat(v, new Float32Array([1, 2, 3]));
    expect(Array.from(t)).toEqual([0, 0, 1, 2, 3, 0, 0, 0]);
    const copy = await be.readFloat(v);
    copy[0] = 99;
    expect(t[2]).toBe(1);
    expect(() => be.view(t, 6, 3)).toThrow(/outside/);
    const ti = be.allocInt(4);
    be.uploadInt(be.viewInt(ti, 1, 2), new Int32Array([5, 6]));
    expect(Array.from(await be.readInt(ti))).toEqual([0, 5, 6, 0]);
    expect(() => be.viewInt(ti, -1, 2)).toThrow(/outside/);
    await be.sync();
  });

  it('runs a layer through the interface and reports sumSquares', async () => {
    const out = be.allocFloat(4);
    const inp = new Float32Array([1, 2]); // N=2, C=1
    const w = new Float32Array([3, -1]); // OC=2
    be.matmulForward(out, inp, w, null, 2, 1, 2);
    expect(Array.from(out)).toEqual([3, -1, 6, -2]);
    expect(await be.sumSquares(out)).toBe(9 + 1 + 36 + 4);
    be.scale(out, 2);
    expect(Array.from(out)).toEqual([6, -2, 12, -4]);
  });
});
