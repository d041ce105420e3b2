import { describe, it } from 'vitest';
import { ropeBackward, ropeForward } from './rope.ts';
import { dotSum, expectClose, gradCheck, randn, Rng } from './testing.ts';

describe('rope', () => {
  const N = 4;
  const H = 3;
  const D = 6;
  const theta = 10000;
  const pos = new Int32Array([0, 1, 7, 300]);

  it('matches the rotate_half formula: x * cos + rotate_half(x) * sin', () => {
    const rng = new Rng(1, 5);
    const x = randn(rng, N * H * D);
    const y = x.slice();
    ropeForward(y, pos, N, H, D, theta);
    const ref = new Float64Array(x.length);
    const half = D / 2;
    for (let n = 0; n < N; n++) {
      for (let h = 0; h < H; h++) {
        const o = (n * H + h) * D;
        for (let j = 0; j < D; j++) {
          const i = j % half; // emb = cat(freqs, freqs)
          const angle = pos[n] * Math.pow(theta, -(2 * i) / D);
          const rot = j < half ? -x[o + j + half] : x[o + j - half];
          ref[o + j] = x[o + j] * Math.cos(angle) + rot * Math.sin(angle);
        }
      }
    }
    expectClose('rope', y, ref, 1e-14);
    // position 0 is the identity
    expectClose('pos 0', y.subarray(0, H * D), x.subarray(0, H * D), 0);
  });

  it('preserves the norm of every pair, and backward inverts forward', () => {
    const rng = new Rng(2, 5);
    const x = randn(rng, N * H * D);
    const y = x.slice();
    ropeForward(y, pos, N, H, D, theta);
    const half = D / 2;
    const normsX: number[] = [];
    const normsY: number[] = [];
    for (let r = 0; r < N * H; r++) {
      for (let i = 0; i < half; i++) {
        normsX.push(Math.hypot(x[r * D + i], x[r * D + i + half]));
        normsY.push(Math.hypot(y[r * D + i], y[r * D + i + half]));
      }
    }
    expectClose('pair norms', normsY, normsX, 1e-14);
    ropeBackward(y, pos, N, H, D, theta);
    expectClose('backward(forward(x))', y, x, 1e-14);
  });

  it('gradient check of dx (backward overwrites in place)', () => {
    const rng = new Rng(3, 5);
    const x = randn(rng, N * H * D);
    const R = randn(rng, N * H * D);
    const y = new Float64Array(x.length);
    const loss = () => {
      y.set(x);
      ropeForward(y, pos, N, H, D, theta);
      return dotSum(y, R);
    };
    const dx = R.slice();
    ropeBackward(dx, pos, N, H, D, theta);
    gradCheck('dx', loss, x, dx);
  });

  it('runs in f32', () => {
    const rng = new Rng(4, 5);
    const x = randn(rng, N * H * D);
    const y64 = x.slice();
    const y32 = new Float32Array(x);
    ropeForward(y64, pos, N, H, D, theta);
    ropeForward(y32, pos, N, H, D, theta);
    expectClose('f32 vs f64', y32, y64, 1e-6);
  });
});
