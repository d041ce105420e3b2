// Copy KV-cache rows (twin of kvCacheGather in ../../cpu/kvcache.ts), to share one prefill across G samples.
//   srcK, srcV[srcRows, maxT, KVH, D]; srcRow[R] -> dstK, dstV[R, maxT, KVH, D]: row r, positions [0, T)
//   <- source row srcRow[r]. Positions >= T of the destination are left as they are; a source row outside
//   [0, srcRows) is skipped (a GPU kernel cannot throw). One invocation per copied element (len = T * KVH * D).

struct Params { R: u32, len: u32, rowSize: u32, srcRows: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> dstK: array<f32>;
@group(0) @binding(2) var<storage, read_write> dstV: array<f32>;
@group(0) @binding(3) var<storage, read> srcK: array<f32>;
@group(0) @binding(4) var<storage, read> srcV: array<f32>;
@group(0) @binding(5) var<storage, read> srcRow: array<i32>;

override WG: u32 = 64;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let e = (wid.x + wid.y * nwg.x) * WG + lid;
  if (e >= p.R * p.len) { return; }
  let r = e / p.len;
  let i = e % p.len;
  let sr = srcRow[r];
  if (sr < 0 || u32(sr) >= p.srcRows) { return; }
  let src = u32(sr) * p.rowSize + i;
  let dst = r * p.rowSize + i;
  dstK[dst] = srcK[src];
  dstV[dst] = srcV[src];
}
