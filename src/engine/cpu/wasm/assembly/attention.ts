// AssemblyScript source of the wasm attention kernels (see ../attention.ts for the calling side and
// ../../attention.ts for the reference): one query head at a time, rows of length D at a given row stride (in
// floats), so the caller copies a batch row's q/k/v blocks in once for all its heads. Dot products and row
// updates are f32x4 over D (a scalar tail when D is not a multiple of 4); the softmax's max, exponentials and
// sums are f64, as in the reference. Every element's terms are added in the same order whatever heads or
// batch rows a call covers, so thread splits do not change results.

/** The lanes of x added as (x0 + x1) + (x2 + x3). */
function hsum(x: v128): f32 {
  return (f32x4.extract_lane(x, 0) + f32x4.extract_lane(x, 1)) + (f32x4.extract_lane(x, 2) + f32x4.extract_lane(x, 3));
}

/** sum_d a[d] b[d] over D floats. */
function dot(a: usize, b: usize, D: i32): f32 {
  let acc = f32x4.splat(0);
  let d = 0;
  for (; d + 4 <= D; d += 4) acc = f32x4.add(acc, f32x4.mul(v128.load(a + <usize>d * 4), v128.load(b + <usize>d * 4)));
  let s = hsum(acc);
  for (; d < D; d++) s += load<f32>(a + <usize>d * 4) * load<f32>(b + <usize>d * 4);
  return s;
}

/** y[d] += a x[d] over D floats. */
function axpy(y: usize, a: f32, x: usize, D: i32): void {
  const av = f32x4.splat(a);
  let d = 0;
  for (; d + 4 <= D; d += 4) {
    const p = y + <usize>d * 4;
    v128.store(p, f32x4.add(v128.load(p), f32x4.mul(av, v128.load(x + <usize>d * 4))));
  }
  for (; d < D; d++) {
    const p = y + <usize>d * 4;
    store<f32>(p, load<f32>(p) + a * load<f32>(x + <usize>d * 4));
  }
}

/**
 * Scores of query row q against key rows k + s ks (s in [0, n)) into att[0..n), scaled. Four keys at a time share
 * each load of q and keep four independent sums (the same per-key order as dot()).
 */
function scores(att: usize, q: usize, k: usize, ks: i32, n: i32, D: i32, scale: f32): void {
  const rs = <usize>ks * 4;
  let s = 0;
  if ((D & 3) == 0) {
    for (; s + 4 <= n; s += 4) {
      const k0 = k + <usize>s * rs;
      let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
      for (let d = 0; d < D; d += 4) {
        const o = <usize>d * 4;
        const x = v128.load(q + o);
        a0 = f32x4.add(a0, f32x4.mul(x, v128.load(k0 + o)));
        a1 = f32x4.add(a1, f32x4.mul(x, v128.load(k0 + rs + o)));
        a2 = f32x4.add(a2, f32x4.mul(x, v128.load(k0 + 2 * rs + o)));
        a3 = f32x4.add(a3, f32x4.mul(x, v128.load(k0 + 3 * rs + o)));
      }
      store<f32>(att + <usize>s * 4, hsum(a0) * scale);
      store<f32>(att + <usize>(s + 1) * 4, hsum(a1) * scale);
      store<f32>(att + <usize>(s + 2) * 4, hsum(a2) * scale);
      store<f32>(att + <usize>(s + 3) * 4, hsum(a3) * scale);
    }
  }
  for (; s < n; s++) store<f32>(att + <usize>s * 4, dot(q, k + <usize>s * rs, D) * scale);
}

/**
 * One head, causal: out[t] = sum_{s<=t} softmax_s(q[t].k[s] scale) v[s], lse[t] = log sum_s exp(scores).
 * q/out rows at stride qs, k/v rows at stride ks (floats); lse [T] contiguous; att scratch of T floats.
 */
