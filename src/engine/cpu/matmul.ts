// Linear layer with transformers' weight layout [out, in]: out = inp @ weight^T (+ bias). The hot loop of the CPU
// backend, so it is register-tiled: 4 rows x 4 output channels per inner loop, both operands read contiguously.
// The *Range variants compute a slice of the outputs (a range of output channels, of non-zero rows, of weight
// rows) so threads can share a call (parallel.ts); a slice starting on a multiple of 4 is tiled exactly as the
// whole call would be, so every output element is the same sum in the same order.
import type { FloatArray } from '../floats.ts';

/** inp[N,C], weight[OC,C], bias[OC] or null -> out[N,OC] (overwrites). */
export function matmulForward(
  out: FloatArray,
  inp: FloatArray,
  weight: FloatArray,
  bias: FloatArray | null,
  N: number,
  C: number,
  OC: number,
): void {
  matmulForwardRange(out, inp, weight, bias, N, C, OC, 0, OC);
}

/** matmulForward for the output channels [o0, o1) only (o0 a multiple of 4, o1 one too or OC). */
export function matmulForwardRange(
  out: FloatArray,
  inp: FloatArray,
  weight: FloatArray,
  bias: FloatArray | null,
  N: number,
  C: number,
  OC: number,
  o0: number,
  o1: number,
): void {
  const N4 = N - (N & 3);
  const OC4 = o1 - ((o1 - o0) & 3);
  for (let n = 0; n < N4; n += 4) {
    const i0 = n * C;
    const i1 = i0 + C;
    const i2 = i1 + C;
    const i3 = i2 + C;
    const p0 = n * OC;
    const p1 = p0 + OC;
    const p2 = p1 + OC;
    const p3 = p2 + OC;
    let o = o0;
    for (; o < OC4; o += 4) {
      const w0 = o * C;
      const w1 = w0 + C;
      const w2 = w1 + C;
      const w3 = w2 + C;
      let a00 = 0, a01 = 0, a02 = 0, a03 = 0, a10 = 0, a11 = 0, a12 = 0, a13 = 0;
      let a20 = 0, a21 = 0, a22 = 0, a23 = 0, a30 = 0, a31 = 0, a32 = 0, a33 = 0;
      for (let c = 0; c < C; c++) {
        const y0 = weight[w0 + c];
        const y1 = weight[w1 + c];
        const y2 = weight[w2 + c];
        const y3 = weight[w3 + c];
        let x = inp[i0 + c];
        a00 += x * y0; a01 += x * y1; a02 += x * y2; a03 += x * y3;
        x = inp[i1 + c];
        a10 += x * y0; a11 += x * y1; a12 += x * y2; a13 += x * y3;
        x = inp[i2 + c];
        a20 += x * y0; a21 += x * y1; a22 += x * y2; a23 += x * y3;
        x = inp[i3 + c];
        a30 += x * y0; a31 += x * y1; a32 += x * y2; a33 += x * y3;
      }
      if (bias !== null) {
        const b0 = bias[o], b1 = bias[o + 1], b2 = bias[o + 2], b3 = bias[o + 3];
        a00 += b0; a01 += b1; a02 += b2; a03 += b3;
        a10 += b0; a11 += b1; a12 += b2; a13 += b3;
        a20 += b0; a21 += b1; a22 += b2; a23 += b3;
        a30 += b0; a31 += b1; a32 += b2; a33 += b3;
      }
      out[p0 + o] = a00; out[p0 + o + 1] = a01; out[p0 + o + 2] = a02; out[p0 + o + 3] = a03;
      out[p1 + o] = a10; out[p1 + o + 1] = a11; out[p1 + o + 2] = a12; out[p1 + o + 3] = a13;
      out[p2 + o] = a20; out[p2 + o + 1] = a21; out[p2 + o + 2] = a22; out[p2 + o + 3] = a23;
      out[p3 + o] = a30; out[p3 + o + 1] = a31; out[p3 + o + 2] = a32; out[p3 + o + 3] = a33;
    }
    // leftover output channels: 4 rows x 1 channel
    for (; o < o1; o++) {
      const w0 = o * C;
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
      for (let c = 0; c < C; c++) {
        const y = weight[w0 + c];
        a0 += inp[i0 + c] * y;
        a1 += inp[i1 + c] * y;
        a2 += inp[i2 + c] * y;
        a3 += inp[i3 + c] * y;
      }
      const b = bias !== null ? bias[o] : 0;
      out[p0 + o] = a0 + b;
      out[p1 + o] = a1 + b;
      out[p2 + o] = a2 + b;
      out[p3 + o] = a3 + b;
    }
  }
  // leftover rows: one row at a time, a 4-way unrolled dot product per output channel
  const C4 = C - (C & 3);
  for (let n = N4; n < N; n++) {
    const ip = n * C;
    const op = n * OC;
    for (let o = o0; o < o1; o++) {
      const wp = o * C;
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
      let c = 0;
      for (; c < C4; c += 4) {
        a0 += inp[ip + c] * weight[wp + c];
        a1 += inp[ip + c + 1] * weight[wp + c + 1];
        a2 += inp[ip + c + 2] * weight[wp + c + 2];
        a3 += inp[ip + c + 3] * weight[wp + c + 3];
      }
      for (; c < C; c++) a0 += inp[ip + c] * weight[wp + c];
      out[op + o] = a0 + a1 + (a2 + a3) + (bias !== null ? bias[o] : 0);
    }
  }
}

