// Log-prob backward, step 1 of 3 per vocabulary chunk [v0, v0 + nv): the logits gradient, in place over the
// chunk's recomputed logits (from matmulForward).
//   Z[N, nv], targets[N], lse[N], dlogp[N] -> Z[n, j] = a (onehot(target)[v0 + j] - exp(Z[n, j] / temperature - lse[n])),
//   a = dlogp[n] / temperature; exactly 0 where dlogp is 0 (masked tokens). One invocation per element.

struct Params { N: u32, nv: u32, v0: u32, temperature: f32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> Z: array<f32>;
@group(0) @binding(2) var<storage, read> targets: array<i32>;
@group(0) @binding(3) var<storage, read> lse: array<f32>;
@group(0) @binding(4) var<storage, read> dlogp: array<f32>;

override WG: u32 = 64;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let i = (wid.x + wid.y * nwg.x) * WG + lid;
  if (i >= p.N * p.nv) { return; }
  let n = i / p.nv;
  let j = i % p.nv;
  let a = dlogp[n] / p.temperature;
  var g = 0.0;
  if (a != 0.0) {
    g = -a * exp(Z[i] / p.temperature - lse[n]);
    if (i32(p.v0 + j) == targets[n]) { g += a; }
  }
  Z[i] = g;
}
