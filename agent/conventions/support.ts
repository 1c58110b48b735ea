// How strong a convention's evidence is. A file is one author's choice at one time, so its many lines are not
// independent evidence: support is counted in files. A mined convention is enforced only when the lower bound of
// the share of files that keep it (Wilson score interval, one-sided 95%) reaches 80% (statements.ts), so 7 of 7
// files is stated but not enforced, while 11 of 11 or 30 of 30 is: with few files, the next may well be the exception.
// Knows numbers only.

/** One-sided 95%. */
const z = 1.645;

/** The Wilson score interval's lower bound of the share `n` of `m`. */
export function wilsonLower(n: number, m: number): number {
  if (m === 0) return 0;
  const share = n / m;
  const z2 = z * z;
  return (share + z2 / (2 * m) - z * Math.sqrt((share * (1 - share)) / m + z2 / (4 * m * m))) / (1 + z2 / m);
}

/** Whether `keep` files that keep a convention and `break` files that do not are evidence enough for `minShare`. */
export const supported = (keep: number, broken: number, minShare: number): boolean => wilsonLower(keep, keep + broken) >= minShare;

/** The fewest files in all that support a convention at `minShare` when `broken` of them break it (none by default). */
export function filesNeeded(minShare: number, broken = 0): number {
  let keep = 1;
  while (!supported(keep, broken, minShare)) keep++;
  return keep + broken;
}
