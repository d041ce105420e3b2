// SwiGLU on four lanes at a time (see ../../swiglu.ts for the formulas); the caller pads the length to a multiple
// of 4, so every element goes through the same exp4 whatever its position (thread splits keep their bits).
import { exp4 } from './exp';

/** out[i] = silu(gate[i]) up[i] for i < n (n a multiple of 4). */
export function swigluForwardWasm(out: usize, gate: usize, up: usize, n: i32): void {
  const one = f32x4.splat(1);
  for (let i = 0; i < n; i += 4) {
    const o = <usize>i * 4;
    const g = v128.load(gate + o);
    const s = f32x4.div(one, f32x4.add(one, exp4(f32x4.neg(g))));
    v128.store(out + o, f32x4.mul(f32x4.mul(g, s), v128.load(up + o)));
  }
}

/** dgate[i], dup[i] from dout[i] (overwrite), n a multiple of 4. */
export function swigluBackwardWasm(dgate: usize, dup: usize, dout: usize, gate: usize, up: usize, n: i32): void {
  const one = f32x4.splat(1);
  for (let i = 0; i < n; i += 4) {
    const o = <usize>i * 4;
    const g = v128.load(gate + o);
    const dy = v128.load(dout + o);
    const s = f32x4.div(one, f32x4.add(one, exp4(f32x4.neg(g))));
    v128.store(dup + o, f32x4.mul(f32x4.mul(dy, g), s));
    const ds = f32x4.mul(s, f32x4.add(one, f32x4.mul(g, f32x4.sub(one, s))));
    v128.store(dgate + o, f32x4.mul(f32x4.mul(dy, v128.load(up + o)), ds));
  }
}
