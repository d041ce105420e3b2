// The multi-threaded CPU backend against the single-threaded reference: every split kernel bit for bit on awkward
// shapes, a whole model's gradients (finite differences too), training steps and decoding; then the pool itself:
// small calls stay inline, errors surface as one error, a dying thread does not hang the caller, threads stop.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../generate.ts';
import { createTinyModel, type LoadedModel } from '../io/model-folder.ts';
import { Model } from '../model.ts';
import { AdamW } from '../optimizer.ts';
import { CpuBackend } from './backend.ts';
import { splitRange } from './parallel.ts';
import { randInts, randn, Rng } from './testing.ts';

type Tensor = Float32Array | Float64Array | Int32Array;

/** Index and values of the first element whose bits differ, or null when the arrays are identical. */
function firstDifference(a: Tensor, b: Tensor): string | null {
  if (a.length !== b.length) return `lengths ${a.length} vs ${b.length}`;
  const ua = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const ub = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < ua.length; i++) {
    if (ua[i] !== ub[i]) {
      const e = Math.floor(i / a.BYTES_PER_ELEMENT);
      return `element ${e}: ${a[e]} vs ${b[e]}`;
    }
  }
  return null;
}

function expectSameBits(what: string, a: Tensor, b: Tensor): void {
  const d = firstDifference(a, b);
  expect(d, `${what} differs from one thread at ${d}`).toBeNull();
}

/** Tensors of a backend filled from a seed: floats ~ N(0, 1) (`scale`), ints in [0, max). */
function floats(be: CpuBackend, rng: Rng, n: number, scale = 1): Float32Array {
  const t = be.allocFloat(n);
  t.set(randn(rng, n, scale));
  return t;
}
function ints(be: CpuBackend, rng: Rng, n: number, max: number): Int32Array {
  const t = be.allocInt(n);
  t.set(randInts(rng, n, max));
  return t;
}

let one: CpuBackend;
let many: CpuBackend;

beforeAll(async () => {
  one = new CpuBackend({ threads: 1 });
  // 3 threads (more than this 2-core machine has, which is fine) and no work threshold: every call splits.
  many = await CpuBackend.create({ threads: 3, minWorkPerThread: 1 });
  expect(many.threads, many.deviceName).toBe(3);
});

afterAll(() => many.dispose());

/**
 * Run `call` on the single-threaded and the threaded backend with the same seeded tensors (`make` draws them in
 * the same order), then compare the named outputs bit for bit. Backward kernels add into outputs that start
 * non-zero, so adding (not overwriting) is compared too.
 */
function compare<T extends Record<string, Tensor>>(
  seed: number,
  make: (be: CpuBackend, rng: Rng) => T,
  call: (be: CpuBackend, t: T) => void,
  outputs: (keyof T & string)[],
): void {
  const a = make(one, new Rng(seed, 5));
  const b = make(many, new Rng(seed, 5));
  call(one, a);
  const before = many.splitCalls;
  call(many, b);
  expect(many.splitCalls, 'the threaded backend split the call').toBeGreaterThan(before);
  for (const k of outputs) expectSameBits(k, b[k], a[k]);
}

describe('splitRange', () => {
  it('covers [0, total) with aligned boundaries, some parts possibly empty', () => {
    for (const [total, parts, align] of [[37, 3, 4], [2, 3, 1], [0, 2, 4], [64 * 3 + 5, 2, 64], [8, 8, 4]]) {
      let end = 0;
      for (let p = 0; p < parts; p++) {
        const [lo, hi] = splitRange(total, p, parts, align);
        expect(lo).toBe(end);
        expect(hi).toBeGreaterThanOrEqual(lo);
        if (hi < total) expect(hi % align).toBe(0);
        end = hi;
      }
      expect(end).toBe(total);
    }
  });
});

