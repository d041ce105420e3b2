// Sum of squares, pass 2 of 2: total[0] = sum of partial[G] (from sum_squares.wgsl); overwrites total[0].
// One workgroup: thread t sums partial[t], partial[t + WG], ... in order, then a fixed tree (deterministic).
struct Params { G: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> partial: array<f32>;
@group(0) @binding(2) var<storage, read_write> total: array<f32>;

override WG: u32 = 64; // a power of two

var<workgroup> lanes: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32) {
  var s = 0.0;
  for (var g = lid; g < p.G; g += WG) { s += partial[g]; }
  lanes[lid] = s;
  for (var half = WG / 2u; half > 0u; half /= 2u) {
    workgroupBarrier();
    if (lid < half) { lanes[lid] += lanes[lid + half]; }
  }
  if (lid == 0u) { total[0] = lanes[0]; }
}
