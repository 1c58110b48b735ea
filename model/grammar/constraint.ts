// One constrained reply: which ids the grammar allows next, what it accepted, and when it must end. The decode loop
// masks the logits with it, accepts what it chose, checks drafts against it, and, when the token limit comes close,
// follows the way to the grammar's end. Knows token ids and an XGrammar matcher, not models or text.
import type { GrammarMatcher } from "@mlc-ai/web-xgrammar";
import { wayToEnd, type WayHints } from "./way-to-end";

/** Every chosen token is checked against the way to the end once the tokens left are within the way's length plus
 *  `nearWindow`; farther away, every `farCheckEvery` tokens (a walk costs 1-2 ms, a tiny model's token 2-3 ms). The
 *  way grows by a few tokens at a time (the largest step: choosing a tool with three required arguments, ~20 tokens
 *  on a 1.5k vocabulary), so between two far checks it can not outgrow the window. */
const nearWindow = 32;
const farCheckEvery = 16;

/** How many of the model's best ids are tried one by one before the full mask is computed. */
const candidatesBeforeMask = 4;

/** The ids of the `count` highest logits, highest first, in one pass. */
function topIds(logits: Float32Array, count: number): number[] {
  const ids: number[] = [];
  for (let id = 0; id < logits.length; id++) {
    const value = logits[id]!;
    if (ids.length === count) {
      if (value <= logits[ids[count - 1]!]!) continue;
      ids.pop();
    }
    let at = ids.length;
    while (at > 0 && logits[ids[at - 1]!]! < value) at--;
    ids.splice(at, 0, id); // after equal values: ties go to the lower id, as argmax does
  }
  return ids;
}

export class GrammarConstraint {
  /** The ids allowed next, computed only when needed (a mask costs 0.1-0.3 ms; most steps only ask whether the
   *  model's own choice is allowed, which one matcher step answers); null after every accepted token. */
  private mask: Int32Array | null = null;
  /** Reused for masked logits, so sampling copies into one buffer rather than allocating a row per token. */
  private buffer: Float32Array | null = null;
  private isEnded = false;
  /** The last measured way to the end; null when the walk found none within the limit. */
  private way: number[] | null = null;
  private sinceMeasured = 0;
  /** The rest of the way once the loop must follow it. */
  private closing: number[] = [];

  private constructor(
    private readonly matcher: GrammarMatcher,
    private readonly hints: WayHints,
  ) {}

  static async start(matcher: GrammarMatcher, hints: WayHints, maxTokens: number): Promise<GrammarConstraint> {
    const constraint = new GrammarConstraint(matcher, hints);
    constraint.way = await wayToEnd(matcher, maxTokens, hints);
    if (!constraint.way) {
      matcher.dispose();
      throw new Error(`the grammar can not be completed within ${maxTokens} tokens: no way to its end that short was found (raise maxTokens or simplify the grammar)`);
    }
    await constraint.checkEnded();
    return constraint;
  }

  /** Whether the grammar takes `id` next (a stop token: whether the reply may end here). */
  allows(id: number): boolean {
    if (this.mask) return ((this.mask[id >> 5]! >>> (id & 31)) & 1) === 1;
    if (this.hints.emptyIds.has(id)) return false;
    if (!this.matcher.acceptToken(id)) return false;
    this.matcher.rollBack(1);
    return true;
  }

  /** The allowed id with the highest logit: greedy decoding under the grammar. The model's few best ids are offered
   *  to the matcher in order (a step and its rollback cost ~2 µs, a full mask 0.1-0.3 ms), and the first one it takes
   *  is the answer, since every id above it was rejected; only when none is taken is the mask computed. */
  async bestAllowed(logits: Float32Array): Promise<number> {
    if (!this.mask) for (const id of topIds(logits, candidatesBeforeMask)) if (this.allows(id)) return id;
    const mask = await this.currentMask();
    let [chosen, value] = [-1, -Infinity];
    for (let word = 0; word < mask.length; word++) {
      const bits = mask[word]!;
      if (bits === 0) continue;
      const end = Math.min(logits.length, word * 32 + 32);
      for (let id = word * 32; id < end; id++) if ((bits >>> (id & 31)) & 1 && logits[id]! > value) [chosen, value] = [id, logits[id]!];
    }
    if (chosen < 0) throw new Error("the grammar allows no token here");
    return chosen;
  }

