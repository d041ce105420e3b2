// Fused log-prob backward, steps 2 and 3 per vocabulary span: out[M, C] (at element offset oOff) += A B with
//   A(i, k) = a[i * aRow + k * aCol] (M x K), B(k, c) = b[bOff + k * C + c] (K x C).
//   step 2: dh[N, C] += G[N, nv] wlm[v0 : v0 + nv]   (A = G, aRow = S, aCol = 1)
//   step 3: dwlm[v0 : v0 + nv] += G^T h              (A = G^T, aRow = 1, aCol = S; K = N)
// Workgroup: a 32 x 32 output tile, 64 invocations with a 4 x 4 register tile each, K through workgroup
// memory 16 at a time in a fixed order, so the reduction over N (step 3) is deterministic without atomics.

struct Params { M: u32, K: u32, C: u32, aRow: u32, aCol: u32, bOff: u32, oOff: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> a: array<f32>;
@group(0) @binding(3) var<storage, read> b: array<f32>;

override WG: u32 = 64; // 8 x 8 invocations: the 4 x 4 register tiles below assume exactly 64
const TILE = 32u;
const TILE_K = 16u;
var<workgroup> aTile: array<f32, 512>; // [32 rows][16 k]
var<workgroup> bTile: array<f32, 512>; // [16 k][32 cols]

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let c0 = wid.x * TILE;
  let i0 = wid.y * TILE;
  let tx = lid % 8u;
  let ty = lid / 8u;
  var acc: array<f32, 16>;
  for (var k0 = 0u; k0 < p.K; k0 += TILE_K) {
    for (var e = lid; e < TILE * TILE_K; e += WG) {
      // walk A along whichever index is contiguous in memory
      var r = e / TILE_K;
      var kk = e % TILE_K;
      if (p.aCol != 1u) {
        r = e % TILE;
        kk = e / TILE;
      }
      var x = 0.0;
      if (i0 + r < p.M && k0 + kk < p.K) { x = a[(i0 + r) * p.aRow + (k0 + kk) * p.aCol]; }
      aTile[r * TILE_K + kk] = x;
      let bk = e / TILE;
      let bc = e % TILE;
      var y = 0.0;
      if (k0 + bk < p.K && c0 + bc < p.C) { y = b[p.bOff + (k0 + bk) * p.C + c0 + bc]; }
      bTile[bk * TILE + bc] = y;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < TILE_K; kk++) {
      var av: array<f32, 4>;
      var bv: array<f32, 4>;
      for (var i = 0u; i < 4u; i++) {
        av[i] = aTile[(ty + 8u * i) * TILE_K + kk];
        bv[i] = bTile[kk * TILE + tx + 8u * i];
      }
      for (var i = 0u; i < 4u; i++) {
        for (var j = 0u; j < 4u; j++) { acc[i * 4u + j] += av[i] * bv[j]; }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < 4u; i++) {
    let row = i0 + ty + 8u * i;
    for (var j = 0u; j < 4u; j++) {
      let col = c0 + tx + 8u * j;
      if (row < p.M && col < p.C) {
        let o = p.oOff + row * p.C + col;
        out[o] = out[o] + acc[i * 4u + j];
      }
    }
  }
}
