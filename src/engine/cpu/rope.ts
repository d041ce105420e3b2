// Rotary position embedding with transformers' rotate_half convention: within each head the pair is
// (x[i], x[i + D/2]), rotated by angle pos * theta^(-2i/D). cos/sin are computed in f64, then applied.
import type { FloatArray, IntArray } from '../floats.ts';

/** In place on x[N,H,D] (H heads), pos[N]: (x1, x2) <- (x1 cos - x2 sin, x2 cos + x1 sin). */
export function ropeForward(x: FloatArray, pos: IntArray, N: number, H: number, D: number, theta: number): void {
  rotate(x, pos, N, H, D, theta, 1);
}

/** In place on dx[N,H,D] (overwrites): the inverse rotation, which is the gradient of a rotation. */
export function ropeBackward(dx: FloatArray, pos: IntArray, N: number, H: number, D: number, theta: number): void {
  rotate(dx, pos, N, H, D, theta, -1);
}

function rotate(x: FloatArray, pos: IntArray, N: number, H: number, D: number, theta: number, sign: 1 | -1): void {
  if (D % 2 !== 0) throw new RangeError(`rope: head dim D must be even, got ${D}`);
  const half = D / 2;
  const invFreq = new Float64Array(half);
  for (let i = 0; i < half; i++) invFreq[i] = 1 / Math.pow(theta, (2 * i) / D);
  const cos = new Float64Array(half);
  const sin = new Float64Array(half);
  let lastPos = NaN;
  for (let n = 0; n < N; n++) {
    const p = pos[n];
    if (p !== lastPos) {
      for (let i = 0; i < half; i++) {
        const angle = p * invFreq[i];
        cos[i] = Math.cos(angle);
        sin[i] = sign * Math.sin(angle);
      }
      lastPos = p;
    }
    for (let h = 0; h < H; h++) {
      const base = (n * H + h) * D;
      for (let i = 0; i < half; i++) {
        const x1 = x[base + i];
        const x2 = x[base + half + i];
        x[base + i] = x1 * cos[i] - x2 * sin[i];
        x[base + half + i] = x2 * cos[i] + x1 * sin[i];
      }
    }
  }
}
