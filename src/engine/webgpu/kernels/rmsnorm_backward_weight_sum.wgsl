// RMSNorm backward, weight gradient, pass 2 of 2: dweight[C] += sum_g partial[g, c] for g = 0..G-1 in order
// (partial[G,C] from rmsnorm_backward_weight.wgsl); adds into dweight. One thread per column.
struct Params { C: u32, G: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> partial: array<f32>;
@group(0) @binding(2) var<storage, read_write> dweight: array<f32>;

override WG: u32 = 64;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let c = (wid.y * nwg.x + wid.x) * WG + lid;
  if (c >= p.C) { return; }
  var s = 0.0;
  for (var g = 0u; g < p.G; g++) { s += partial[g * p.C + c]; }
  dweight[c] += s;
}
