// Token healing's constraint: while generated text has not yet covered the backed-off text, only tokens that agree
// with it may be chosen. Pure; knows token texts, not ids' meaning.

/** Ids whose text either starts with `pending` or is a non-empty prefix of it. */
export function tokensAgreeingWith(pending: string, tokenTexts: readonly string[]): Set<number> {
  const allowed = new Set<number>();
  tokenTexts.forEach((text, id) => {
    if (text.length > 0 && (text.startsWith(pending) || pending.startsWith(text))) allowed.add(id);
  });
  return allowed;
}

/** What remains to be covered after a token with text `chosen` was generated. */
export function remainingAfter(pending: string, chosen: string): string {
  return pending.startsWith(chosen) ? pending.slice(chosen.length) : "";
}
