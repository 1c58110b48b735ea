// How often, in words, with fixed thresholds: every statement's adverb is computed from its own n of m, so a
// statement never says "rarely" of 51% or "often" of 2%. Knows numbers only.

/** The share's word: always (every one), almost always (95% or more), mostly (80%), usually (60%), sometimes (over
 *  20%), rarely (over 5%), almost never (over 0), never. */
export function howOften(n: number, m: number): string {
  if (m === 0 || n === 0) return "never";
  if (n === m) return "always";
  const share = n / m;
  if (share >= 0.95) return "almost always";
  if (share >= 0.8) return "mostly";
  if (share >= 0.6) return "usually";
  if (share > 0.2) return "sometimes";
  if (share > 0.05) return "rarely";
  return "almost never";
}

export const percent = (part: number, whole: number): string => `${whole === 0 ? 0 : Math.round((100 * part) / whole)}%`;
