// Fused causal grouped-query attention forward, flash-attention style (twin of ../../cpu/attention.ts).
//   q[B, T, NH, D], k, v[B, T, KVH, D] -> out[B, T, NH, D], lse[B, NH, T] (both overwritten).
//   Query t sees keys s <= t; scores scaled by 1/sqrt(D); head h reads kv head h / (NH / KVH).
// One workgroup per (query block of BQ rows, head, batch). The Q block stays in workgroup memory; K and V
// stream through it in blocks of BK keys. Per key block: S = Q K^T (BQ x BK, one invocation per entry), then
// one invocation per query row updates its running max m and sum l (online softmax) and turns S into
// probabilities, then every invocation rescales and accumulates its share of the BQ x D output block.
// Deterministic: fixed summation order, no atomics.

struct Params { T: u32, NH: u32, KVH: u32, scale: f32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read_write> lse: array<f32>;
@group(0) @binding(3) var<storage, read> q: array<f32>;
@group(0) @binding(4) var<storage, read> k: array<f32>;
@group(0) @binding(5) var<storage, read> v: array<f32>;

override WG: u32 = 64;
override D: u32 = 64;
override BQ: u32 = 16; // query rows per workgroup (<= WG)
override BK: u32 = 16; // keys per block
const MAX_ACC = 32u; // output elements per invocation: ceil(BQ * D / WG) <= MAX_ACC
const MASKED = -3.0e38; // a score that exp() sends to 0 against any real running max

var<workgroup> qs: array<f32, BQ * D>;
var<workgroup> ks: array<f32, BK * D>;
var<workgroup> vs: array<f32, BK * D>;
var<workgroup> ss: array<f32, BQ * BK>; // scores, then probabilities
var<workgroup> rowScale: array<f32, BQ>; // exp(m_old - m_new) of the last block
var<workgroup> rowSum: array<f32, BQ>; // l at the end

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let T = p.T;
  let h = wid.y;
  let b = wid.z;
  let kvh = h / (p.NH / p.KVH);
  let q0 = wid.x * BQ;
  let nAcc = (BQ * D + WG - 1u) / WG;

  for (var e = lid; e < BQ * D; e += WG) {
    let t = q0 + e / D;
    var x = 0.0;
    if (t < T) { x = q[((b * T + t) * p.NH + h) * D + e % D]; }
    qs[e] = x;
  }
  var acc: array<f32, MAX_ACC>;
  var m = MASKED; // running max and sum of the row this invocation owns (lid < BQ)
  var l = 0.0;

  let lastRow = min(q0 + BQ, T) - 1u;
  for (var k0 = 0u; k0 <= lastRow; k0 += BK) {
    workgroupBarrier(); // the previous block's readers are done with ks, vs, ss
    for (var e = lid; e < BK * D; e += WG) {
      let s = k0 + e / D;
      var kx = 0.0;
      var vx = 0.0;
      if (s < T) {
        let o = ((b * T + s) * p.KVH + kvh) * D + e % D;
        kx = k[o];
        vx = v[o];
      }
      ks[e] = kx;
      vs[e] = vx;
    }
    workgroupBarrier();
    for (var e = lid; e < BQ * BK; e += WG) {
      let i = e / BK;
      let j = e % BK;
      var score = MASKED;
      if (k0 + j <= q0 + i && k0 + j < T) {
        var dot = 0.0;
        for (var d = 0u; d < D; d++) { dot += qs[i * D + d] * ks[j * D + d]; }
        score = dot * p.scale;
      }
      ss[e] = score;
    }
    workgroupBarrier();
    if (lid < BQ) {
      var bmax = MASKED;
      for (var j = 0u; j < BK; j++) { bmax = max(bmax, ss[lid * BK + j]); }
      let mNew = max(m, bmax); // real after the first block: key 0 is visible to every row
      let alpha = exp(m - mNew);
      var sum = 0.0;
      for (var j = 0u; j < BK; j++) {
        let pj = exp(ss[lid * BK + j] - mNew);
        ss[lid * BK + j] = pj;
        sum += pj;
      }
      l = l * alpha + sum;
      m = mNew;
      rowScale[lid] = alpha;
    }
    workgroupBarrier();
    for (var r = 0u; r < nAcc; r++) {
      let e = lid + r * WG;
      if (e < BQ * D) {
        let i = e / D;
        let d = e % D;
        var a = acc[r] * rowScale[i];
        for (var j = 0u; j < BK; j++) { a += ss[i * BK + j] * vs[j * D + d]; }
        acc[r] = a;
      }
    }
  }
  if (lid < BQ) {
    rowSum[lid] = l;
    if (q0 + lid < T) { lse[(b * p.NH + h) * T + q0 + lid] = m + log(l); }
  }
  workgroupBarrier();
  for (var r = 0u; r < nAcc; r++) {
    let e = lid + r * WG;
    let t = q0 + e / D;
    if (e < BQ * D && t < T) { out[((b * T + t) * p.NH + h) * D + e % D] = acc[r] / rowSum[e / D]; }
  }
}
