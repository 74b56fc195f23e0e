// Per-intent adaptive decision boundaries in the metric head's space (the ADB line of work:
// Zhang et al. 2021; Lorenc et al. 2022 with frozen USE). Each intent gets its own boundary: a
// low quantile of the cosines that its own examples reach to its direction when they were NOT in
// the training data (out-of-fold rows of the calibration rounds), so broad intents get a wide
// boundary and tight ones a narrow one. A message is scored by how far it lies inside the boundary
// of the intent it would be given; the global cut on that score is chosen like every other
// out-of-scope threshold (max pseudo out-of-scope recall within the in-scope drop budget).

/** Quantile of out-of-fold in-intent cosines that sets an intent's boundary. */
export const BOUNDARY_QUANTILE = 0.1;
/** Out-of-fold rows an intent needs before its own quantile is trusted fully (shrinkage weight). */
const SHRINK_ROWS = 10;

/**
 * Boundaries per intent from out-of-fold cosines `samples[c]` (each intent's own rows): the
 * quantile, shrunk toward the quantile over all intents when an intent has few rows.
 */
export function intentBoundaries(samples: ReadonlyArray<readonly number[]>): Float32Array {
  const all = samples.flat();
  const global = quantile(all, BOUNDARY_QUANTILE);
  return Float32Array.from(samples, (rows) => {
    if (rows.length === 0) return global;
    const w = rows.length / (rows.length + SHRINK_ROWS);
    return w * quantile(rows, BOUNDARY_QUANTILE) + (1 - w) * global;
  });
}

/** Value at quantile q by linear interpolation (0 for an empty list). */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}
