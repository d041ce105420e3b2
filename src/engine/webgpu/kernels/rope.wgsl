// Rotary position embedding in place, transformers' rotate_half convention (twin of ../../cpu/rope.ts).
//   x[N, H, D] (H heads of D dims), pos[N] (0 <= pos < 2^24), freq[D/2, 3]: the turns per position of pair i,
//   invFreq_i / (2 pi), split on the host into a + b + c with a and b of 12 significant bits each.
//   pair (x[i], x[i + D/2]) <- (x1 cos - x2 sin, x2 cos + x1 sin) with sin scaled by `sign` (+1 forward,
//   -1 backward = the inverse rotation).
// The angle pos * invFreq reaches thousands of radians, where a plain f32 product loses ~1e-3 rad. Here the
// integer position is split into 12-bit halves, so every product with a or b is exact in f32 and its whole
// turns drop out exactly (fract); the angle is then good to a few 1e-7 turns. sin/cos are polynomials on
// [-pi/4, pi/4] after a quadrant reduction, because WGSL only promises 2^-11 for the built-ins (SwiftShader's
// are that coarse). One invocation per pair.

struct Params { N: u32, H: u32, half: u32, sign: f32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> x: array<f32>;
@group(0) @binding(2) var<storage, read> pos: array<i32>;
@group(0) @binding(3) var<storage, read> freq: array<f32>;

override WG: u32 = 64;

// (cos, sin) of 2 pi r for r in [-0.5, 0.5] turns, to ~1e-7.
fn cosSinTurns(r: f32) -> vec2<f32> {
  let q = round(4.0 * r);
  let a = (r - 0.25 * q) * 6.2831853071795864; // exact subtraction; |a| <= pi/4
  let a2 = a * a;
  let s = a * (1.0 - a2 / 6.0 * (1.0 - a2 / 20.0 * (1.0 - a2 / 42.0 * (1.0 - a2 / 72.0))));
  let c = 1.0 - a2 / 2.0 * (1.0 - a2 / 12.0 * (1.0 - a2 / 30.0 * (1.0 - a2 / 56.0)));
  switch ((i32(q) + 4) % 4) {
    case 1: { return vec2<f32>(-s, c); }
    case 2: { return vec2<f32>(-c, -s); }
    case 3: { return vec2<f32>(s, -c); }
    default: { return vec2<f32>(c, s); }
  }
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let e = (wid.x + wid.y * nwg.x) * WG + lid;
  if (e >= p.N * p.H * p.half) { return; }
  let i = e % p.half;
  let row = e / p.half; // n * H + h
  let n = row / p.H;
  let pu = u32(pos[n]);
  let p1 = f32(pu >> 12u) * 4096.0; // exact: 12 significant bits times a power of two
  let p0 = f32(pu & 4095u);
  let a = freq[3u * i];
  let b = freq[3u * i + 1u];
  let c = freq[3u * i + 2u];
  var t = fract(fract(p1 * a) + fract(p1 * b));
  t = fract(t + fract(p0 * a));
  t = fract(t + fract(p0 * b));
  t = fract(t + f32(pu) * c);
  let cs_sn = cosSinTurns(t - round(t));
  let cs = cs_sn.x;
  let sn = cs_sn.y * p.sign;
  let base = row * (2u * p.half) + i;
  let x1 = x[base];
  let x2 = x[base + p.half];
  x[base] = x1 * cs - x2 * sn;
  x[base + p.half] = x2 * cs + x1 * sn;
}
