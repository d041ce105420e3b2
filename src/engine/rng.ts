// One seeded, counter-based RNG for init, data order and sampling. A value is a pure function of
// (seed, stream, counter), so any draw can be reproduced without replaying earlier ones, and a GPU kernel
// can compute the same numbers. The mixer is Chris Wellons' "lowbias32" integer hash, applied in rounds.

/** 32-bit integer hash with good avalanche (lowbias32). */
export function hash32(x: number): number {
  x = x >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** A uint32 from (seed, stream, counter). */
export function randomU32(seed: number, stream: number, counter: number): number {
  return hash32(hash32(hash32(seed ^ 0x9e3779b9) ^ stream) + Math.imul(counter, 0x85ebca6b) ^ counter);
}

/** A float in [0, 1) with 24 bits of precision, exactly representable in f32 (same on CPU and GPU). */
export function randomUniform(seed: number, stream: number, counter: number): number {
  return (randomU32(seed, stream, counter) >>> 8) / 16777216;
}

/** Named streams keep unrelated uses of one seed independent. */
export const Stream = {
  init: 1,
  data: 2,
  sample: 3,
  eval: 4,
} as const;

/** A sequential view over one (seed, stream): convenient for host-side code. */
export class Rng {
  private counter = 0;
  constructor(
    readonly seed: number,
    readonly stream: number,
  ) {}
  uniform(): number {
    return randomUniform(this.seed, this.stream, this.counter++);
  }
  u32(): number {
    return randomU32(this.seed, this.stream, this.counter++);
  }
  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }
  /** Standard normal (Box-Muller). */
  normal(): number {
    const u1 = Math.max(this.uniform(), 1e-12);
    const u2 = this.uniform();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
  /** A child RNG with its own stream, derived deterministically. */
  fork(tag: number): Rng {
    return new Rng(hash32(this.seed ^ hash32(tag + 0x1234567)), this.stream);
  }
}
