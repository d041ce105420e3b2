// Fused LM head + log-softmax + gather, chunked over the vocabulary with an online log-sum-exp, so [N,V] logits
// never exist: only a [ROW_BLOCK, chunk] tile of them at a time, computed with the tiled matmul of matmul.ts.
import type { FloatArray, IntArray } from '../floats.ts';
import { matmulBackward, matmulForward } from './matmul.ts';

/** Vocabulary rows per chunk. */
export const LOGPROB_CHUNK = 256;
/** Hidden rows per tile (the tile of logits is ROW_BLOCK x chunk). */
const ROW_BLOCK = 64;

function checkTargets(what: string, targets: IntArray, N: number, V: number): void {
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
  dwlm: FloatArray,
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
  const g = tile(h, ROW_BLOCK * chunk);
  for (let v0 = 0; v0 < V; v0 += chunk) {
    const nv = Math.min(chunk, V - v0);
    const w = wlm.subarray(v0 * C, (v0 + nv) * C);
    const dw = dwlm.subarray(v0 * C, (v0 + nv) * C);
    for (let n0 = 0; n0 < N; n0 += ROW_BLOCK) {
      const nr = Math.min(ROW_BLOCK, N - n0);
      let any = false;
      for (let r = 0; r < nr; r++) if (dlogp[n0 + r] !== 0) any = true;
      if (!any) continue;
      const hb = h.subarray(n0 * C, (n0 + nr) * C);
      matmulForward(g, hb, w, null, nr, C, nv);
      for (let r = 0; r < nr; r++) {
        const n = n0 + r;
        const go = r * nv;
        const dl = dlogp[n];
        if (dl === 0) {
          g.fill(0, go, go + nv);
          continue;
        }
        const l = lse[n];
        const a = dl / temperature;
        for (let j = 0; j < nv; j++) g[go + j] = -a * Math.exp(g[go + j] / temperature - l);
        const tj = targets[n] - v0;
        if (tj >= 0 && tj < nv) g[go + tj] += a;
      }
      matmulBackward(dh.subarray(n0 * C, (n0 + nr) * C), dw, null, g, hb, w, nr, C, nv);
    }
  }
}
