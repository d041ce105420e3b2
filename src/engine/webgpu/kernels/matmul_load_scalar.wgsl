// Matmul operand loader, scalar variant (any row length, e.g. C = 6): the same contract as
// matmul_load_vec4.wgsl (A at binding 1, B at binding 2, row-major [rows, cols]; loadA/loadB(r, c, rows, cols)
// returns the elements [r, c..c+3], zero where a column or the row falls outside the matrix), read one element
// at a time so rows need no alignment.
@group(0) @binding(1) var<storage, read> A: array<f32>;
@group(0) @binding(2) var<storage, read> B: array<f32>;

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
  var v = vec4<f32>(0.0);
  if (r < rows) {
    let base = r * cols;
    for (var j = 0u; j < 4u; j++) {
      if (c + j < cols) { v[j] = B[base + c + j]; }
    }
  }
  return v;
}