/** The rows n of dout[N,OC] with at least one non-zero entry (masked and padded rows are all zero). */
export function nonZeroRows(dout: FloatArray, N: number, OC: number): Int32Array {
  return nonZeroRowsInto(new Int32Array(N), dout, N, OC);
}

/** nonZeroRows written into `rows` (length >= N); returns the filled prefix. */
export function nonZeroRowsInto(rows: Int32Array, dout: FloatArray, N: number, OC: number): Int32Array {
  let count = 0;
  for (let n = 0; n < N; n++) {
    const p = n * OC;
    for (let o = 0; o < OC; o++) {
      if (dout[p + o] !== 0) {
        rows[count++] = n;
        break;
      }
    }
  }
  return rows.subarray(0, count);
}

/**
 * dout[N,OC], inp[N,C], weight[OC,C] -> dinp[N,C] += dout @ weight (skipped when null),
 * dweight[OC,C] += dout^T @ inp, dbias[OC] += sum_n dout (skipped when null). All-zero rows of dout are skipped.
 */
export function matmulBackward(
  dinp: FloatArray | null,
  dweight: FloatArray | null,
  dbias: FloatArray | null,
  dout: FloatArray,
  inp: FloatArray,
  weight: FloatArray,
  N: number,
  C: number,
  OC: number,
): void {
  const rows = nonZeroRows(dout, N, OC);
  if (dinp !== null) matmulBackwardInputRange(dinp, dout, weight, rows, C, OC, 0, rows.length);
  if (dweight !== null) matmulBackwardWeightRange(dweight, dbias, dout, inp, rows, C, OC, 0, OC);
}

/**
 * The dinp half of matmulBackward for the non-zero rows rows[r0..r1) (r0 a multiple of 4, r1 one too or the
 * number of rows): dinp[n,:] += sum_o dout[n,o] weight[o,:].
 */
export function matmulBackwardInputRange(
  dinp: FloatArray,
  dout: FloatArray,
  weight: FloatArray,
  rows: Int32Array,
  C: number,
  OC: number,
  r0: number,
  r1: number,
): void {
  const R4 = r1 - ((r1 - r0) & 3);
  const OC4 = OC - (OC & 3);
  // tiled 4 rows x 4 channels: per c, 4 weight loads feed 16 FMAs.
  let r = r0;
  for (; r < R4; r += 4) {
    const e0 = rows[r] * OC;
    const e1 = rows[r + 1] * OC;
    const e2 = rows[r + 2] * OC;
    const e3 = rows[r + 3] * OC;
    const i0 = rows[r] * C;
    const i1 = rows[r + 1] * C;
    const i2 = rows[r + 2] * C;
    const i3 = rows[r + 3] * C;
    let o = 0;
    for (; o < OC4; o += 4) {
      const d00 = dout[e0 + o], d01 = dout[e0 + o + 1], d02 = dout[e0 + o + 2], d03 = dout[e0 + o + 3];
      const d10 = dout[e1 + o], d11 = dout[e1 + o + 1], d12 = dout[e1 + o + 2], d13 = dout[e1 + o + 3];
      const d20 = dout[e2 + o], d21 = dout[e2 + o + 1], d22 = dout[e2 + o + 2], d23 = dout[e2 + o + 3];
      const d30 = dout[e3 + o], d31 = dout[e3 + o + 1], d32 = dout[e3 + o + 2], d33 = dout[e3 + o + 3];
      const w0 = o * C;
      const w1 = w0 + C;
      const w2 = w1 + C;
      const w3 = w2 + C;
      for (let c = 0; c < C; c++) {
        const y0 = weight[w0 + c];
        const y1 = weight[w1 + c];
        const y2 = weight[w2 + c];
        const y3 = weight[w3 + c];
        dinp[i0 + c] += d00 * y0 + d01 * y1 + d02 * y2 + d03 * y3;
        dinp[i1 + c] += d10 * y0 + d11 * y1 + d12 * y2 + d13 * y3;
        dinp[i2 + c] += d20 * y0 + d21 * y1 + d22 * y2 + d23 * y3;
        dinp[i3 + c] += d30 * y0 + d31 * y1 + d32 * y2 + d33 * y3;
      }
    }
    for (; o < OC; o++) {
      const d0 = dout[e0 + o];
      const d1 = dout[e1 + o];
      const d2 = dout[e2 + o];
      const d3 = dout[e3 + o];
      const wp = o * C;
      for (let c = 0; c < C; c++) {
        const y = weight[wp + c];
        dinp[i0 + c] += d0 * y;
        dinp[i1 + c] += d1 * y;
        dinp[i2 + c] += d2 * y;
        dinp[i3 + c] += d3 * y;
      }
    }
  }
  // leftover rows: one row at a time, skipping all-zero blocks of 4 channels and zero entries
  for (; r < r1; r++) {
    const n = rows[r];
    const ip = n * C;
    const dp = n * OC;
    let o = 0;
    for (; o < OC4; o += 4) {
      const d0 = dout[dp + o];
      const d1 = dout[dp + o + 1];
      const d2 = dout[dp + o + 2];
      const d3 = dout[dp + o + 3];
      if (d0 === 0 && d1 === 0 && d2 === 0 && d3 === 0) continue;
      const w0 = o * C;
      const w1 = w0 + C;
      const w2 = w1 + C;
      const w3 = w2 + C;
      for (let c = 0; c < C; c++) {
        dinp[ip + c] += d0 * weight[w0 + c] + d1 * weight[w1 + c] + d2 * weight[w2 + c] + d3 * weight[w3 + c];
      }
    }
    for (; o < OC; o++) {
      const d = dout[dp + o];
      if (d === 0) continue;
      const w0 = o * C;
      for (let c = 0; c < C; c++) dinp[ip + c] += d * weight[w0 + c];
    }
  }
}

