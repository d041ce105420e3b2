// RMSNorm backward, weight gradient, pass 1 of 2: partial[G,C] = sum over the rows n of chunk g of
// dout[n,c] * inp[n,c] * rstd[n], chunks of R consecutive rows (G = ceil(N/R)). A workgroup owns BX columns
// of one chunk; its BY lanes per column take rows lane, lane+BY, ... in order and a fixed tree combines them.
// Pass 2 (rmsnorm_backward_weight_sum.wgsl) adds the G partials into dweight in chunk order: deterministic.
struct Params { N: u32, C: u32, R: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> dout: array<f32>;
@group(0) @binding(2) var<storage, read> inp: array<f32>;
@group(0) @binding(3) var<storage, read> rstd: array<f32>;
@group(0) @binding(4) var<storage, read_write> partial: array<f32>;

override BX: u32 = 32; // columns per workgroup
override BY: u32 = 2; // lanes per column, a power of two

var<workgroup> lanes: array<f32, BX * BY>;

@compute @workgroup_size(BX, BY)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let c = wid.x * BX + lid.x;
  let g = wid.y;
  let end = min(p.N, (g + 1u) * p.R);
  var s = 0.0;
  if (c < p.C) {
    for (var n = g * p.R + lid.y; n < end; n += BY) {
      let i = n * p.C + c;
      s += dout[i] * inp[i] * rstd[n];
    }
  }
  lanes[lid.y * BX + lid.x] = s;
  for (var half = BY / 2u; half > 0u; half /= 2u) {
    workgroupBarrier();
    if (lid.y < half) { lanes[lid.y * BX + lid.x] += lanes[(lid.y + half) * BX + lid.x]; }
  }
  if (lid.y == 0u && c < p.C) { partial[g * p.C + c] = lanes[lid.x]; }
}