describe('threaded kernels are bit-identical to one thread', () => {
  // Rows not a multiple of 3 threads or of the 4-row tile; fewer rows than threads (split by columns then).
  for (const [N, C, OC] of [[37, 13, 22], [2, 16, 41], [1, 7, 9], [130, 5, 3]]) {
    it(`matmulForward N=${N} C=${C} OC=${OC}, with bias`, () => {
      compare(N, (be, r) => ({ inp: floats(be, r, N * C), w: floats(be, r, OC * C), b: floats(be, r, OC), out: be.allocFloat(N * OC) }),
        (be, t) => be.matmulForward(t.out, t.inp, t.w, t.b, N, C, OC), ['out']);
    });
    it(`matmulBackward N=${N} C=${C} OC=${OC}, all-zero rows, with and without dinp/dbias`, () => {
      const make = (be: CpuBackend, r: Rng) => {
        const dout = floats(be, r, N * OC);
        if (N > 1) dout.fill(0, 0, OC); // a masked row
        if (N > 5) dout.fill(0, 5 * OC, 6 * OC);
        return { dout, inp: floats(be, r, N * C), w: floats(be, r, OC * C), dinp: floats(be, r, N * C), dw: floats(be, r, OC * C), db: floats(be, r, OC) };
      };
      compare(N + 1, make, (be, t) => be.matmulBackward(t.dinp, t.dw, t.db, t.dout, t.inp, t.w, N, C, OC), ['dinp', 'dw', 'db']);
      compare(N + 2, make, (be, t) => be.matmulBackward(null, t.dw, null, t.dout, t.inp, t.w, N, C, OC), ['dw']);
    });
  }

  for (const [B, T, NH, KVH, D] of [[3, 7, 4, 2, 6], [1, 5, 2, 1, 4], [2, 9, 3, 3, 5]]) {
    it(`attention forward and backward B=${B} T=${T} NH=${NH} KVH=${KVH} D=${D}`, () => {
      const make = (be: CpuBackend, r: Rng) => ({
        q: floats(be, r, B * T * NH * D), k: floats(be, r, B * T * KVH * D), v: floats(be, r, B * T * KVH * D),
        out: be.allocFloat(B * T * NH * D), lse: be.allocFloat(B * NH * T), dout: floats(be, r, B * T * NH * D),
        dq: floats(be, r, B * T * NH * D), dk: floats(be, r, B * T * KVH * D), dv: floats(be, r, B * T * KVH * D),
      });
      compare(B * 100 + T, make, (be, t) => {
        be.attentionForward(t.out, t.lse, t.q, t.k, t.v, B, T, NH, KVH, D);
        be.attentionBackward(t.dq, t.dk, t.dv, t.dout, t.q, t.k, t.v, t.out, t.lse, B, T, NH, KVH, D);
      }, ['out', 'lse', 'dq', 'dk', 'dv']);
    });
  }

  it('decodeAttention with unequal lengths (one empty row)', () => {
    const [B, NH, KVH, D, maxT] = [5, 4, 2, 6, 11];
    compare(3, (be, r) => {
      const len = be.allocInt(B);
      len.set([11, 0, 3, 7, 1]);
      return { q: floats(be, r, B * NH * D), kc: floats(be, r, B * maxT * KVH * D), vc: floats(be, r, B * maxT * KVH * D), len, out: be.allocFloat(B * NH * D) };
    }, (be, t) => be.decodeAttention(t.out, t.q, t.kc, t.vc, t.len, B, NH, KVH, D, maxT), ['out']);
  });

  // More than one row block (64) and one vocabulary chunk (256), neither a multiple; masked rows.
  for (const [N, C, V] of [[150, 6, 301], [3, 5, 11]]) {
    it(`logprob forward and backward N=${N} C=${C} V=${V}, temperature 0.7, masked rows`, () => {
      compare(N, (be, r) => {
        const dlogp = floats(be, r, N);
        dlogp.fill(0, 0, 2);
        if (N > 70) dlogp.fill(0, 64, 70);
        return {
          h: floats(be, r, N * C), w: floats(be, r, V * C), targets: ints(be, r, N, V), logp: be.allocFloat(N), lse: be.allocFloat(N),
          ent: be.allocFloat(N), dlogp, dh: floats(be, r, N * C), dw: floats(be, r, V * C),
        };
      }, (be, t) => {
        be.logprobForward(t.logp, t.lse, t.ent, t.h, t.w, t.targets, N, C, V, 0.7);
        be.logprobBackward(t.dh, t.dw, t.dlogp, t.h, t.w, t.targets, t.lse, N, C, V, 0.7);
      }, ['logp', 'lse', 'ent', 'dh', 'dw']);
    });
  }

  it('rmsnorm forward, swiglu forward and backward, adamw', () => {
    const [N, C, Fd] = [13, 7, 9];
    compare(9, (be, r) => ({
      x: floats(be, r, N * C), nw: floats(be, r, C), y: be.allocFloat(N * C), rstd: be.allocFloat(N),
      g: floats(be, r, N * Fd), u: floats(be, r, N * Fd), s: be.allocFloat(N * Fd), ds: floats(be, r, N * Fd),
      dg: be.allocFloat(N * Fd), du: be.allocFloat(N * Fd),
      p: floats(be, r, 1000), grad: floats(be, r, 1000), m: floats(be, r, 1000, 0.1), v: floats(be, r, 1000, 0.1),
    }), (be, t) => {
      be.rmsnormForward(t.y, t.rstd, t.x, t.nw, N, C, 1e-5);
      be.swigluForward(t.s, t.g, t.u, N, Fd);
      t.v.set(t.v.map(Math.abs));
      be.swigluBackward(t.dg, t.du, t.ds, t.g, t.u, N, Fd);
      be.adamw(t.p, t.grad, t.m, t.v, 1e-2, 0.9, 0.999, 1e-8, 0.01, 3);
    }, ['y', 'rstd', 's', 'dg', 'du', 'p', 'm', 'v']);
  });

  it('views into a larger tensor split like whole tensors', () => {
    const [N, C, OC] = [21, 8, 12];
    compare(4, (be, r) => {
      const big = floats(be, r, 10 + N * C + OC * C);
      return { big, out: be.allocFloat(N * OC) };
    }, (be, t) => be.matmulForward(t.out, be.view(t.big, 10, N * C), be.view(t.big, 10 + N * C, OC * C), null, N, C, OC), ['out']);
  });

  it('checks arguments before splitting, with the single-thread messages', () => {
    const r = new Rng(1, 1);
    const targets = ints(many, r, 4, 5);
    targets[3] = 99;
    const call = (be: CpuBackend) => () =>
      be.logprobForward(be.allocFloat(4), be.allocFloat(4), be.allocFloat(4), floats(be, r, 12), floats(be, r, 15), targets, 4, 3, 5, 1);
    expect(call(many)).toThrow('logprobForward: target 99 at row 3 is outside [0, 5)');
    expect(call(one)).toThrow('logprobForward: target 99 at row 3 is outside [0, 5)');
    const q = floats(many, r, 48);
    expect(() => many.attentionForward(many.allocFloat(48), many.allocFloat(8), q, q, q, 1, 4, 3, 2, 4)).toThrow(/multiple of KVH/);
  });
});

