// Sum of squares, pass 1 of 2: partial[G] with partial[g] = sum of x[i]^2 over the elements i of x[len] that
// workgroup g owns (i = g*WG + t + k*G*WG: grid-stride, so G stays small for any len). Each thread sums its
// elements in order, then a fixed tree in workgroup memory: the split depends only on len, so the result is
// the same bit for bit every run. Pass 2 is sum_squares_final.wgsl.
struct Params { len: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> partial: array<f32>;

override WG: u32 = 64; // a power of two

var<workgroup> lanes: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let stride = nwg.x * WG;
  var s = 0.0;
  for (var i = wid.x * WG + lid; i < p.len; i += stride) {
    let v = x[i];
    s += v * v;
  }
  lanes[lid] = s;
  for (var half = WG / 2u; half > 0u; half /= 2u) {
    workgroupBarrier();
    if (lid < half) { lanes[lid] += lanes[lid + half]; }
  }
  if (lid == 0u) { partial[wid.x] = lanes[0]; }
}
