// Exponential moving average as TensorBoard draws it: s_t = w * s_{t-1} + (1 - w) * x_t starting from 0,
// divided by (1 - w^n) where n counts the points so far, so the start is not dragged towards zero
// (the same debiasing as Adam's moment estimates). Non-finite values pass through and are not counted.

/** Smooths `values` with weight `w` in [0, 1): 0 returns the values unchanged. */
export function emaSmooth(values: readonly number[], w: number): number[] {
  if (!(w > 0)) return [...values];
  let last = 0;
  let n = 0;
  return values.map((x) => {
    if (!Number.isFinite(x)) return x;
    last = last * w + (1 - w) * x;
    n += 1;
    const debias = 1 - w ** n;
    return debias > 0 ? last / debias : x;
  });
}
