// One decode step of attention over the KV cache (twin of decodeAttention in ../../cpu/kvcache.ts).
//   q[B, NH, D]; kCache, vCache[rows, maxT, KVH, D]; len[B] -> out[B, NH, D] (overwritten):
//   query (b, h) attends to cache row b, kv head h / (NH / KVH), positions [0, len[b]) (len clamped to
//   [0, maxT]; zeros when 0). Scale 1/sqrt(D).
// One workgroup per (b, h). Keys go through in blocks of WG: each invocation scores one key and, once the
// block max is known, turns it into a probability; every invocation then reads the block's probabilities
// (same order everywhere) to update the running sum and accumulate its dims d = lid, lid + WG, ... of the
// output. Deterministic.

struct Params { NH: u32, KVH: u32, D: u32, maxT: u32, scale: f32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> q: array<f32>;
@group(0) @binding(3) var<storage, read> kCache: array<f32>;
@group(0) @binding(4) var<storage, read> vCache: array<f32>;
@group(0) @binding(5) var<storage, read> len: array<i32>;

override WG: u32 = 64;
const MAX_DIMS = 4u; // output dims per invocation: D <= MAX_DIMS * WG
const MASKED = -3.0e38;

var<workgroup> qs: array<f32, MAX_DIMS * WG>;
var<workgroup> ss: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let h = wid.x;
  let b = wid.y;
  let D = p.D;
  let W = p.KVH * D;
  let L = u32(clamp(len[b], 0, i32(p.maxT)));
  let kvOff = b * p.maxT * W + (h / (p.NH / p.KVH)) * D;
  let qOff = (b * p.NH + h) * D;
  for (var d = lid; d < D; d += WG) { qs[d] = q[qOff + d]; }
  var acc: array<f32, MAX_DIMS>;
  var m = MASKED;
  var l = 0.0;
  for (var s0 = 0u; s0 < L; s0 += WG) {
    workgroupBarrier(); // qs written; the previous block's scores read by everyone
    let s = s0 + lid;
    var score = MASKED;
    if (s < L) {
      var dot = 0.0;
      let ko = kvOff + s * W;
      for (var d = 0u; d < D; d++) { dot += qs[d] * kCache[ko + d]; }
      score = dot * p.scale;
    }
    ss[lid] = score;
    workgroupBarrier();
    let n = min(WG, L - s0);
    var bmax = MASKED;
    for (var j = 0u; j < n; j++) { bmax = max(bmax, ss[j]); }
    let mNew = max(m, bmax); // real: every block holds at least one key
    let alpha = exp(m - mNew);
    workgroupBarrier(); // everyone has read the scores
    ss[lid] = exp(score - mNew); // 0 past L
    workgroupBarrier();
    l *= alpha;
    for (var r = 0u; r < MAX_DIMS; r++) { acc[r] *= alpha; }
    for (var j = 0u; j < n; j++) {
      let pj = ss[j];
      l += pj;
      let vo = kvOff + (s0 + j) * W;
      for (var r = 0u; r < MAX_DIMS; r++) {
        let d = lid + r * WG;
        if (d < D) { acc[r] += pj * vCache[vo + d]; }
      }
    }
    m = mNew;
  }
  for (var r = 0u; r < MAX_DIMS; r++) {
    let d = lid + r * WG;
    if (d < D) { out[qOff + d] = select(0.0, acc[r] / l, L > 0u); }
  }
}