export function attnForwardHead(T: i32, D: i32, q: usize, qs: i32, k: usize, v: usize, ks: i32, out: usize, lse: usize, scale: f32, att: usize): void {
  const qr = <usize>qs * 4;
  const kr = <usize>ks * 4;
  for (let t = 0; t < T; t++) {
    const qt = q + <usize>t * qr;
    const ot = out + <usize>t * qr;
    scores(att, qt, k, ks, t + 1, D, scale);
    let mx: f64 = -Infinity;
    for (let s = 0; s <= t; s++) mx = max(mx, <f64>load<f32>(att + <usize>s * 4));
    let sum: f64 = 0;
    for (let s = 0; s <= t; s++) {
      const e = Math.exp(<f64>load<f32>(att + <usize>s * 4) - mx);
      store<f32>(att + <usize>s * 4, <f32>e);
      sum += e;
    }
    memory.fill(ot, 0, <usize>D * 4);
    for (let s = 0; s <= t; s++) axpy(ot, load<f32>(att + <usize>s * 4), v + <usize>s * kr, D);
    const inv = <f32>(1 / sum);
    let d = 0;
    const iv = f32x4.splat(inv);
    for (; d + 4 <= D; d += 4) v128.store(ot + <usize>d * 4, f32x4.mul(v128.load(ot + <usize>d * 4), iv));
    for (; d < D; d++) store<f32>(ot + <usize>d * 4, load<f32>(ot + <usize>d * 4) * inv);
    store<f32>(lse + <usize>t * 4, <f32>(mx + Math.log(sum)));
  }
}

/**
 * One query head's share of the backward: dq[t] = sum_s ds k[s] (overwritten), dk[s] += ds q[t], dv[s] += p dout[t],
 * with p = exp(q[t].k[s] scale - lse[t]), ds = p (dout[t].v[s] - dout[t].out[t]) scale. q/dout/out/dq rows at
 * stride qs, k/v/dk/dv at ks; lse [T]; att scratch of 2T floats.
 */
export function attnBackwardHead(
  T: i32, D: i32, q: usize, dout: usize, out: usize, dq: usize, qs: i32,
  k: usize, v: usize, dk: usize, dv: usize, ks: i32, lse: usize, scale: f32, att: usize,
): void {
  const qr = <usize>qs * 4;
  const kr = <usize>ks * 4;
  const dps = att + <usize>T * 4;
  for (let t = 0; t < T; t++) {
    const o = <usize>t * qr;
    const qt = q + o;
    const dot_ = dout + o;
    const dqt = dq + o;
    const L = <f64>load<f32>(lse + <usize>t * 4);
    const Di = dot(dot_, out + o, D);
    scores(att, qt, k, ks, t + 1, D, scale);
    scores(dps, dot_, v, ks, t + 1, D, 1);
    memory.fill(dqt, 0, <usize>D * 4);
    for (let s = 0; s <= t; s++) {
      const p = <f32>Math.exp(<f64>load<f32>(att + <usize>s * 4) - L);
      const ds = p * (load<f32>(dps + <usize>s * 4) - Di) * scale;
      const so = <usize>s * kr;
      axpy(dv + so, p, dot_, D);
      axpy(dk + so, ds, qt, D);
      axpy(dqt, ds, k + so, D);
    }
  }
}

/**
 * One decode step of one head: out = sum_{s<L} softmax_s(q.k[s] scale) v[s] (zeros when L is 0), q and out [D],
 * k/v rows at stride ks; att scratch of L floats.
 */
export function attnDecodeHead(L: i32, D: i32, q: usize, k: usize, v: usize, ks: i32, out: usize, scale: f32, att: usize): void {
  const kr = <usize>ks * 4;
  scores(att, q, k, ks, L, D, scale);
  let mx: f64 = -Infinity;
  for (let s = 0; s < L; s++) mx = max(mx, <f64>load<f32>(att + <usize>s * 4));
  let sum: f64 = 0;
  for (let s = 0; s < L; s++) {
    const e = Math.exp(<f64>load<f32>(att + <usize>s * 4) - mx);
    store<f32>(att + <usize>s * 4, <f32>e);
    sum += e;
  }
  memory.fill(out, 0, <usize>D * 4);
  for (let s = 0; s < L; s++) axpy(out, load<f32>(att + <usize>s * 4), v + <usize>s * kr, D);
  const inv: f32 = L > 0 ? <f32>(1 / sum) : 0;
  for (let d = 0; d < D; d++) store<f32>(out + <usize>d * 4, load<f32>(out + <usize>d * 4) * inv);
}
