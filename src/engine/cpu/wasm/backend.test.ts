// The CPU backend with its wasm kernels on (the default) against the plain TypeScript kernels: the option and
// GRPO_CPU_KERNELS pick them; a whole model's f32 gradients with wasm are as close to the f64 reference (itself
// checked against finite differences in threads.test.ts and model.test.ts) as the TypeScript kernels' f32
// gradients are; and the TypeScript kernels still split across threads bit for bit.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createTinyModel } from '../../io/model-folder.ts';
import { Model } from '../../model.ts';
import { CpuBackend } from '../backend.ts';
import { Rng } from '../testing.ts';

/** max |a - ref| / max |ref| */
function normwise(a: ArrayLike<number>, ref: ArrayLike<number>): number {
  let d = 0;
  let m = 0;
  for (let i = 0; i < ref.length; i++) {
    d = Math.max(d, Math.abs(a[i] - ref[i]));
    m = Math.max(m, Math.abs(ref[i]));
  }
  return d / m;
}

describe('CpuBackend kernels option', () => {
  it("defaults to wasm, takes 'js', refuses anything else", () => {
    expect(new CpuBackend({ threads: 1 }).kernels).toBe('wasm');
    expect(new CpuBackend({ threads: 1, kernels: 'js' }).kernels).toBe('js');
    expect(new CpuBackend({ threads: 1, kernels: 'js' }).deviceName).toBe('CPU (JavaScript, 1 thread)');
    expect(new CpuBackend({ threads: 1, precision: 'f64' }).kernels).toBe('js');
    expect(() => new CpuBackend({ kernels: 'simd' as 'js' })).toThrow(/kernels must be 'wasm' or 'js'/);
  });

  it('reads GRPO_CPU_KERNELS in Node', () => {
    const backend = fileURLToPath(new URL('../backend.ts', import.meta.url));
    const script = `import { CpuBackend } from ${JSON.stringify(backend)};
      try { console.log(new CpuBackend({ threads: 1 }).kernels); } catch (e) { console.log(e.message); }`;
    const run = (v: string) =>
      execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, GRPO_CPU_KERNELS: v } }).trim();
    expect(run('js')).toBe('js');
    expect(run('wasm')).toBe('wasm');
    expect(run('fast')).toBe("GRPO_CPU_KERNELS must be 'wasm' or 'js', got 'fast'");
  }, 60_000);

  it('whole-model f32 gradients with wasm are as close to the f64 reference as with the TypeScript kernels', async () => {
    const loaded = createTinyModel({ config: { hidden_size: 40, intermediate_size: 72, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, tie_word_embeddings: false }, seed: 3 });
    const rng = new Rng(4, 99);
    const host = new Float64Array(loaded.layout.total);
    for (const e of loaded.layout.entries) for (let i = 0; i < e.size; i++) host[e.offset + i] = (e.name.includes('norm') ? 1 : 0) + 0.3 * rng.normal();
    const V = loaded.config.vocab_size;
    const [B, T] = [3, 13];
    const tokens = Int32Array.from({ length: B * T }, () => rng.int(V));
    const targets = Int32Array.from({ length: B * T }, () => rng.int(V));
    const weights = Float32Array.from({ length: B * T }, (_, i) => (i % T < T - 2 ? rng.normal() : 0));
    const run = async (be: CpuBackend) => {
      const params = be.allocFloat(loaded.layout.total);
      params.set(host);
      const model = new Model(be, loaded.layout, params);
      const { logp } = await model.forwardLogprobs(tokens, targets, B, T, 1);
      model.zeroGrad();
      await model.backward(weights);
      return { logp: Float64Array.from(logp), grads: Float64Array.from(model.grads) };
    };
    const ref = await run(new CpuBackend({ threads: 1, precision: 'f64' }));
    const js = await run(new CpuBackend({ threads: 1, kernels: 'js' }));
    const wasm = await run(new CpuBackend({ threads: 1, kernels: 'wasm' }));
    const errJs = normwise(js.grads, ref.grads);
    const errWasm = normwise(wasm.grads, ref.grads);
    // f32 storage alone costs ~1e-7 per value; both kernels must stay at f32 accuracy, wasm (f32 sums) within
    // a small factor of TypeScript (f64 sums, f32 storage)
    expect(errJs, 'TypeScript f32 vs f64').toBeLessThan(1e-5);
    expect(errWasm, `wasm f32 vs f64 (TypeScript f32: ${errJs.toExponential(2)})`).toBeLessThan(Math.max(1e-5, 20 * errJs));
    expect(normwise(wasm.logp, ref.logp)).toBeLessThan(1e-5);
  });

  it('the TypeScript kernels still split across threads bit for bit', async () => {
    const many = await CpuBackend.create({ threads: 3, minWorkPerThread: 1, kernels: 'js' });
    const one = new CpuBackend({ threads: 1, kernels: 'js' });
    const [N, C, OC] = [37, 21, 30];
    let rng = new Rng(5, 5);
    const fill = (be: CpuBackend, n: number) => {
      const t = be.allocFloat(n);
      for (let i = 0; i < n; i++) t[i] = rng.normal();
      return t;
    };
    const results = [one, many].map((be) => {
      rng = new Rng(5, 5);
      const x = fill(be, N * C);
      const w = fill(be, OC * C);
      const dout = fill(be, N * OC);
      const y = be.allocFloat(N * OC);
      const dx = be.allocFloat(N * C);
      const dw = be.allocFloat(OC * C);
      be.matmulForward(y, x, w, null, N, C, OC);
      be.matmulBackward(dx, dw, null, dout, x, w, N, C, OC);
      return [y, dx, dw].map((t) => Array.from(t));
    });
    expect(many.splitCalls).toBeGreaterThanOrEqual(2);
    expect(results[1]).toEqual(results[0]);
    many.dispose();
  });
});
