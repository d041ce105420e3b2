// Attention backward, step 1 of 3: the row dot products the softmax gradient needs.
//   dout, out[B, T, NH, D] -> delta[B, NH, T] = sum_d dout * out (overwritten). One invocation per row.

struct Params { rows: u32, T: u32, NH: u32, D: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> delta: array<f32>;
@group(0) @binding(2) var<storage, read> dout: array<f32>;
@group(0) @binding(3) var<storage, read> out: array<f32>;

override WG: u32 = 64;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let row = (wid.x + wid.y * nwg.x) * WG + lid; // (b * T + t) * NH + h
  if (row >= p.rows) { return; }
  let h = row % p.NH;
  let bt = row / p.NH;
  let t = bt % p.T;
  let b = bt / p.T;
  var s = 0.0;
  for (var d = 0u; d < p.D; d++) { s += dout[row * p.D + d] * out[row * p.D + d]; }
  delta[(b * p.NH + h) * p.T + t] = s;
}
