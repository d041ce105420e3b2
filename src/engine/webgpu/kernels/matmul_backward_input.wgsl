// Linear layer backward, input gradient (the NN form): dinp[N,C] += dout[N,OC] @ weight[OC,C]; adds into dinp.
// A = dout [N,OC] (contiguous along OC, the reduction dimension) and B = weight [OC,C] (contiguous along C,
// the output columns) are bound by the loader prelude matmul.ts prepends (bindings 1 and 2, loadA/loadB).
// Same register tiling as matmul_forward.wgsl: TX x TY threads, an 8x8 block each, TK-deep K-major stages;
// the weight slice is already K-major in memory, so it is staged without transposing.
struct Params { N: u32, C: u32, OC: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(3) var<storage, read_write> dinp: array<f32>;

override TX: u32 = 8; // threads along C (8 columns each)
override TY: u32 = 8; // threads along N (8 rows each)
override TK: u32 = 16; // reduction depth staged per step, a multiple of 4

var<workgroup> As: array<vec4<f32>, TK * TY * 2u>; // As[k * 2TY + i] = dout rows 4i..4i+3 of the tile, depth k
var<workgroup> Bs: array<vec4<f32>, TK * TX * 2u>; // Bs[k * 2TX + j] = weight row k, columns 4j..4j+3 of the tile

fn store(n: u32, cA: u32, cB: u32, left: vec4<f32>, right: vec4<f32>) {
  if (n >= p.N) { return; }
  for (var j = 0u; j < 4u; j++) {
    if (cA + j < p.C) { dinp[n * p.C + cA + j] += left[j]; }
    if (cB + j < p.C) { dinp[n * p.C + cB + j] += right[j]; }
  }
}

@compute @workgroup_size(TX, TY)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let tid = lid.y * TX + lid.x;
  let threads = TX * TY;
  let row0 = wid.y * TY * 8u;
  let col0 = wid.x * TX * 8u;
  let k4 = TK / 4u;
  var acc: array<vec4<f32>, 16>; // acc[2r + h] as in matmul_forward.wgsl
  for (var k0 = 0u; k0 < p.OC; k0 += TK) {
    for (var i = tid; i < TY * 8u * k4; i += threads) {
      let r = i / k4;
      let kk = (i % k4) * 4u;
      let v = loadA(row0 + r, k0 + kk, p.N, p.OC);
      for (var j = 0u; j < 4u; j++) { As[(kk + j) * TY * 2u + r / 4u][r % 4u] = v[j]; }
    }
    for (var i = tid; i < TK * TX * 2u; i += threads) {
      let k = i / (TX * 2u);
      let c = (i % (TX * 2u)) * 4u;
      Bs[i] = loadB(k0 + k, col0 + c, p.OC, p.C);
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
  let cA = col0 + lid.x * 4u;
  let cB = col0 + (TX + lid.x) * 4u;
  store(nA, cA, cB, acc[0], acc[1]);
  store(nA + 1u, cA, cB, acc[2], acc[3]);
  store(nA + 2u, cA, cB, acc[4], acc[5]);
  store(nA + 3u, cA, cB, acc[6], acc[7]);
  store(nB, cA, cB, acc[8], acc[9]);
  store(nB + 1u, cA, cB, acc[10], acc[11]);
  store(nB + 2u, cA, cB, acc[12], acc[13]);
  store(nB + 3u, cA, cB, acc[14], acc[15]);
}
