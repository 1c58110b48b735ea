// Prompt-lookup drafting for speculative decoding: a rewrite copies most of its input, so the tokens that followed
// the last few generated tokens the previous time they appeared are a good guess for what comes next. Pure; knows
// token ids only.

/** Up to `maxDraft` tokens that followed the most recent earlier occurrence of the history's last n-gram
 *  (n from `maxNgram` down to 1); empty when no n-gram recurs. */
export function draftTokens(history: readonly number[], maxNgram: number, maxDraft: number): number[] {
  for (let n = Math.min(maxNgram, history.length - 1); n >= 1; n--) {
    const tail = history.slice(history.length - n);
    // Scan backwards so the most recent match wins: it is the likeliest to continue the same way.
    for (let start = history.length - n - 1; start >= 0; start--) {
      if (tail.every((token, index) => history[start + index] === token)) {
        const draft = history.slice(start + n, start + n + maxDraft);
        if (draft.length > 0) return draft;
      }
    }
  }
  return [];
}
