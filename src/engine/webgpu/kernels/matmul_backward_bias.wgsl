// Linear layer backward, bias gradient: dbias[OC] += sum_n dout[n, :], dout[N,OC]; adds into dbias.
// A workgroup owns BX channels; its BY lanes per channel sum rows lane, lane+BY, ... in order, then a fixed
// tree in workgroup memory combines the lanes: no atomics, so the result is the same bit for bit every run.
struct Params { N: u32, OC: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> dout: array<f32>;
@group(0) @binding(2) var<storage, read_write> dbias: array<f32>;

override BX: u32 = 32; // channels per workgroup
override BY: u32 = 2; // lanes per channel, a power of two

var<workgroup> partial: array<f32, BX * BY>;

@compute @workgroup_size(BX, BY)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let o = wid.x * BX + lid.x;
  var s = 0.0;
  if (o < p.OC) {
    for (var n = lid.y; n < p.N; n += BY) { s += dout[n * p.OC + o]; }
  }
  partial[lid.y * BX + lid.x] = s;
  for (var half = BY / 2u; half > 0u; half /= 2u) {
    workgroupBarrier();
    if (lid.y < half) { partial[lid.y * BX + lid.x] += partial[(lid.y + half) * BX + lid.x]; }
  }
  if (lid.y == 0u && o < p.OC) { dbias[o] += partial[lid.x]; }
}
