// Log-prob forward, pass 1 of 2, per vocabulary chunk [v0, v0 + nv) (twin of logprobForward in ../../cpu/logprob.ts):
//   Z[N, nv] (the chunk's logits h W^T, from matmulForward), targets[N] -> partials[N, numSplits, 3] at splits
//   split0 + seg, and zt[n] = z[target] where the target falls in the chunk; z = Z / temperature.
// Workgroup (segment of SEG logits, row n): 64 invocations fold strided logits into an online (m, s, w): m the
// running max, s = sum exp(z - m), w = sum exp(z - m) (z - m) (entropy without cancellation); then a tree merge in
// a fixed order (deterministic). [N, V] logits never exist: a chunk is bounded scratch.

struct Params { N: u32, nv: u32, v0: u32, split0: u32, numSplits: u32, temperature: f32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> partials: array<f32>;
@group(0) @binding(2) var<storage, read_write> zt: array<f32>;
@group(0) @binding(3) var<storage, read> Z: array<f32>;
@group(0) @binding(4) var<storage, read> targets: array<i32>;

override WG: u32 = 64; // a power of two (the tree merge halves it)
override SEG: u32 = 1024;
const MASKED = -3.0e38;
var<workgroup> red: array<vec3<f32>, WG>;

/** Merge two online partials (m, s, w) (the formula of logprob_forward_merge.wgsl). */
fn combine(a: vec3<f32>, b: vec3<f32>) -> vec3<f32> {
  let m = max(a.x, b.x);
  let ea = exp(a.x - m);
  let eb = exp(b.x - m);
  return vec3(m, ea * a.y + eb * b.y, ea * (a.z + a.y * (a.x - m)) + eb * (b.z + b.y * (b.x - m)));
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let seg = wid.x;
  let n = wid.y; // uniform per workgroup
  let j0 = seg * SEG;
  let j1 = min(j0 + SEG, p.nv);
  let t = targets[n];
  var acc = vec3(MASKED, 0.0, 0.0);
  for (var j = j0 + lid; j < j1; j += WG) {
    let z = Z[n * p.nv + j] / p.temperature;
    acc = combine(acc, vec3(z, 1.0, 0.0));
    if (i32(p.v0 + j) == t) { zt[n] = z; }
  }
  red[lid] = acc;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride /= 2u) {
    if (lid < stride) { red[lid] = combine(red[lid], red[lid + stride]); }
    workgroupBarrier();
  }
  if (lid == 0u) {
    let o = (n * p.numSplits + p.split0 + seg) * 3u;
    partials[o] = red[0].x;
    partials[o + 1u] = red[0].y;
    partials[o + 2u] = red[0].z;
  }
}
