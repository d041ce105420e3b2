// AssemblyScript source of the CPU backend's WebAssembly SIMD GEMM (built by scripts/build-wasm.mjs into
// ../gemm-wasm.ts). C[M,N] (row stride ldc) = A[M,K] B[K,N] (+ bias[N]), or C += A B. A is read row-major
// [M,K] or, with transA, as its transpose stored [K,M]; B row-major [K,N] or, with transB, stored [N,K]. All
// addresses are byte offsets into this module's memory; the caller (../gemm.ts) copies operands in and out.
// K is cut into blocks of KC (so a B panel stays in L1 and an A block in L2): every C element is a sum of f32
// partial sums over k blocks 0, KC, 2KC, ... in order (each over its k in order, from zero), whatever its tile or
// the split of the call (threads never split K), so results do not depend on how threads cut the work.

// Register tile: 4 rows x 8 columns = 8 f32x4 accumulators (plus 2 B vectors and an A splat: 11 of 16 xmm).
const MR = 4;
const NR = 8;
/** Rows of A packed and kept warm (in L2) while every column panel of B passes over them. */
const MC = 128;
/** Depth of a k block: a B panel is NR x KC floats (8 KiB). */
const KC = 256;

/** First free byte after this module's static data (the caller's buffers start here). */
export function heapBase(): usize {
  return __heap_base;
}

// Pack rows [i0, i0+m) and columns [k0, k0+kc) of A into MR-row panels, each [kc][MR] (k-major), zero-padded
// to a multiple of MR rows.
function packA(dst: usize, a: usize, transA: bool, M: i32, K: i32, i0: i32, m: i32, k0: i32, kc: i32): void {
  for (let ip = 0; ip < m; ip += MR) {
    const p = dst + <usize>(ip * kc) * 4;
    for (let r = 0; r < MR; r++) {
      const i = i0 + ip + r;
      if (ip + r >= m) {
        for (let k = 0; k < kc; k++) store<f32>(p + <usize>(k * MR + r) * 4, 0);
      } else if (transA) {
        for (let k = 0; k < kc; k++) store<f32>(p + <usize>(k * MR + r) * 4, load<f32>(a + <usize>((k0 + k) * M + i) * 4));
      } else {
        const row = a + <usize>(i * K + k0) * 4;
        for (let k = 0; k < kc; k++) store<f32>(p + <usize>(k * MR + r) * 4, load<f32>(row + <usize>k * 4));
      }
    }
  }
}

// Pack rows [k0, k0+kc) of B into NR-column panels, each [kc][NR], zero-padded to a multiple of NR columns.
function packB(dst: usize, b: usize, transB: bool, N: i32, K: i32, k0: i32, kc: i32): void {
  for (let j0 = 0; j0 < N; j0 += NR) {
    const p = dst + <usize>(j0 * kc) * 4;
    const n = min(NR, N - j0);
    if (!transB && n == NR) {
      for (let k = 0; k < kc; k++) {
        const src = b + <usize>((k0 + k) * N + j0) * 4;
        v128.store(p + <usize>(k * NR) * 4, v128.load(src));
        v128.store(p + <usize>(k * NR) * 4 + 16, v128.load(src + 16));
      }
      continue;
    }
    for (let l = 0; l < NR; l++) {
      const j = j0 + l;
      if (l >= n) {
        for (let k = 0; k < kc; k++) store<f32>(p + <usize>(k * NR + l) * 4, 0);
      } else if (transB) {
        const row = b + <usize>(j * K + k0) * 4;
        for (let k = 0; k < kc; k++) store<f32>(p + <usize>(k * NR + l) * 4, load<f32>(row + <usize>k * 4));
      } else {
        for (let k = 0; k < kc; k++) store<f32>(p + <usize>(k * NR + l) * 4, load<f32>(b + <usize>((k0 + k) * N + j) * 4));
      }
    }
  }
}

