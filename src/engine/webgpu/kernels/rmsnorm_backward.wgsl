// RMSNorm backward, input gradient: dinp[N,C] += r w dy - x r^3 / C * sum_i(dy_i w_i x_i), per row with
// r = rstd[n]; adds into dinp. dout, inp [N,C], weight [C], rstd [N]. One workgroup per row (2-D grid); the
// row's dot product is a fixed-order tree in workgroup memory (deterministic). The weight gradient is a
// column reduction over rows, done by rmsnorm_backward_weight.wgsl and rmsnorm_backward_weight_sum.wgsl.
struct Params { N: u32, C: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> dout: array<f32>;
@group(0) @binding(2) var<storage, read> inp: array<f32>;
@group(0) @binding(3) var<storage, read> weight: array<f32>;
@group(0) @binding(4) var<storage, read> rstd: array<f32>;
@group(0) @binding(5) var<storage, read_write> dinp: array<f32>;

override WG: u32 = 64; // a power of two

var<workgroup> partial: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let n = wid.y * nwg.x + wid.x; // uniform across the workgroup
  if (n >= p.N) { return; }
  let base = n * p.C;
  var dot = 0.0;
  for (var c = lid; c < p.C; c += WG) {
    dot += dout[base + c] * weight[c] * inp[base + c];
  }
  partial[lid] = dot;
  for (var half = WG / 2u; half > 0u; half /= 2u) {
    workgroupBarrier();
    if (lid < half) { partial[lid] += partial[lid + half]; }
  }
  workgroupBarrier();
  let r = rstd[n];
  let k = partial[0] * r * r * r / f32(p.C);
  for (var c = lid; c < p.C; c += WG) {
    dinp[base + c] += r * weight[c] * dout[base + c] - k * inp[base + c];
  }
}
