// AssemblyScript source of the log-prob head's softmax steps (../logprob.ts is the calling side): on a tile of
// logits [rows, nv] the gemm of gemm.ts left in memory, the online log-sum-exp statistics of the forward, and the
// gradient of the backward, four lanes at a time with exp4 (f32); sums of exponentials are kept in f64.
import { exp4 } from './exp';

/**
 * For each row r of z[nr, nv] (scaled by invT): fold the chunk into the running max m[r], s[r] = sum exp(z - m) and
 * u[r] = sum exp(z - m) z (f64 arrays), and set zt[r] (f64) to the target's scaled logit when tgt[r] - v0 is in
 * this chunk.
 */
export function headStats(z: usize, nr: i32, nv: i32, invT: f32, m: usize, s: usize, u: usize, zt: usize, tgt: usize, v0: i32): void {
  const iv = f32x4.splat(invT);
  const n4 = nv & ~3;
  for (let r = 0; r < nr; r++) {
    const row = z + <usize>(r * nv) * 4;
    let cmax4 = f32x4.splat(-Infinity);
    for (let j = 0; j < n4; j += 4) cmax4 = f32x4.max(cmax4, f32x4.mul(v128.load(row + <usize>j * 4), iv));
    let cmax = max(max(f32x4.extract_lane(cmax4, 0), f32x4.extract_lane(cmax4, 1)), max(f32x4.extract_lane(cmax4, 2), f32x4.extract_lane(cmax4, 3)));
    for (let j = n4; j < nv; j++) cmax = max(cmax, load<f32>(row + <usize>j * 4) * invT);
    const mo = m + <usize>r * 8;
    let mn = load<f64>(mo);
    let sn = load<f64>(s + <usize>r * 8);
    let un = load<f64>(u + <usize>r * 8);
    if (<f64>cmax > mn) {
      const f = Math.exp(mn - <f64>cmax);
      sn *= f;
      un *= f;
      mn = <f64>cmax;
    }
    const mv = f32x4.splat(<f32>mn);
    let se = f64x2.splat(0);
    let ue = f64x2.splat(0);
    for (let j = 0; j < n4; j += 4) {
      const zj = f32x4.mul(v128.load(row + <usize>j * 4), iv);
      const e = exp4(f32x4.sub(zj, mv));
      const ez = f32x4.mul(e, zj);
      se = f64x2.add(se, f64x2.add(f64x2.promote_low_f32x4(e), f64x2.promote_low_f32x4(v128.shuffle<f32>(e, e, 2, 3, 0, 1))));
      ue = f64x2.add(ue, f64x2.add(f64x2.promote_low_f32x4(ez), f64x2.promote_low_f32x4(v128.shuffle<f32>(ez, ez, 2, 3, 0, 1))));
    }
    sn += f64x2.extract_lane(se, 0) + f64x2.extract_lane(se, 1);
    un += f64x2.extract_lane(ue, 0) + f64x2.extract_lane(ue, 1);
    for (let j = n4; j < nv; j++) {
      const zj = load<f32>(row + <usize>j * 4) * invT;
      const e = f32x4.extract_lane(exp4(f32x4.splat(zj - <f32>mn)), 0);
      sn += <f64>e;
      un += <f64>(e * zj);
    }
    store<f64>(mo, mn);
    store<f64>(s + <usize>r * 8, sn);
    store<f64>(u + <usize>r * 8, un);
    const t = load<i32>(tgt + <usize>r * 4) - v0;
    if (t >= 0 && t < nv) store<f64>(zt + <usize>r * 8, <f64>(load<f32>(row + <usize>t * 4) * invT));
  }
}

/**
 * The logits tile g[R, nv] becomes the gradient of sum_r dlogp[r] logp[r] w.r.t. the unscaled logits:
 * g = -a[r] exp(g invT - l[r]), plus a[r] at column t[r] when it is in [0, nv) (a = dlogp / temperature, f32 arrays).
 */
export function headGrad(g: usize, R: i32, nv: i32, invT: f32, a: usize, l: usize, t: usize): void {
  const iv = f32x4.splat(invT);
  const n4 = nv & ~3;
  for (let r = 0; r < R; r++) {
    const row = g + <usize>(r * nv) * 4;
    const ar = load<f32>(a + <usize>r * 4);
    const na = f32x4.splat(-ar);
    const lv = f32x4.splat(load<f32>(l + <usize>r * 4));
    for (let j = 0; j < n4; j += 4) {
      const p = row + <usize>j * 4;
      v128.store(p, f32x4.mul(na, exp4(f32x4.sub(f32x4.mul(v128.load(p), iv), lv))));
    }
    for (let j = n4; j < nv; j++) {
      const p = row + <usize>j * 4;
      store<f32>(p, -ar * f32x4.extract_lane(exp4(f32x4.splat(load<f32>(p) * invT - f32x4.extract_lane(lv, 0))), 0));
    }
    const tj = load<i32>(t + <usize>r * 4);
    if (tj >= 0 && tj < nv) {
      const p = row + <usize>tj * 4;
      store<f32>(p, load<f32>(p) + ar);
    }
  }
}
