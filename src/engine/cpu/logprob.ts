// Fused LM head + log-softmax + gather, chunked over the vocabulary with an online log-sum-exp, so [N,V] logits
// never exist: only a [ROW_BLOCK, chunk] tile of them at a time, computed with the tiled matmul of matmul.ts.
// Threads share a call (parallel.ts) by rows for the forward and dh, by vocabulary rows for dwlm.
import type { FloatArray, IntArray } from '../floats.ts';
import { matmulBackwardInputRange, matmulBackwardWeightRange, matmulForward } from './matmul.ts';

/** Vocabulary rows per chunk. */
export const LOGPROB_CHUNK = 256;
/** Hidden rows per tile (the tile of logits is ROW_BLOCK x chunk). A row split on a multiple of it tiles alike. */
export const ROW_BLOCK = 64;

export function checkTargets(what: string, targets: IntArray, N: number, V: number): void {
  for (let n = 0; n < N; n++) {
    const t = targets[n];
    if (!(t >= 0 && t < V)) throw new RangeError(`${what}: target ${t} at row ${n} is outside [0, ${V})`);
  }
}

/** A scratch tile of the same precision as the inputs. */
function tile(like: FloatArray, length: number): FloatArray {
  return like instanceof Float64Array ? new Float64Array(length) : new Float32Array(length);
}

/**
 * h[N,C], wlm[V,C], targets[N] -> logp[N], lse[N], entropy[N] (overwrite), with z[n,v] = (h[n] . wlm[v]) / temperature:
 * lse = log sum_v exp z, logp = z[target] - lse, entropy = -sum_v p log p = lse - sum_v p z.
 * Per row it keeps m (running max), s = sum exp(z - m), u = sum exp(z - m) z, all in f64.
 * `chunk` (vocabulary rows per step) is a tuning knob, not part of the Backend interface.
 */
export function logprobForward(
  logp: FloatArray,
  lse: FloatArray,
  entropy: FloatArray,
  h: FloatArray,
  wlm: FloatArray,
  targets: IntArray,
  N: number,
  C: number,
  V: number,
  temperature: number,
  chunk: number = LOGPROB_CHUNK,
): void {
  checkTargets('logprobForward', targets, N, V);
  const m = new Float64Array(N).fill(-Infinity);
  const s = new Float64Array(N);
  const u = new Float64Array(N);
  const zt = new Float64Array(N);
  const z = tile(h, ROW_BLOCK * chunk);
  for (let v0 = 0; v0 < V; v0 += chunk) {
    const nv = Math.min(chunk, V - v0);
    const w = wlm.subarray(v0 * C, (v0 + nv) * C);
    for (let n0 = 0; n0 < N; n0 += ROW_BLOCK) {
      const nr = Math.min(ROW_BLOCK, N - n0);
      matmulForward(z, h.subarray(n0 * C, (n0 + nr) * C), w, null, nr, C, nv);
      for (let r = 0; r < nr; r++) {
        const n = n0 + r;
        const zo = r * nv;
        let cmax = -Infinity;
        for (let j = 0; j < nv; j++) {
          const zj = z[zo + j] / temperature;
          if (zj > cmax) cmax = zj;
        }
        let mn = m[n];
        let sn = s[n];
        let un = u[n];
        if (cmax > mn) {
          const f = Math.exp(mn - cmax);
          sn *= f;
          un *= f;
          mn = cmax;
        }
        for (let j = 0; j < nv; j++) {
          const zj = z[zo + j] / temperature;
          const e = Math.exp(zj - mn);
          sn += e;
          un += e * zj;
        }
        m[n] = mn;
        s[n] = sn;
        u[n] = un;
        const tj = targets[n] - v0;
        if (tj >= 0 && tj < nv) zt[n] = z[zo + tj] / temperature;
      }
    }
  }
  for (let n = 0; n < N; n++) {
    const l = m[n] + Math.log(s[n]);
    lse[n] = l;
    logp[n] = zt[n] - l;
    entropy[n] = l - u[n] / s[n];
  }
}

/**
 * dlogp[N], h[N,C], wlm[V,C], targets[N], lse[N] -> dh[N,C] +=, dwlm[V,C] +=, recomputing the logits chunk by
 * chunk: g[n,v] = dlogp[n] (onehot(target)[v] - p[n,v]) / temperature; dh += g @ wlm; dwlm += g^T @ h.
 * Rows with dlogp[n] = 0 (masked tokens) cost nothing in the gradient products.
 */
export function logprobBackward(
  dh: FloatArray,
  dwlm: FloatArray | null,
  dlogp: FloatArray,
  h: FloatArray,
  wlm: FloatArray,
  targets: IntArray,
  lse: FloatArray,
  N: number,
  C: number,
  V: number,
  temperature: number,
  chunk: number = LOGPROB_CHUNK,
): void {
  checkTargets('logprobBackward', targets, N, V);
  logprobBackwardRange(dh, dwlm, dlogp, h, wlm, targets, lse, C, temperature, 0, N, 0, V, chunk);
}

/**
 * logprobBackward over the rows [n0, n1) (n0 a multiple of ROW_BLOCK) and vocabulary rows [v0, v1) (v0 a multiple
 * of 4), adding into dh when it is not null and into dwlm when it is not null. The tiles follow the whole call's
 * grid (chunks from vocabulary row 0, row blocks from n0), so each gradient element gets the same terms in the
 * same order: threads split dh by rows (all the vocabulary each) and dwlm by vocabulary rows (all rows each).
 */
export function logprobBackwardRange(
  dh: FloatArray | null,
  dwlm: FloatArray | null,
  dlogp: FloatArray,
  h: FloatArray,
  wlm: FloatArray,
  targets: IntArray,
  lse: FloatArray,
  C: number,
  temperature: number,
  n0: number,
  n1: number,
  v0: number,
  v1: number,
  chunk: number = LOGPROB_CHUNK,
): void {
  const g = tile(h, ROW_BLOCK * chunk);
  const rows = new Int32Array(ROW_BLOCK);
  for (let c0 = v0 - (v0 % chunk); c0 < v1; c0 += chunk) {
    const va = Math.max(c0, v0);
    const vb = Math.min(c0 + chunk, v1);
    const nv = vb - va;
    const w = wlm.subarray(va * C, vb * C);
    for (let nb = n0; nb < n1; nb += ROW_BLOCK) {
      const nr = Math.min(ROW_BLOCK, n1 - nb);
      // the rows with a gradient: the same list whatever the vocabulary range, so dwlm sums in the same order
      let R = 0;
      for (let r = 0; r < nr; r++) if (dlogp[nb + r] !== 0) rows[R++] = r;
      if (R === 0) continue;
      const hb = h.subarray(nb * C, (nb + nr) * C);
      matmulForward(g, hb, w, null, nr, C, nv);
      for (let r = 0; r < nr; r++) {
        const n = nb + r;
        const go = r * nv;
        const dl = dlogp[n];
        if (dl === 0) continue; // not in the row list: never read
        const l = lse[n];
        const a = dl / temperature;
        for (let j = 0; j < nv; j++) g[go + j] = -a * Math.exp(g[go + j] / temperature - l);
        const tj = targets[n] - va;
        if (tj >= 0 && tj < nv) g[go + tj] += a;
      }
      const live = rows.subarray(0, R);
      if (dh !== null) matmulBackwardInputRange(dh.subarray(nb * C, (nb + nr) * C), g, w, live, C, nv, 0, R);
      if (dwlm !== null) matmulBackwardWeightRange(dwlm.subarray(va * C, vb * C), null, g, hb, live, C, nv, 0, nv);
    }
  }
}
