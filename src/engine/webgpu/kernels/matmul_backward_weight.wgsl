// Linear layer backward, weight gradient (the TN form): dweight[OC,C] += dout[N,OC]^T @ inp[N,C]; adds into
// dweight. A = dout [N,OC] and B = inp [N,C] are bound by the loader prelude matmul.ts prepends (bindings 1
// and 2, loadA/loadB); both are contiguous along their output dimension and the reduction runs over rows N,
// so both slices are staged K-major as they lie in memory, with no transposing.
// Same register tiling as matmul_forward.wgsl: TX x TY threads, an 8x8 block each, TK-deep stages.
struct Params { N: u32, C: u32, OC: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(3) var<storage, read_write> dweight: array<f32>;

override TX: u32 = 8; // threads along C (8 columns each)
override TY: u32 = 8; // threads along OC (8 rows of dweight each)
override TK: u32 = 16; // reduction depth (rows of N) staged per step

var<workgroup> As: array<vec4<f32>, TK * TY * 2u>; // As[k * 2TY + i] = dout row k, channels 4i..4i+3 of the tile
var<workgroup> Bs: array<vec4<f32>, TK * TX * 2u>; // Bs[k * 2TX + j] = inp row k, columns 4j..4j+3 of the tile

fn store(o: u32, cA: u32, cB: u32, left: vec4<f32>, right: vec4<f32>) {
  if (o >= p.OC) { return; }
  for (var j = 0u; j < 4u; j++) {
    if (cA + j < p.C) { dweight[o * p.C + cA + j] += left[j]; }
    if (cB + j < p.C) { dweight[o * p.C + cB + j] += right[j]; }
  }
}

@compute @workgroup_size(TX, TY)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let tid = lid.y * TX + lid.x;
  let threads = TX * TY;
  let row0 = wid.y * TY * 8u; // first output channel of the tile
  let col0 = wid.x * TX * 8u; // first input column of the tile
  var acc: array<vec4<f32>, 16>; // acc[2r + h] as in matmul_forward.wgsl
  for (var k0 = 0u; k0 < p.N; k0 += TK) {
    for (var i = tid; i < TK * TY * 2u; i += threads) {
      let k = i / (TY * 2u);
      let o = (i % (TY * 2u)) * 4u;
      As[i] = loadA(k0 + k, row0 + o, p.N, p.OC);
    }
    for (var i = tid; i < TK * TX * 2u; i += threads) {
      let k = i / (TX * 2u);
      let c = (i % (TX * 2u)) * 4u;
      Bs[i] = loadB(k0 + k, col0 + c, p.N, p.C);
    }
    workgroupBarrier();
    for (var k = 0u; k < TK; k++) {
      let a0 = As[k * TY * 2u + lid.y];
      let a1 = As[k * TY * 2u + TY + lid.y];
      let b0 = Bs[k * TX * 2u + lid.x];
      let b1 = Bs[k * TX * 2u + TX + lid.x];
      acc[0] += a0.x * b0; acc[1] += a0.x * b1; acc[2] += a0.y * b0; acc[3] += a0.y * b1;
      acc[4] += a0.z * b0; acc[5] += a0.z * b1; acc[6] += a0.w * b0; acc[7] += a0.w * b1;
      acc[8] += a1.x * b0; acc[9] += a1.x * b1; acc[10] += a1.y * b0; acc[11] += a1.y * b1;
      acc[12] += a1.z * b0; acc[13] += a1.z * b1; acc[14] += a1.w * b0; acc[15] += a1.w * b1;
    }
    workgroupBarrier();
  }
  let oA = row0 + lid.y * 4u;
  let oB = row0 + (TY + lid.y) * 4u;
  let cA = col0 + lid.x * 4u;
  let cB = col0 + (TX + lid.x) * 4u;
  store(oA, cA, cB, acc[0], acc[1]);
  store(oA + 1u, cA, cB, acc[2], acc[3]);
  store(oA + 2u, cA, cB, acc[4], acc[5]);
  store(oA + 3u, cA, cB, acc[6], acc[7]);
  store(oB, cA, cB, acc[8], acc[9]);
  store(oB + 1u, cA, cB, acc[10], acc[11]);
  store(oB + 2u, cA, cB, acc[12], acc[13]);
  store(oB + 3u, cA, cB, acc[14], acc[15]);
}
