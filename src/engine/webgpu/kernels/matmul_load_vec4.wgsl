// Matmul operand loader, vec4 variant (used when every operand row length is a multiple of 4).
// Binds the two input operands of a matmul kernel, A at binding 1 and B at binding 2, each a row-major
// [rows, cols] matrix (inp[N,C] and weight[OC,C] forward, dout[N,OC] with weight[OC,C] or inp[N,C] backward),
// and reads them four elements at a time: loadA/loadB(r, c, rows, cols) returns the elements [r, c..c+3]
// (c a multiple of 4) or zeros outside the matrix. matmul.ts prepends this file (or its scalar twin,
// matmul_load_scalar.wgsl) to matmul_forward.wgsl and the matmul_backward_*.wgsl kernels.
@group(0) @binding(1) var<storage, read> A: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> B: array<vec4<f32>>;

fn loadA(r: u32, c: u32, rows: u32, cols: u32) -> vec4<f32> {
  if (r >= rows || c >= cols) { return vec4<f32>(0.0); }
  return A[(r * cols + c) >> 2u];
}

fn loadB(r: u32, c: u32, rows: u32, cols: u32) -> vec4<f32> {
  if (r >= rows || c >= cols) { return vec4<f32>(0.0); }
  return B[(r * cols + c) >> 2u];
}
