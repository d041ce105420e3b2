// RMSNorm forward: out[N,C] = inp * rstd[n] * weight, rstd[N] = 1 / sqrt(mean(inp[n]^2) + eps); overwrites both.
// One workgroup per row (rows on a 2-D grid, so N may exceed 65535, e.g. per-head q/k norms): each thread sums
// the squares of a strided slice of the row, a tree in workgroup memory adds the WG partial sums (fixed order,
// so deterministic), then every thread scales its slice.
struct Params { N: u32, C: u32, eps: f32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> inp: array<f32>;
@group(0) @binding(2) var<storage, read> weight: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;
@group(0) @binding(4) var<storage, read_write> rstd: array<f32>;

override WG: u32 = 64; // a power of two

var<workgroup> partial: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let n = wid.y * nwg.x + wid.x; // uniform across the workgroup
  if (n >= p.N) { return; }
  let base = n * p.C;
  var ss = 0.0;
  for (var c = lid; c < p.C; c += WG) {
    let x = inp[base + c];
    ss += x * x;
  }
  partial[lid] = ss;
  for (var half = WG / 2u; half > 0u; half /= 2u) {
    workgroupBarrier();
    if (lid < half) { partial[lid] += partial[lid + half]; }
  }
  workgroupBarrier();
  let r = 1.0 / sqrt(partial[0] / f32(p.C) + p.eps);
  if (lid == 0u) { rstd[n] = r; }
  for (var c = lid; c < p.C; c += WG) {
    out[base + c] = inp[base + c] * r * weight[c];
  }
}