const SMALL = { hidden_size: 16, intermediate_size: 24, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2 };

function randomParams(loaded: LoadedModel, seed: number, std: number): Float64Array {
  const rng = new Rng(seed, 99);
  const p = new Float64Array(loaded.layout.total);
  for (const e of loaded.layout.entries) {
    for (let i = 0; i < e.size; i++) p[e.offset + i] = (e.name.includes('norm') ? 1 : 0) + std * rng.normal();
  }
  return p;
}

function trainBatch(V: number, B: number, T: number, seed: number) {
  const rng = new Rng(seed, 7);
  const tokens = Int32Array.from({ length: B * T }, () => rng.int(V));
  const targets = Int32Array.from({ length: B * T }, () => rng.int(V));
  // Right-padded sequences: the tail of each row is masked (zero weight).
  const weights = Float32Array.from({ length: B * T }, (_, i) => (i % T < T - (i % 3) - 1 ? rng.normal() : 0));
  return { tokens, targets, weights };
}

describe('whole model with threads', () => {
  it('gradients match finite differences (f64) and one thread bit for bit (qwen3: q/k norm, untied)', async () => {
    const loaded = createTinyModel({ config: { ...SMALL, model_type: 'qwen3', head_dim: 6, tie_word_embeddings: false }, seed: 1 });
    const host = randomParams(loaded, 3, 0.4);
    const B = 2;
    const T = 6;
    const { tokens, targets, weights } = trainBatch(loaded.config.vocab_size, B, T, 5);
    const grads = async (be: CpuBackend) => {
      const params = be.allocFloat(loaded.layout.total);
      params.set(host);
      const model = new Model(be, loaded.layout, params);
      const lossAt = async () => {
        const { logp } = await model.forwardLogprobs(tokens, targets, B, T, 0.8);
        return logp.reduce((l, x, i) => l + weights[i] * x, 0);
      };
      await lossAt();
      model.zeroGrad();
      await model.backward(weights);
      return { model, params, lossAt, grads: model.grads.slice() };
    };
    const f64many = await CpuBackend.create({ precision: 'f64', threads: 3, minWorkPerThread: 1 });
    const ref = await grads(new CpuBackend({ precision: 'f64', threads: 1 }));
    const before = f64many.splitCalls;
    const thr = await grads(f64many);
    expect(f64many.splitCalls - before, 'kernel calls split').toBeGreaterThan(10);
    expectSameBits('f64 gradients', thr.grads, ref.grads);
    const rng = new Rng(11, 1);
    let worst = 0;
    for (const e of loaded.layout.entries) {
      for (let k = 0; k < 2; k++) {
        const i = e.offset + rng.int(e.size);
        const h = 1e-5;
        const orig = thr.params[i];
        thr.params[i] = orig + h;
        const lp = await thr.lossAt();
        thr.params[i] = orig - h;
        const lm = await thr.lossAt();
        thr.params[i] = orig;
        const numeric = (lp - lm) / (2 * h);
        worst = Math.max(worst, Math.abs(numeric - thr.grads[i]) / Math.max(1e-6, Math.abs(numeric) + Math.abs(thr.grads[i])));
      }
    }
    expect(worst).toBeLessThan(1e-6);
    f64many.dispose();
  });

  it('training steps (forward, backward, AdamW) and decoding are bit-identical to one thread', async () => {
    const loaded = createTinyModel({ config: { ...SMALL, hidden_size: 32, intermediate_size: 48 }, seed: 2 });
    const host = Float32Array.from(randomParams(loaded, 4, 0.3));
    const B = 5;
    const T = 19;
    const run = async (be: CpuBackend) => {
      const params = be.allocFloat(loaded.layout.total);
      params.set(host);
      const model = new Model(be, loaded.layout, params);
      const opt = new AdamW(be, loaded.layout);
      const out: Tensor[] = [];
      for (let step = 0; step < 2; step++) {
        const { tokens, targets, weights } = trainBatch(loaded.config.vocab_size, B, T, 10 + step);
        model.zeroGrad();
        const { logp, entropy } = await model.forwardLogprobs(tokens, targets, B, T, 1);
        await model.backward(weights);
        await opt.step(model.params, model.grads, { lr: 1e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, maxGradNorm: 1 });
        out.push(logp, entropy, model.grads.slice());
      }
      out.push(model.params.slice());
      const prompts = [Int32Array.from([5, 9, 14, 20, 3]), Int32Array.from([7, 8])];
      const logits: Float32Array[] = [];
      const gen = await generate(model, prompts, 3, {
        temperature: 1.2, topK: 0, topP: 0.95, maxNewTokens: 6, stopTokenIds: [], seed: 7,
        onLogits: (_t, l) => void logits.push(l.slice()),
      });
      return { out, logits, completions: gen.completions };
    };
    const ref = await run(one);
    const before = many.splitCalls;
    const thr = await run(many);
    expect(many.splitCalls - before).toBeGreaterThan(20);
    ref.out.forEach((x, i) => expectSameBits(`training output ${i}`, thr.out[i], x));
    ref.logits.forEach((x, i) => expectSameBits(`decode logits ${i}`, thr.logits[i], x));
    expect(thr.completions.map((c) => Array.from(c))).toEqual(ref.completions.map((c) => Array.from(c)));
  });
});

