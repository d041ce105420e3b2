// Token embedding backward, pass 2 of 2: dwte[tokens[n], :] += dout[n, :], dout[N,C], dwte[V,C]; adds into dwte.
// One thread per (head row, channel): a head row (the first with its token, see embedding_backward_links.wgsl)
// walks the chain of rows sharing its token in increasing n, adding each dout row into a register started
// from dwte, then stores once. Each dwte element has a single writer, so no atomics are needed, and the sums
// run in the CPU twin's order (dwte + dout[n0] + dout[n1] + ...): deterministic, and equal to the CPU bit for bit.
struct Params { N: u32, C: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> tokens: array<i32>;
@group(0) @binding(2) var<storage, read> link: array<i32>;
@group(0) @binding(3) var<storage, read> dout: array<f32>;
@group(0) @binding(4) var<storage, read_write> dwte: array<f32>;

override WG: u32 = 256;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let i = (wid.y * nwg.x + wid.x) * WG + lid;
  if (i >= p.N * p.C) { return; }
  let n = i / p.C;
  if (link[p.N + n] == 0) { return; }
  let c = i % p.C;
  let dst = u32(tokens[n]) * p.C + c;
  var acc = dwte[dst];
  var m = i32(n);
  loop {
    acc += dout[u32(m) * p.C + c];
    m = link[m];
    if (m < 0) { break; }
  }
  dwte[dst] = acc;
}
