// Linear layer forward (the NT form): out[N,OC] = inp[N,C] @ weight[OC,C]^T (+ bias[OC]); overwrites out.
// A = inp [N,C] and B = weight [OC,C] are bound by the loader prelude matmul.ts prepends (bindings 1 and 2,
// loadA/loadB), both contiguous along C, the reduction dimension.
// Register tiling: a workgroup of TX x TY threads owns a (4*TY rows) x (4*TX channels) tile of out; each
// thread keeps a 4x4 block of accumulators. The reduction walks C in slices TK deep: the workgroup stages
// the slice of inp and of weight in workgroup memory, transposed to K-major so the inner loop reads one vec4
// of 4 rows and one vec4 of 4 channels per k and does 16 multiply-adds.
struct Params { N: u32, C: u32, OC: u32, hasBias: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;

override TX: u32 = 16; // threads along OC (4 channels each)
override TY: u32 = 16; // threads along N (4 rows each)
override TK: u32 = 16; // reduction depth staged per step, a multiple of 4

var<workgroup> As: array<vec4<f32>, TK * TY>; // As[k * TY + i] = inp rows 4i..4i+3 of the tile at depth k
var<workgroup> Bs: array<vec4<f32>, TK * TX>; // Bs[k * TX + j] = weight rows 4j..4j+3 of the tile at depth k

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
  for (var k0 = 0u; k0 < p.C; k0 += TK) {
    // Stage: each vec4 read along C is scattered into four K-major slots.
    for (var i = tid; i < TY * 4u * k4; i += threads) {
      let r = i / k4;
      let kk = (i % k4) * 4u;
      let v = loadA(row0 + r, k0 + kk, p.N, p.C);
      for (var j = 0u; j < 4u; j++) { As[(kk + j) * TY + r / 4u][r % 4u] = v[j]; }
    }
    for (var i = tid; i < TX * 4u * k4; i += threads) {
      let r = i / k4;
      let kk = (i % k4) * 4u;
      let v = loadB(col0 + r, k0 + kk, p.OC, p.C);
      for (var j = 0u; j < 4u; j++) { Bs[(kk + j) * TX + r / 4u][r % 4u] = v[j]; }
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
  let o0 = col0 + lid.x * 4u;
  for (var i = 0u; i < 4u; i++) {
    let n = n0 + i;
    if (n >= p.N) { break; }
    for (var j = 0u; j < 4u; j++) {
      let o = o0 + j;
      if (o >= p.OC) { break; }
      var y = rows[i][j];
      if (p.hasBias != 0u) { y += bias[o]; }
      out[n * p.OC + o] = y;
    }
  }
}
