// Linear layer forward (the NT form): out[N,OC] = inp[N,C] @ weight[OC,C]^T (+ bias[OC]); overwrites out.
// A = inp [N,C] and B = weight [OC,C] are bound by the loader prelude matmul.ts prepends (bindings 1 and 2,
// loadA/loadB), both contiguous along C, the reduction dimension.
// Register tiling: a workgroup of TX x TY threads owns an (8*TY rows) x (8*TX channels) tile of out; each
// thread keeps an 8x8 block of accumulators: rows 4ty..4ty+3 and 4(ty+TY)..+3, channels 4tx..4tx+3 and
// 4(tx+TX)..+3 (split so neighbouring threads read neighbouring vec4s of workgroup memory). The reduction
// walks C in slices TK deep: the workgroup stages the slice of inp and of weight in workgroup memory,
// transposed to K-major, so per k a thread reads 2 vec4 of rows and 2 vec4 of channels for 64 multiply-adds.
struct Params { N: u32, C: u32, OC: u32, hasBias: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;

override TX: u32 = 8; // threads along OC (8 channels each)
override TY: u32 = 8; // threads along N (8 rows each)
override TK: u32 = 16; // reduction depth staged per step, a multiple of 4

var<workgroup> As: array<vec4<f32>, TK * TY * 2u>; // As[k * 2TY + i] = inp rows 4i..4i+3 of the tile, depth k
var<workgroup> Bs: array<vec4<f32>, TK * TX * 2u>; // Bs[k * 2TX + j] = weight rows 4j..4j+3 of the tile, depth k

fn store(n: u32, oA: u32, oB: u32, left: vec4<f32>, right: vec4<f32>) {
  if (n >= p.N) { return; }
  for (var j = 0u; j < 4u; j++) {
    var y = left[j];
    var z = right[j];
    if (p.hasBias != 0u) {
      if (oA + j < p.OC) { y += bias[oA + j]; }
      if (oB + j < p.OC) { z += bias[oB + j]; }
    }
    if (oA + j < p.OC) { out[n * p.OC + oA + j] = y; }
    if (oB + j < p.OC) { out[n * p.OC + oB + j] = z; }
  }
}

@compute @workgroup_size(TX, TY)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let tid = lid.y * TX + lid.x;
  let threads = TX * TY;
  let row0 = wid.y * TY * 8u;
  let col0 = wid.x * TX * 8u;
  let k4 = TK / 4u;
  // acc[2r + h]: row r of the thread's 8 (r < 4 from the first block, r >= 4 from the second), half h of its channels
  var acc: array<vec4<f32>, 16>;
  for (var k0 = 0u; k0 < p.C; k0 += TK) {
    // Stage: each vec4 read along C is scattered into four K-major slots.
    for (var i = tid; i < TY * 8u * k4; i += threads) {
      let r = i / k4;
      let kk = (i % k4) * 4u;
      let v = loadA(row0 + r, k0 + kk, p.N, p.C);
      for (var j = 0u; j < 4u; j++) { As[(kk + j) * TY * 2u + r / 4u][r % 4u] = v[j]; }
    }
    for (var i = tid; i < TX * 8u * k4; i += threads) {
      let r = i / k4;
      let kk = (i % k4) * 4u;
      let v = loadB(col0 + r, k0 + kk, p.OC, p.C);
      for (var j = 0u; j < 4u; j++) { Bs[(kk + j) * TX * 2u + r / 4u][r % 4u] = v[j]; }
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
  let nA = row0 + lid.y * 4u;
  let nB = row0 + (TY + lid.y) * 4u;
  let oA = col0 + lid.x * 4u;
  let oB = col0 + (TX + lid.x) * 4u;
  store(nA, oA, oB, acc[0], acc[1]);
  store(nA + 1u, oA, oB, acc[2], acc[3]);
  store(nA + 2u, oA, oB, acc[4], acc[5]);
  store(nA + 3u, oA, oB, acc[6], acc[7]);
  store(nB, oA, oB, acc[8], acc[9]);
  store(nB + 1u, oA, oB, acc[10], acc[11]);
  store(nB + 2u, oA, oB, acc[12], acc[13]);
  store(nB + 3u, oA, oB, acc[14], acc[15]);
}
