// Linear layer backward, weight gradient (the TN form): dweight[OC,C] += dout[N,OC]^T @ inp[N,C]; adds into
// dweight. A = dout [N,OC] and B = inp [N,C] are bound by the loader prelude matmul.ts prepends (bindings 1
// and 2, loadA/loadB); both are contiguous along their output dimension and the reduction runs over rows N,
// so both slices are staged K-major as they lie in memory, with no transposing.
// Same register tiling as matmul_forward.wgsl: TX x TY threads, a 4x4 block each, TK-deep stages.
struct Params { N: u32, C: u32, OC: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(3) var<storage, read_write> dweight: array<f32>;

override TX: u32 = 16; // threads along C (4 columns each)
override TY: u32 = 16; // threads along OC (4 rows of dweight each)
override TK: u32 = 16; // reduction depth (rows of N) staged per step

var<workgroup> As: array<vec4<f32>, TK * TY>; // As[k * TY + i] = dout row k, channels 4i..4i+3 of the tile
var<workgroup> Bs: array<vec4<f32>, TK * TX>; // Bs[k * TX + j] = inp row k, columns 4j..4j+3 of the tile

@compute @workgroup_size(TX, TY)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let tid = lid.y * TX + lid.x;
  let threads = TX * TY;
  let row0 = wid.y * TY * 4u; // first output channel of the tile
  let col0 = wid.x * TX * 4u; // first input column of the tile
  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  for (var k0 = 0u; k0 < p.N; k0 += TK) {
    for (var i = tid; i < TK * TY; i += threads) {
      let k = i / TY;
      let o = (i % TY) * 4u;
      As[i] = loadA(k0 + k, row0 + o, p.N, p.OC);
    }
    for (var i = tid; i < TK * TX; i += threads) {
      let k = i / TX;
      let c = (i % TX) * 4u;
      Bs[i] = loadB(k0 + k, col0 + c, p.N, p.C);
    }
    workgroupBarrier();
    for (var k = 0u; k < TK; k++) {
      let a = As[k * TY + lid.y];
      let b = Bs[k * TX + lid.x];
      acc0 += a.x * b;
      acc1 += a.y * b;
      acc2 += a.z * b;
      acc3 += a.w * b;
    }
    workgroupBarrier();
  }
  var rows = array<vec4<f32>, 4>(acc0, acc1, acc2, acc3);
  let o0 = row0 + lid.y * 4u;
  let c0 = col0 + lid.x * 4u;
  for (var i = 0u; i < 4u; i++) {
    let o = o0 + i;
    if (o >= p.OC) { break; }
    for (var j = 0u; j < 4u; j++) {
      let c = c0 + j;
      if (c >= p.C) { break; }
      dweight[o * p.C + c] += rows[i][j];
    }
  }
}
