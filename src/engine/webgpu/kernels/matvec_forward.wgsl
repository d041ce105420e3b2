// Linear layer forward for a few rows (decode: one new token per sequence): out[N,OC] = inp[N,C] @ weight[OC,C]^T
// (+ bias[OC]); overwrites out. Same bindings and Params as matmul_forward.wgsl, and the same loader preludes
// (f32 vec4, scalar, or half-precision weights), so it is a drop-in for small N.
// The tiled matmul spends a 64-row tile on N = 1..8 rows; here a workgroup of LANES x CH threads owns CH output
// channels and MR rows: the LANES threads of a channel stride along C reading neighbouring vec4s of its weight row
// (coalesced; each weight is read once per MR rows), keep MR partial sums, and a fixed-order sum over the LANES
// partials (after one barrier) gives each output: deterministic, and the weights stream through once.
struct Params { N: u32, C: u32, OC: u32, hasBias: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;

override LANES: u32 = 16; // threads along C per channel, >= MR
override CH: u32 = 4; // output channels per workgroup
override MR: u32 = 8; // rows per workgroup, at most 8

var<workgroup> partial: array<f32, 8u * CH * LANES>;

@compute @workgroup_size(LANES, CH)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let o = wid.x * CH + lid.y;
  let m0 = wid.y * MR;
  var acc = array<f32, 8>(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
  if (o < p.OC) {
    for (var c = lid.x * 4u; c < p.C; c += LANES * 4u) {
      let w = loadB(o, c, p.OC, p.C);
      for (var m = 0u; m < MR; m++) { acc[m] += dot(loadA(m0 + m, c, p.N, p.C), w); }
    }
  }
  for (var m = 0u; m < MR; m++) { partial[(m * CH + lid.y) * LANES + lid.x] = acc[m]; }
  workgroupBarrier();
  let m = lid.x;
  let n = m0 + m;
  if (m < MR && n < p.N && o < p.OC) {
    var s = 0.0;
    for (var l = 0u; l < LANES; l++) { s += partial[(m * CH + lid.y) * LANES + l]; }
    if (p.hasBias != 0u) { s += bias[o]; }
    out[n * p.OC + o] = s;
  }
}