  /** `logits` with every id the grammar rejects at -Infinity, for a sampler. The array is reused by the next call. */
  async masked(logits: Float32Array): Promise<Float32Array> {
    const mask = await this.currentMask();
    if (this.buffer?.length !== logits.length) this.buffer = new Float32Array(logits.length);
    const out = this.buffer;
    out.set(logits);
    // Word by word: most words of a mask are all allowed or all rejected.
    for (let word = 0; word < mask.length; word++) {
      const bits = mask[word]!;
      if (bits === -1) continue;
      const end = Math.min(out.length, word * 32 + 32);
      for (let id = word * 32; id < end; id++) if (((bits >>> (id & 31)) & 1) === 0) out[id] = -Infinity;
    }
    return out;
  }

  /** Nothing but a stop token may follow: the reply is complete. */
  get ended(): boolean {
    return this.isEnded;
  }

  /** The token the loop must take instead of sampling: the next one on the way to the grammar's end, once the
   *  token limit leaves no room to wander; null while the model may choose. */
  get forcedToken(): number | null {
    return this.closing[0] ?? null;
  }

  /** Accepts the chosen token. Returns false, accepting nothing, when a token the model chose would leave no way to
   *  the grammar's end within `remainingAfter` tokens: the loop then takes forcedToken instead. */
  async accept(id: number, remainingAfter: number): Promise<boolean> {
    if (!this.matcher.acceptToken(id)) throw new Error(`token ${id} was chosen although the grammar rejects it`);
    this.mask = null;
    if (this.closing.length > 0) this.closing.shift();
    else if (this.way?.[0] === id) this.way.shift(); // the model took the way's own step: the rest still leads to the end
    else if (this.way && (remainingAfter <= this.way.length + nearWindow || ++this.sinceMeasured >= farCheckEvery)) {
      this.sinceMeasured = 0;
      const way = await wayToEnd(this.matcher, remainingAfter, this.hints);
      if (way) this.way = way;
      else {
        // Take the token back and follow the way from before it, which fitted when it was last measured.
        this.matcher.rollBack(1);
        this.closing = (await wayToEnd(this.matcher, remainingAfter + 1, this.hints)) ?? [];
        if (this.closing.length > 0) return false;
        // It no longer fits (the way grew between two measurements): keep the model's token, without a guarantee.
        this.matcher.acceptToken(id);
        this.way = null;
      }
    }
    await this.checkEnded();
    return true;
  }

  /** How many leading `drafts` the grammar takes in order (the matcher is left as found). */
  acceptedPrefix(drafts: readonly number[]): number {
    let count = 0;
    while (count < drafts.length && this.matcher.acceptToken(drafts[count]!)) count++;
    if (count > 0) this.matcher.rollBack(count);
    return count;
  }

  private async currentMask(): Promise<Int32Array> {
    this.mask ??= await this.matcher.getNextTokenBitmask();
    return this.mask;
  }

  /** Ended when a stop token is allowed and nothing else is; the mask is only computed where a stop is allowed. */
  private async checkEnded(): Promise<void> {
    this.isEnded = false;
    if (!this.hints.stopTokens.some((stop) => this.allows(stop))) return;
    const mask = await this.currentMask();
    this.isEnded = true;
    for (let word = 0; word < mask.length && this.isEnded; word++) {
      const bits = mask[word]!;
      for (let bit = 0; bit < 32 && bits !== 0; bit++) if ((bits >>> bit) & 1 && !this.hints.stopTokens.includes(word * 32 + bit)) this.isEnded = false;
    }
  }

  dispose(): void {
    this.matcher.dispose();
  }
}
