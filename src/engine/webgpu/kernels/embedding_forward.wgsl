// Token embedding forward: out[N,C] = wte[tokens[n], :], wte[V,C]; overwrites out.
// One thread per output element, on a 2-D grid of workgroups so N*C may exceed 65535 workgroups.
// A token outside [0, V) gives a zero row (the CPU twin throws; a kernel cannot).
struct Params { N: u32, C: u32, V: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> tokens: array<i32>;
@group(0) @binding(2) var<storage, read> wte: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

override WG: u32 = 256;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let i = (wid.y * nwg.x + wid.x) * WG + lid;
  if (i >= p.N * p.C) { return; }
  let n = i / p.C;
  let c = i % p.C;
  let tok = tokens[n];
  var x = 0.0;
  if (tok >= 0 && u32(tok) < p.V) { x = wte[u32(tok) * p.C + c]; }
  out[i] = x;
}
