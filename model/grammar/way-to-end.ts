// A short way from a matcher's state to the grammar's end, so a constrained reply can always be finished within its
// token limit: when the limit comes close, the decode loop follows this way instead of the model. It is a greedy
// walk, not a proven shortest path: forced text first (XGrammar's jump-forward string), then a closing text
// that makes progress (one that can not simply repeat, like `"` ending a string, "`" opening a fence after free
// text, or "\n```" closing a fenced block), then any closing text the grammar takes, then the lowest id it allows. The matcher is left as found.
// Knows XGrammar's matcher and token ids, not models.
import type { GrammarMatcher } from "@mlc-ai/web-xgrammar";

export interface WayHints {
  stopTokens: readonly number[];
  /** The first token of `text` as the tokenizer would write it. */
  firstToken(text: string): number | undefined;
  /** Short texts worth trying to close a structure, best first, each as the tokenizer writes it. */
  closers: readonly (readonly number[])[];
  /** Ids with no text (padding past the tokenizer): XGrammar never takes them and warns on stderr when offered
   *  one, so they are refused without asking it. */
  emptyIds: ReadonlySet<number>;
}

/** The ids of the way, at most `limit` long; null when the walk finds no end within it. */
export async function wayToEnd(matcher: GrammarMatcher, limit: number, hints: WayHints): Promise<number[] | null> {
  const way: number[] = [];
  try {
    for (;;) {
      // Forced text means the grammar can not end here, which spares trying the stop tokens.
      const forced = matcher.findJumpForwardString();
      if (!forced && canStop(matcher, hints.stopTokens)) return way;
      if (way.length >= limit) return null;
      const next = await nextStep(matcher, forced, hints);
      way.push(...(next ?? []));
      if (next === undefined || way.length > limit) return null;
    }
  } finally {
    // Only accepted tokens were pushed: rolling back more than were accepted aborts the WebAssembly module.
    if (way.length > 0) matcher.rollBack(way.length);
  }
}

/** Accepts and returns the next tokens of the way: one token, or a closing text's tokens. */
async function nextStep(matcher: GrammarMatcher, forced: string, hints: WayHints): Promise<number[] | undefined> {
  const forcedToken = forced ? hints.firstToken(forced) : undefined;
  if (forcedToken !== undefined && matcher.acceptToken(forcedToken)) return [forcedToken];
  for (const closer of hints.closers) {
    if (!acceptAll(matcher, closer)) continue;
    if (madeProgress(matcher, closer, hints.stopTokens)) return [...closer];
    matcher.rollBack(closer.length);
  }
  for (const closer of hints.closers) if (acceptAll(matcher, closer)) return [...closer];
  const mask = await matcher.getNextTokenBitmask();
  for (let word = 0; word < mask.length; word++) {
    for (let bit = 0; bit < 32 && mask[word] !== 0; bit++) {
      const id = word * 32 + bit;
      if ((mask[word]! >>> bit) & 1 && !hints.stopTokens.includes(id) && matcher.acceptToken(id)) return [id];
    }
  }
  return undefined;
}

/** Accepts all of `ids` or, rolling back what it took, none. */
function acceptAll(matcher: GrammarMatcher, ids: readonly number[]): boolean {
  for (let taken = 0; taken < ids.length; taken++) {
    if (matcher.acceptToken(ids[taken]!)) continue;
    if (taken > 0) matcher.rollBack(taken);
    return false;
  }
  return true;
}

/** After `closer`: the grammar can end, text is now forced, or the same text is no longer allowed. */
function madeProgress(matcher: GrammarMatcher, closer: readonly number[], stopTokens: readonly number[]): boolean {
  if (matcher.findJumpForwardString() !== "" || canStop(matcher, stopTokens)) return true;
  if (!acceptAll(matcher, closer)) return true;
  matcher.rollBack(closer.length);
  return false;
}

function canStop(matcher: GrammarMatcher, stopTokens: readonly number[]): boolean {
  for (const stop of stopTokens) {
    if (matcher.acceptToken(stop)) {
      matcher.rollBack(1);
      return true;
    }
  }
  return false;
}
