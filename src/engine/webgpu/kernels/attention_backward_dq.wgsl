// Attention backward, step 3 of 3: dq (overwritten), recomputing the probabilities from lse.
//   dout, q[B, T, NH, D], k, v[B, T, KVH, D], lse, delta[B, NH, T] -> dq[B, T, NH, D] = dS K,
//   dS = exp(S - lse) (dO V^T - delta) scale.
// One workgroup per (query block of BQ rows, head, batch), owning those dq rows: Q and dO stay in workgroup
// memory, K and V stream through in blocks of BK keys up to the causal limit. Deterministic, no atomics.

struct Params { T: u32, NH: u32, KVH: u32, scale: f32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> dq: array<f32>;
@group(0) @binding(2) var<storage, read> dout: array<f32>;
@group(0) @binding(3) var<storage, read> q: array<f32>;
@group(0) @binding(4) var<storage, read> k: array<f32>;
@group(0) @binding(5) var<storage, read> v: array<f32>;
@group(0) @binding(6) var<storage, read> lse: array<f32>;
@group(0) @binding(7) var<storage, read> delta: array<f32>;

override WG: u32 = 64;
override D: u32 = 64;
override BQ: u32 = 16; // query rows per workgroup
override BK: u32 = 16; // keys per block
const MAX_ACC = 32u; // ceil(BQ * D / WG) <= MAX_ACC

var<workgroup> qs: array<f32, BQ * D>;
var<workgroup> dos: array<f32, BQ * D>;
var<workgroup> ks: array<f32, BK * D>;
var<workgroup> vs: array<f32, BK * D>;
var<workgroup> dss: array<f32, BQ * BK>;
var<workgroup> lses: array<f32, BQ>;
var<workgroup> dels: array<f32, BQ>;

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
    var qx = 0.0;
    var dx = 0.0;
    if (t < T) {
      let o = ((b * T + t) * p.NH + h) * D + e % D;
      qx = q[o];
      dx = dout[o];
    }
    qs[e] = qx;
    dos[e] = dx;
  }
  if (lid < BQ) {
    let t = q0 + lid;
    var ls = 0.0;
    var dl = 0.0;
    if (t < T) {
      ls = lse[(b * p.NH + h) * T + t];
      dl = delta[(b * p.NH + h) * T + t];
    }
    lses[lid] = ls;
    dels[lid] = dl;
  }
  var acc: array<f32, MAX_ACC>;

  let lastRow = min(q0 + BQ, T) - 1u;
  for (var k0 = 0u; k0 <= lastRow; k0 += BK) {
    workgroupBarrier(); // the first pass: qs, dos, lses, dels are written; later: ks, vs, dss are free
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
      var dsv = 0.0;
      if (k0 + j <= q0 + i && q0 + i < T) {
        var dot = 0.0;
        var dp = 0.0;
        for (var d = 0u; d < D; d++) {
          dot += qs[i * D + d] * ks[j * D + d];
          dp += dos[i * D + d] * vs[j * D + d];
        }
        let pv = exp(dot * p.scale - lses[i]);
        dsv = pv * (dp - dels[i]) * p.scale;
      }
      dss[e] = dsv;
    }
    workgroupBarrier();
    for (var r = 0u; r < nAcc; r++) {
      let e = lid + r * WG;
      if (e < BQ * D) {
        let i = e / D;
        let d = e % D;
        var a = acc[r];
        for (var j = 0u; j < BK; j++) { a += dss[i * BK + j] * ks[j * D + d]; }
        acc[r] = a;
      }
    }
  }
  for (var r = 0u; r < nAcc; r++) {
    let e = lid + r * WG;
    let t = q0 + e / D;
    if (e < BQ * D && t < T) { dq[((b * T + t) * p.NH + h) * D + e % D] = acc[r]; }
  }
}
