// Linear layer backward, input gradient (the NN form): dinp[N,C] += dout[N,OC] @ weight[OC,C]; adds into dinp.
// A = dout [N,OC] (contiguous along OC, the reduction dimension) and B = weight [OC,C] (contiguous along C,
// the output columns) are bound by the loader prelude matmul.ts prepends (bindings 1 and 2, loadA/loadB).
// Same register tiling as matmul_forward.wgsl: TX x TY threads, a 4x4 block each, TK-deep K-major stages;
// the weight slice is already K-major in memory, so it is staged without transposing.
struct Params { N: u32, C: u32, OC: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(3) var<storage, read_write> dinp: array<f32>;

override TX: u32 = 16; // threads along C (4 columns each)
override TY: u32 = 16; // threads along N (4 rows each)
override TK: u32 = 16; // reduction depth staged per step, a multiple of 4

var<workgroup> As: array<vec4<f32>, TK * TY>; // As[k * TY + i] = dout rows 4i..4i+3 of the tile at depth k
var<workgroup> Bs: array<vec4<f32>, TK * TX>; // Bs[k * TX + j] = weight row k, columns 4j..4j+3 of the tile

@compute @workgroup_size(TX, TY)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let tid = lid.y * TX + lid.x;
  let threads = TX * TY;
  let row0 = wid.y * TY * 4u;
  let col0 = wid.x * TX * 4u;
  let k4 = TK / 4u;
  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  for (var k0 = 0u; k0 < p.OC; k0 += TK) {
    for (var i = tid; i < TY * 4u * k4; i += threads) {
      let r = i / k4;
      let kk = (i % k4) * 4u;
      let v = loadA(row0 + r, k0 + kk, p.N, p.OC);
      for (var j = 0u; j < 4u; j++) { As[(kk + j) * TY + r / 4u][r % 4u] = v[j]; }
    }
    for (var i = tid; i < TK * TX; i += threads) {
      let k = i / TX;
      let c = (i % TX) * 4u;
      Bs[i] = loadB(k0 + k, col0 + c, p.OC, p.C);
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
  let n0 = row0 + lid.y * 4u;
  let c0 = col0 + lid.x * 4u;
  for (var i = 0u; i < 4u; i++) {
    let n = n0 + i;
    if (n >= p.N) { break; }
    for (var j = 0u; j < 4u; j++) {
      let c = c0 + j;
      if (c >= p.C) { break; }
      dinp[n * p.C + c] += rows[i][j];
    }
  }
}
