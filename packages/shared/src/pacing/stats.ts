// Counts of bookings still to come: Poisson when the rates are known, negative binomial (a Poisson
// whose mean is itself uncertain, Gamma-distributed) when they are not.

/**
 * P(X = 0 … max) for X negative binomial with this mean and squared coefficient of variation of
 * its mean (0: Poisson). Entries may underflow to 0 when the mean is far above `max`.
 */
export function countPmf(mean: number, cv2: number, max: number): number[] {
  const pmf = new Array<number>(max + 1).fill(0);
  if (mean <= 0) {
    pmf[0] = 1;
    return pmf;
  }
  if (cv2 < 1e-9) {
    pmf[0] = Math.exp(-mean);
    for (let x = 0; x < max; x++) pmf[x + 1] = (pmf[x]! * mean) / (x + 1);
    return pmf;
  }
  const r = 1 / cv2;
  pmf[0] = Math.exp(r * Math.log(r / (r + mean)));
  const q = mean / (r + mean);
  for (let x = 0; x < max; x++) pmf[x + 1] = (pmf[x]! * (x + r) * q) / (x + 1);
  return pmf;
}

/** Distribution of min(X, cap): the pmf of X below `cap`, all the rest at `cap`. */
export function cappedPmf(mean: number, cv2: number, cap: number): number[] {
  const pmf = countPmf(mean, cv2, cap);
  const below = pmf.slice(0, cap).reduce((a, b) => a + b, 0);
  pmf[cap] = Math.max(0, 1 - below);
  return pmf;
}

/** Smallest x with P(X ≤ x) ≥ p. */
export function quantile(pmf: number[], p: number): number {
  let sum = 0;
  for (let x = 0; x < pmf.length; x++) {
    sum += pmf[x]!;
    if (sum >= p - 1e-12) return x;
  }
  return pmf.length - 1;
}
