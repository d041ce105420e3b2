// Fused LM head + log-softmax + gather, pass 1 of 2 (twin of logprobForward in ../../cpu/logprob.ts).
//   h[N, C], wlm[V, C], targets[N] -> partials[N, numSplits, 3], zt[N], with z = (h[n] . wlm[v]) / temperature.
// Workgroup (row tile of 32, vocabulary split): it walks its split 32 vocabulary rows at a time, computing a
// 32 x 32 logits tile (logprob_tile.wgsl), and one invocation per row folds the tile into an online
// (m, s, w): m the running max, s = sum exp(z - m), w = sum exp(z - m) (z - m) (entropy without cancellation).
// The tile holding a row's target writes z[target] to zt. [N, V] logits never exist.

struct Params { N: u32, C: u32, V: u32, splitLen: u32, numSplits: u32, temperature: f32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> partials: array<f32>;
@group(0) @binding(2) var<storage, read_write> zt: array<f32>;
@group(0) @binding(3) var<storage, read> h: array<f32>;
@group(0) @binding(4) var<storage, read> wlm: array<f32>;
@group(0) @binding(5) var<storage, read> targets: array<i32>;

const MASKED = -3.0e38;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let n0 = wid.x * TILE;
  let split = wid.y;
  let vStart = split * p.splitLen;
  let vEnd = min(vStart + p.splitLen, p.V);
  let tx = lid % 8u;
  let ty = lid / 8u;
  let n = n0 + lid; // the row this invocation folds (lid < 32)
  var tgt = -1;
  if (lid < TILE && n < p.N) { tgt = targets[n]; }
  var m = MASKED;
  var s = 0.0;
  var w = 0.0;
  for (var v0 = vStart; v0 < vEnd; v0 += TILE) {
    logitsTile(n0, v0, vEnd, p.N, p.C, lid);
    for (var i = 0u; i < 4u; i++) {
      for (var j = 0u; j < 4u; j++) { tile[(ty + 8u * i) * TILE + tx + 8u * j] = acc[i * 4u + j] / p.temperature; }
    }
    workgroupBarrier();
    if (lid < TILE) {
      let nv = min(TILE, vEnd - v0);
      var cmax = MASKED;
      for (var j = 0u; j < nv; j++) { cmax = max(cmax, tile[lid * TILE + j]); }
      let mNew = max(m, cmax);
      let alpha = exp(m - mNew);
      w = alpha * (w + s * (m - mNew));
      s *= alpha;
      for (var j = 0u; j < nv; j++) {
        let d = tile[lid * TILE + j] - mNew;
        let e = exp(d);
        s += e;
        w += e * d;
      }
      m = mNew;
      let tj = tgt - i32(v0);
      if (tj >= 0 && tj < i32(nv)) { zt[n] = tile[lid * TILE + u32(tj)]; }
    }
    workgroupBarrier();
  }
  if (lid < TILE && n < p.N) {
    let o = (n * p.numSplits + split) * 3u;
    partials[o] = m;
    partials[o + 1u] = s;
    partials[o + 2u] = w;
  }
}
