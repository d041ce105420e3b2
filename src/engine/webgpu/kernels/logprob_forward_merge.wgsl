// Fused log-prob forward, pass 2 of 2: merge each row's per-split (m, s, w) in split order (deterministic).
//   partials[N, numSplits, 3], zt[N], targets[N] -> logp[N], lse[N], entropy[N] (overwritten):
//   lse = m + log s, entropy = log s - w / s, logp = zt - lse (NaN when the target is outside [0, V)).
// One invocation per row.

struct Params { N: u32, numSplits: u32, V: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> logp: array<f32>;
@group(0) @binding(2) var<storage, read_write> lse: array<f32>;
@group(0) @binding(3) var<storage, read_write> entropy: array<f32>;
@group(0) @binding(4) var<storage, read> partials: array<f32>;
@group(0) @binding(5) var<storage, read> zt: array<f32>;
@group(0) @binding(6) var<storage, read> targets: array<i32>;

override WG: u32 = 64;
const MASKED = -3.0e38;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let n = (wid.x + wid.y * nwg.x) * WG + lid;
  if (n >= p.N) { return; }
  var m = MASKED;
  var s = 0.0;
  var w = 0.0;
  for (var k = 0u; k < p.numSplits; k++) {
    let o = (n * p.numSplits + k) * 3u;
    let mk = partials[o];
    let mNew = max(m, mk);
    let a = exp(m - mNew);
    let b = exp(mk - mNew);
    w = a * (w + s * (m - mNew)) + b * (partials[o + 2u] + partials[o + 1u] * (mk - mNew));
    s = a * s + b * partials[o + 1u];
    m = mNew;
  }
  let logS = log(s);
  let l = m + logS;
  lse[n] = l;
  entropy[n] = logS - w / s;
  let t = targets[n];
  var lp = zt[n] - l;
  if (t < 0 || u32(t) >= p.V) { lp = bitcast<f32>(0x7fc00000u | p.V); } // a NaN (built at run time: WGSL rejects NaN constants)
  logp[n] = lp;
}
