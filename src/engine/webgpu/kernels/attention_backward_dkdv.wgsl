// Attention backward, step 2 of 3: dk, dv (overwritten), recomputing the probabilities from lse.
//   dout, q[B, T, NH, D], k, v[B, T, KVH, D], lse, delta[B, NH, T] -> dk, dv[B, T, KVH, D].
//   P = exp(S - lse); dV = P^T dO; dS = P (dO V^T - delta) scale; dK = dS^T Q.
// One workgroup per (key block of BK keys, kv head, batch): it owns those dk/dv rows outright and loops over
// every query head that reads this kv head and every query tile of BQ rows at or after the block, so the sum
// over heads and queries happens in one fixed order with no atomics (deterministic). Per tile: P and dS for
// the BQ x BK pairs (one invocation per pair), then each invocation accumulates its share of the BK x D block.

struct Params { T: u32, NH: u32, KVH: u32, scale: f32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> dk: array<f32>;
@group(0) @binding(2) var<storage, read_write> dv: array<f32>;
@group(0) @binding(3) var<storage, read> dout: array<f32>;
@group(0) @binding(4) var<storage, read> q: array<f32>;
@group(0) @binding(5) var<storage, read> k: array<f32>;
@group(0) @binding(6) var<storage, read> v: array<f32>;
@group(0) @binding(7) var<storage, read> lse: array<f32>;
@group(0) @binding(8) var<storage, read> delta: array<f32>;

override WG: u32 = 64;
override D: u32 = 64;
override BQ: u32 = 16; // query rows per tile
override BK: u32 = 16; // keys per workgroup
const MAX_ACC = 32u; // ceil(BK * D / WG) <= MAX_ACC

var<workgroup> ks: array<f32, BK * D>;
var<workgroup> vs: array<f32, BK * D>;
var<workgroup> qs: array<f32, BQ * D>;
var<workgroup> dos: array<f32, BQ * D>;
var<workgroup> ps: array<f32, BQ * BK>;
var<workgroup> dss: array<f32, BQ * BK>;
var<workgroup> lses: array<f32, BQ>;
var<workgroup> dels: array<f32, BQ>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let T = p.T;
  let kvh = wid.y;
  let b = wid.z;
  let group = p.NH / p.KVH;
  let k0 = wid.x * BK;
  let nAcc = (BK * D + WG - 1u) / WG;

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
  var dkAcc: array<f32, MAX_ACC>;
  var dvAcc: array<f32, MAX_ACC>;

  for (var g = 0u; g < group; g++) {
    let h = kvh * group + g;
    for (var q0 = k0; q0 < T; q0 += BQ) {
      workgroupBarrier(); // the previous tile's readers are done
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
      workgroupBarrier();
      for (var e = lid; e < BQ * BK; e += WG) {
        let i = e / BK;
        let j = e % BK;
        var pv = 0.0;
        var dsv = 0.0;
        if (k0 + j <= q0 + i && q0 + i < T) {
          var dot = 0.0;
          var dp = 0.0;
          for (var d = 0u; d < D; d++) {
            dot += qs[i * D + d] * ks[j * D + d];
            dp += dos[i * D + d] * vs[j * D + d];
          }
          pv = exp(dot * p.scale - lses[i]);
          dsv = pv * (dp - dels[i]) * p.scale;
        }
        ps[e] = pv;
        dss[e] = dsv;
      }
      workgroupBarrier();
      for (var r = 0u; r < nAcc; r++) {
        let e = lid + r * WG;
        if (e < BK * D) {
          let j = e / D;
          let d = e % D;
          var a = dvAcc[r];
          var c = dkAcc[r];
          for (var i = 0u; i < BQ; i++) {
            a += ps[i * BK + j] * dos[i * D + d];
            c += dss[i * BK + j] * qs[i * D + d];
          }
          dvAcc[r] = a;
          dkAcc[r] = c;
        }
      }
    }
  }
  for (var r = 0u; r < nAcc; r++) {
    let e = lid + r * WG;
    let s = k0 + e / D;
    if (e < BK * D && s < T) {
      let o = ((b * T + s) * p.KVH + kvh) * D + e % D;
      dk[o] = dkAcc[r];
      dv[o] = dvAcc[r];
    }
  }
}
