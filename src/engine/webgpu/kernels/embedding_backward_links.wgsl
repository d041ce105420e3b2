// Token embedding backward, pass 1 of 2: link the rows that share a token. For tokens[N] (token ids < V),
// writes link[n] = the next row n' > n with tokens[n'] == tokens[n] (or -1), and head[n] = 1 when n is the
// first row with its token (0 otherwise). One thread per row, scanning the token list: O(N^2) integer
// compares, no floats, no atomics. Rows with a token outside [0, V) are never heads, so they are skipped.
struct Params { N: u32, V: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> tokens: array<i32>;
@group(0) @binding(2) var<storage, read_write> link: array<i32>; // [2N]: next row at n, head flag at N + n

override WG: u32 = 64;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let n = (wid.y * nwg.x + wid.x) * WG + lid;
  if (n >= p.N) { return; }
  let tok = tokens[n];
  var head = 1;
  if (tok < 0 || u32(tok) >= p.V) { head = 0; }
  for (var m = 0u; m < n && head == 1; m++) {
    if (tokens[m] == tok) { head = 0; }
  }
  var next = -1;
  for (var m = n + 1u; m < p.N; m++) {
    if (tokens[m] == tok) { next = i32(m); break; }
  }
  link[n] = next;
  link[p.N + n] = head;
}
