// Matmul operand loader, half-precision weights: the same contract as matmul_load_vec4.wgsl (loadA/loadB(r, c,
// rows, cols) return the elements [r, c..c+3], zero outside the matrix), with A = float32 activations (binding 1,
// element loads, any row length) and B = a frozen weight stored as halves packed two per u32 (binding 2; element
// e in word e/2, low 16 bits first; see half.ts), unpacked here to f32. BF16 selects bfloat16 (the top half of an
// f32) or IEEE binary16 (unpack2x16float, core WGSL: no shader-f16 feature needed). Arithmetic stays f32.
@group(0) @binding(1) var<storage, read> A: array<f32>;
@group(0) @binding(2) var<storage, read> B: array<u32>;

override BF16: bool = true;

fn unpackPair(w: u32) -> vec2<f32> {
  if (BF16) { return vec2<f32>(bitcast<f32>(w << 16u), bitcast<f32>(w & 0xffff0000u)); }
  return unpack2x16float(w);
}

fn loadA(r: u32, c: u32, rows: u32, cols: u32) -> vec4<f32> {
  var v = vec4<f32>(0.0);
  if (r < rows) {
    let base = r * cols;
    for (var j = 0u; j < 4u; j++) {
      if (c + j < cols) { v[j] = A[base + c + j]; }
    }
  }
  return v;
}

fn loadB(r: u32, c: u32, rows: u32, cols: u32) -> vec4<f32> {
  if (r >= rows || c >= cols) { return vec4<f32>(0.0); }
  let e = r * cols + c;
  if ((cols & 3u) == 0u) {
    // c is a multiple of 4 in every caller, so the 4 halves are words e/2 and e/2 + 1.
    return vec4<f32>(unpackPair(B[e >> 1u]), unpackPair(B[(e >> 1u) + 1u]));
  }
  var v = vec4<f32>(0.0);
  for (var j = 0u; j < 4u; j++) {
    if (c + j < cols) {
      let i = e + j;
      v[j] = unpackPair(B[i >> 1u] >> ((i & 1u) * 16u)).x;
    }
  }
  return v;
}
