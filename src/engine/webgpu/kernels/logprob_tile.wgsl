// Shared by logprob_forward.wgsl and logprob_backward_grad.wgsl (prepended to each): one 32 x 32 tile of
// logits dot products, acc[i * 4 + j] = h[n0 + ty + 8 i] . wlm[v0 + tx + 8 j] (tx = lid % 8, ty = lid / 8),
//   h[N, C], wlm[V, C]; vocabulary rows >= vEnd and hidden rows >= N read as 0.
// WG = 64 invocations (8 x 8), each a 4 x 4 register tile; C goes through workgroup memory 16 at a time.
// The kernel it is prepended to declares the bindings `h` and `wlm`. `tile` is free for the caller's own use once logitsTile returns.

override WG: u32 = 64; // 8 x 8 invocations: the 4 x 4 register tiles below assume exactly 64
const TILE = 32u;
const TILE_K = 16u;
var<workgroup> tile: array<f32, 1024>; // [0, 512): h block [32][16]; [512, 1024): wlm block [32][16]
var<private> acc: array<f32, 16>;

fn logitsTile(n0: u32, v0: u32, vEnd: u32, N: u32, C: u32, lid: u32) {
  let tx = lid % 8u;
  let ty = lid / 8u;
  for (var i = 0u; i < 16u; i++) { acc[i] = 0.0; }
  for (var c0 = 0u; c0 < C; c0 += TILE_K) {
    for (var e = lid; e < TILE * TILE_K; e += WG) {
      let r = e / TILE_K;
      let c = c0 + e % TILE_K;
      var hx = 0.0;
      var wx = 0.0;
      if (n0 + r < N && c < C) { hx = h[(n0 + r) * C + c]; }
      if (v0 + r < vEnd && c < C) { wx = wlm[(v0 + r) * C + c]; }
      tile[e] = hx;
      tile[512u + e] = wx;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < TILE_K; kk++) {
      var a: array<f32, 4>;
      var b: array<f32, 4>;
      for (var i = 0u; i < 4u; i++) {
        a[i] = tile[(ty + 8u * i) * TILE_K + kk];
        b[i] = tile[512u + (tx + 8u * i) * TILE_K + kk];
      }
      for (var i = 0u; i < 4u; i++) {
        for (var j = 0u; j < 4u; j++) { acc[i * 4u + j] += a[i] * b[j]; }
      }
    }
    workgroupBarrier();
  }
}