// One 4x8 tile of C from an A panel and a B panel. mode 0: C = acc (+ bias), 1: C += acc.
function tile(ap: usize, bp: usize, K: i32, c: usize, ldc: i32, m: i32, n: i32, accumulate: bool, bias: usize, tmp: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let k = 0; k < K; k++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap);
    c00 = f32x4.add(c00, f32x4.mul(a, b0));
    c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 4);
    c10 = f32x4.add(c10, f32x4.mul(a, b0));
    c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 8);
    c20 = f32x4.add(c20, f32x4.mul(a, b0));
    c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 12);
    c30 = f32x4.add(c30, f32x4.mul(a, b0));
    c31 = f32x4.add(c31, f32x4.mul(a, b1));
    ap += MR * 4;
    bp += NR * 4;
  }
  if (bias != 0) {
    // bias holds NR floats for this tile (the caller padded it)
    const z0 = v128.load(bias);
    const z1 = v128.load(bias, 16);
    c00 = f32x4.add(c00, z0); c01 = f32x4.add(c01, z1);
    c10 = f32x4.add(c10, z0); c11 = f32x4.add(c11, z1);
    c20 = f32x4.add(c20, z0); c21 = f32x4.add(c21, z1);
    c30 = f32x4.add(c30, z0); c31 = f32x4.add(c31, z1);
  }
  const rs = <usize>ldc * 4;
  if (m == MR && n == NR) {
    if (accumulate) {
      c00 = f32x4.add(v128.load(c), c00); c01 = f32x4.add(v128.load(c, 16), c01);
      c10 = f32x4.add(v128.load(c + rs), c10); c11 = f32x4.add(v128.load(c + rs, 16), c11);
      c20 = f32x4.add(v128.load(c + 2 * rs), c20); c21 = f32x4.add(v128.load(c + 2 * rs, 16), c21);
      c30 = f32x4.add(v128.load(c + 3 * rs), c30); c31 = f32x4.add(v128.load(c + 3 * rs, 16), c31);
    }
    v128.store(c, c00); v128.store(c, c01, 16);
    v128.store(c + rs, c10); v128.store(c + rs, c11, 16);
    v128.store(c + 2 * rs, c20); v128.store(c + 2 * rs, c21, 16);
    v128.store(c + 3 * rs, c30); v128.store(c + 3 * rs, c31, 16);
    return;
  }
  // an edge tile: through a scratch tile, then only its valid part
  v128.store(tmp, c00); v128.store(tmp, c01, 16);
  v128.store(tmp, c10, 32); v128.store(tmp, c11, 48);
  v128.store(tmp, c20, 64); v128.store(tmp, c21, 80);
  v128.store(tmp, c30, 96); v128.store(tmp, c31, 112);
  for (let r = 0; r < m; r++) {
    for (let l = 0; l < n; l++) {
      const dst = c + <usize>r * rs + <usize>l * 4;
      const v = load<f32>(tmp + <usize>(r * NR + l) * 4);
      store<f32>(dst, accumulate ? load<f32>(dst) + v : v);
    }
  }
}

/** Floats of scratch gemm needs for N columns and K. */
export function gemmScratchFloats(N: i32, K: i32): i32 {
  const Np = (N + NR - 1) & ~(NR - 1);
  const kc = min(K, KC);
  return MC * kc + Np * kc + Np + MR * NR;
}

/**
 * C = A B (+ bias) or C += A B (flags: 1 transA, 2 transB, 4 accumulate). `bias` is 0 or the address of
 * N floats; `scratch` has room for gemmScratchFloats(N, K) floats.
 */
export function gemm(M: i32, N: i32, K: i32, a: usize, b: usize, c: usize, ldc: i32, bias: usize, flags: i32, scratch: usize): void {
  const transA = (flags & 1) != 0;
  const transB = (flags & 2) != 0;
  const accumulate = (flags & 4) != 0;
  const Np = (N + NR - 1) & ~(NR - 1);
  const KCm = min(K, KC);
  const bPack = scratch;
  const aPack = bPack + <usize>(Np * KCm) * 4;
  const biasPad = aPack + <usize>(MC * KCm) * 4;
  const tmp = biasPad + <usize>Np * 4;
  if (bias != 0) {
    for (let j = 0; j < Np; j++) store<f32>(biasPad + <usize>j * 4, j < N ? load<f32>(bias + <usize>j * 4) : 0);
  }
  // K = 0 still writes C (= bias or 0, or leaves it when accumulating), as an empty sum
  for (let k0 = 0; k0 < max(K, 1); k0 += KC) {
    const kc = min(KC, K - k0);
    // the first k block writes C (with the bias) unless accumulating; later ones add to it
    const add = accumulate || k0 > 0;
    packB(bPack, b, transB, N, K, k0, kc);
    for (let i0 = 0; i0 < M; i0 += MC) {
      const mb = min(MC, M - i0);
      packA(aPack, a, transA, M, K, i0, mb, k0, kc);
      for (let j0 = 0; j0 < N; j0 += NR) {
        const n = min(NR, N - j0);
        const bp = bPack + <usize>(j0 * kc) * 4;
        const bz: usize = bias != 0 && k0 == 0 ? biasPad + <usize>j0 * 4 : 0;
        for (let ip = 0; ip < mb; ip += MR) {
          const m = min(MR, mb - ip);
          const cp = c + <usize>((i0 + ip) * ldc + j0) * 4;
          tile(aPack + <usize>(ip * kc) * 4, bp, kc, cp, ldc, m, n, add, bz, tmp);
        }
      }
    }
  }
}
