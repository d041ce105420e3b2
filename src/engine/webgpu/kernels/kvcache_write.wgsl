// Write the k/v rows of new tokens into the KV cache (twin of kvCacheWrite in ../../cpu/kvcache.ts).
//   kNew, vNew[B, S, KVH, D]; cacheRow[B]; pos[B * S] -> kCache, vCache[rows, maxT, KVH, D]:
//   token (b, s) goes to cache row cacheRow[b] at position pos[b * S + s]. W = KVH * D.
// A GPU kernel cannot throw: tokens whose row or position falls outside the cache are skipped.
// One invocation per element of kNew.

struct Params { B: u32, S: u32, W: u32, maxT: u32, rows: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> kCache: array<f32>;
@group(0) @binding(2) var<storage, read_write> vCache: array<f32>;
@group(0) @binding(3) var<storage, read> kNew: array<f32>;
@group(0) @binding(4) var<storage, read> vNew: array<f32>;
@group(0) @binding(5) var<storage, read> cacheRow: array<i32>;
@group(0) @binding(6) var<storage, read> pos: array<i32>;

override WG: u32 = 64;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let e = (wid.x + wid.y * nwg.x) * WG + lid;
  if (e >= p.B * p.S * p.W) { return; }
  let token = e / p.W; // b * S + s
  let row = cacheRow[token / p.S];
  let t = pos[token];
  if (row < 0 || u32(row) >= p.rows || t < 0 || u32(t) >= p.maxT) { return; }
  let dst = (u32(row) * p.maxT + u32(t)) * p.W + e % p.W;
  kCache[dst] = kNew[e];
  vCache[dst] = vNew[e];
}