describe('the thread pool', () => {
  it('runs small calls, and tensors it did not allocate, on the calling thread', async () => {
    const be = await CpuBackend.create({ threads: 3 }); // the default work threshold
    const before = be.splitCalls;
    const out = be.allocFloat(4);
    be.matmulForward(out, be.allocFloat(2).fill(1), be.allocFloat(2).fill(2), null, 2, 1, 2);
    expect(Array.from(out)).toEqual([2, 2, 2, 2]);
    const plain = new Float32Array(64 * 64);
    many.matmulForward(new Float32Array(64 * 64), plain, plain, null, 64, 64, 64);
    expect(be.splitCalls).toBe(before);
    be.dispose();
  });

  it('names its threads, or why there are none', async () => {
    expect(many.deviceName).toBe('CPU (JavaScript + WebAssembly SIMD, 3 threads)');
    expect(one.deviceName).toBe('CPU (JavaScript + WebAssembly SIMD, 1 thread)');
    expect(new CpuBackend({ threads: 1, precision: 'f64' }).deviceName).toBe('CPU (JavaScript, f64 test mode, 1 thread)');
    expect(() => new CpuBackend({ threads: 0 })).toThrow(/threads must be/);
  });

  it('reports an error thrown in a thread as one error and keeps working', () => {
    expect(() => many.testFailure(false)).toThrow(/^testFailure failed on CPU thread ([12]): Error: injected failure on CPU thread \1$/);
    const bad = many.allocInt(3);
    bad[1] = 99;
    expect(() => many.logprobForward(many.allocFloat(3), many.allocFloat(3), many.allocFloat(3), many.allocFloat(6), many.allocFloat(10), bad, 3, 2, 5, 1))
      .toThrow('logprobForward: target 99 at row 1 is outside [0, 5)');
    compare(1, (be, r) => ({ inp: floats(be, r, 40), w: floats(be, r, 24), out: be.allocFloat(60) }),
      (be, t) => be.matmulForward(t.out, t.inp, t.w, null, 10, 4, 6), ['out']);
  });

  it('does not hang when a thread dies mid-call: one error, then one thread', async () => {
    const be = await CpuBackend.create({ threads: 2, minWorkPerThread: 1 });
    expect(be.threads).toBe(2);
    expect(() => be.testFailure(true)).toThrow(/a CPU thread exited during testFailure; the CPU backend continues on one thread/);
    expect(be.threads).toBe(1);
    expect(be.deviceName).toMatch(/1 thread: a CPU thread exited/);
    const out = be.allocFloat(4);
    be.matmulForward(out, be.allocFloat(2).fill(1), be.allocFloat(2).fill(3), null, 2, 1, 2);
    expect(Array.from(out)).toEqual([3, 3, 3, 3]);
    // A new backend asking for the same count gets fresh threads.
    const again = await CpuBackend.create({ threads: 2 });
    expect(again.threads).toBe(2);
    again.dispose();
    be.dispose();
  });

  it('re-sends a buffer used after free, and stops its threads on dispose', async () => {
    const be = await CpuBackend.create({ threads: 4, minWorkPerThread: 1 });
    const ref = new CpuBackend({ threads: 1 });
    const r = new Rng(2, 2);
    const inp = floats(be, r, 33 * 8);
    const w = floats(be, r, 8 * 8);
    const out = be.allocFloat(33 * 8);
    const expected = new Float32Array(33 * 8);
    ref.matmulForward(expected, inp, w, null, 33, 8, 8);
    be.matmulForward(out, inp, w, null, 33, 8, 8);
    be.free(inp);
    out.fill(0);
    be.matmulForward(out, inp, w, null, 33, 8, 8);
    expectSameBits('after free', out, expected);
    expect(be.splitCalls).toBe(2);
    be.dispose();
    expect(be.threads).toBe(1);
    be.matmulForward(out, inp, w, null, 33, 8, 8);
    expect(be.splitCalls).toBe(2);
  });

  it('never keeps a Node process alive (threads are unref\'d)', () => {
    const backend = fileURLToPath(new URL('./backend.ts', import.meta.url));
    const script = `
      import { CpuBackend } from ${JSON.stringify(backend)};
      const be = await CpuBackend.create({ threads: 2, minWorkPerThread: 1 });
      const t = be.allocFloat(64);
      be.matmulForward(be.allocFloat(64), t, t, null, 8, 8, 8);
      console.log(be.deviceName, be.splitCalls);`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(out.trim()).toBe('CPU (JavaScript + WebAssembly SIMD, 2 threads) 1');
  });
});
