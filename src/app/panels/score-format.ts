// How the rubric preview writes scores and errors.

/** At most 3 decimals, without trailing zeros (19.5, 0.333, 1). */
export function formatScore(x: number): string {
  return String(Number(x.toFixed(3)));
}

/** The message when every sample failed the same way (a syntax error), so it is shown once; else null. */
export function sharedError(errors: readonly (string | undefined)[]): string | null {
  const first = errors[0];
  return first !== undefined && errors.length > 1 && errors.every((e) => e === first) ? first : null;
}