/**
 * The dweight/dbias half of matmulBackward for the weight rows (output channels) [o0, o1) (o0 a multiple of 4,
 * o1 one too or OC): dweight[o,:] += sum_n dout[n,o] inp[n,:], dbias[o] += sum_n dout[n,o], over the non-zero rows.
 */
export function matmulBackwardWeightRange(
  dweight: FloatArray,
  dbias: FloatArray | null,
  dout: FloatArray,
  inp: FloatArray,
  rows: Int32Array,
  C: number,
  OC: number,
  o0: number,
  o1: number,
): void {
  const R = rows.length;
  const R4 = R - (R & 3);
  const OC4 = o1 - ((o1 - o0) & 3);
  if (dbias !== null) {
    for (let o = o0; o < o1; o++) {
      let s = 0;
      for (let r = 0; r < R; r++) s += dout[rows[r] * OC + o];
      dbias[o] += s;
    }
  }
  // tiled 4 channels x 4 rows: the 4 dweight rows stay in cache while the non-zero input rows stream past.
  let o = o0;
  for (; o < OC4; o += 4) {
    const w0 = o * C;
    const w1 = w0 + C;
    const w2 = w1 + C;
    const w3 = w2 + C;
    let r = 0;
    for (; r < R4; r += 4) {
      const n0 = rows[r];
      const n1 = rows[r + 1];
      const n2 = rows[r + 2];
      const n3 = rows[r + 3];
      const e0 = n0 * OC + o;
      const e1 = n1 * OC + o;
      const e2 = n2 * OC + o;
      const e3 = n3 * OC + o;
      const d00 = dout[e0], d01 = dout[e0 + 1], d02 = dout[e0 + 2], d03 = dout[e0 + 3];
      const d10 = dout[e1], d11 = dout[e1 + 1], d12 = dout[e1 + 2], d13 = dout[e1 + 3];
      const d20 = dout[e2], d21 = dout[e2 + 1], d22 = dout[e2 + 2], d23 = dout[e2 + 3];
      const d30 = dout[e3], d31 = dout[e3 + 1], d32 = dout[e3 + 2], d33 = dout[e3 + 3];
      const i0 = n0 * C;
      const i1 = n1 * C;
      const i2 = n2 * C;
      const i3 = n3 * C;
      for (let c = 0; c < C; c++) {
        const x0 = inp[i0 + c];
        const x1 = inp[i1 + c];
        const x2 = inp[i2 + c];
        const x3 = inp[i3 + c];
        dweight[w0 + c] += d00 * x0 + d10 * x1 + d20 * x2 + d30 * x3;
        dweight[w1 + c] += d01 * x0 + d11 * x1 + d21 * x2 + d31 * x3;
        dweight[w2 + c] += d02 * x0 + d12 * x1 + d22 * x2 + d32 * x3;
        dweight[w3 + c] += d03 * x0 + d13 * x1 + d23 * x2 + d33 * x3;
      }
    }
    for (; r < R; r++) {
      const n = rows[r];
      const e = n * OC + o;
      const d0 = dout[e], d1 = dout[e + 1], d2 = dout[e + 2], d3 = dout[e + 3];
      const ip = n * C;
      for (let c = 0; c < C; c++) {
        const x = inp[ip + c];
        dweight[w0 + c] += d0 * x;
        dweight[w1 + c] += d1 * x;
        dweight[w2 + c] += d2 * x;
        dweight[w3 + c] += d3 * x;
      }
    }
  }
  for (; o < o1; o++) {
    const wp = o * C;
    for (let r = 0; r < R; r++) {
      const n = rows[r];
      const d = dout[n * OC + o];
      if (d === 0) continue;
      const ip = n * C;
      for (let c = 0; c < C; c++) dweight[wp + c] += d * inp[ip + c];
    }
  }
}
