// Fused log-prob backward, step 1 of 3 per vocabulary span [v0, v0 + nv): the logits gradient of the span.
//   h[N, C], wlm[V, C], targets[N], lse[N], dlogp[N] -> G[N, S] (columns [0, nv) written, S the row stride):
//   G[n, v - v0] = a (onehot(target)[v] - exp(z - lse)), a = dlogp[n] / temperature, z = (h[n] . wlm[v]) / temperature;
//   exactly 0 where dlogp is 0 (masked tokens). Recomputes the logits tile (logprob_tile.wgsl).
// Workgroup (row tile of 32, vocabulary tile of 32).

struct Params { N: u32, C: u32, v0: u32, nv: u32, S: u32, temperature: f32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> G: array<f32>;
@group(0) @binding(2) var<storage, read> h: array<f32>;
@group(0) @binding(3) var<storage, read> wlm: array<f32>;
@group(0) @binding(4) var<storage, read> targets: array<i32>;
@group(0) @binding(5) var<storage, read> lse: array<f32>;
@group(0) @binding(6) var<storage, read> dlogp: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let n0 = wid.x * TILE;
  let j0 = wid.y * TILE; // column within the span
  let vEnd = p.v0 + p.nv;
  logitsTile(n0, p.v0 + j0, vEnd, p.N, p.C, lid);
  let tx = lid % 8u;
  let ty = lid / 8u;
  for (var i = 0u; i < 4u; i++) {
    let n = n0 + ty + 8u * i;
    if (n >= p.N) { continue; }
    let a = dlogp[n] / p.temperature;
    let l = lse[n];
    let t = targets[n];
    for (var j = 0u; j < 4u; j++) {
      let col = j0 + tx + 8u * j;
      if (col >= p.nv) { continue; }
      var g = 0.0;
      if (a != 0.0) {
        g = -a * exp(acc[i * 4u + j] / p.temperature - l);
        if (i32(p.v0 + col) == t) { g += a; }
      }
      G[n * p.S + col] = g;
    }
  }
}
