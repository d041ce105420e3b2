// AdamW (PyTorch's torch.optim.AdamW: decoupled weight decay, bias-corrected moments) in place over P
// elements: param, grad, m, v [P]. With the host-computed step constants
//   decay = 1 - lr*wd, stepSize = lr / (1 - beta1^t), bc2Sqrt = sqrt(1 - beta2^t), a1 = 1 - beta1, a2 = 1 - beta2:
//   m = beta1 m + a1 g;  v = beta2 v + a2 g^2;  param = param*decay - stepSize*m / (sqrt(v)/bc2Sqrt + eps).
// One thread per element on a 2-D grid of workgroups.
struct Params { len: u32, beta1: f32, beta2: f32, a1: f32, a2: f32, eps: f32, decay: f32, stepSize: f32, bc2Sqrt: f32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> grad: array<f32>;
@group(0) @binding(2) var<storage, read_write> param: array<f32>;
@group(0) @binding(3) var<storage, read_write> m: array<f32>;
@group(0) @binding(4) var<storage, read_write> v: array<f32>;

override WG: u32 = 256;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let i = (wid.y * nwg.x + wid.x) * WG + lid;
  if (i >= p.len) { return; }
  let g = grad[i];
  let mi = p.beta1 * m[i] + p.a1 * g;
  let vi = p.beta2 * v[i] + p.a2 * g * g;
  m[i] = mi;
  v[i] = vi;
  param[i] = param[i] * p.decay - (p.stepSize * mi) / (sqrt(vi) / p.bc2Sqrt + p.eps);
}
