// The token-by-token loop after prefill: sample, check stops, stream text, feed the token back. With prompt-lookup
// speculation it feeds a drafted run of tokens with each sampled one and keeps the prefix the model agrees with,
// which is exactly what greedy decoding would have produced. With a grammar constraint, ids the grammar rejects are
// masked before sampling, drafts are cut where the grammar stops taking them, near the token limit the grammar's way
// to its end is followed, and the reply ends where the grammar does. Checks the abort signal and the deadline once
// per forward pass. Knows a feed function, not the session behind it.
import { performance } from "node:perf_hooks";
import type { GenerateEvent, GenerationStats, ParsedGenerateRequest, StopReason } from "./model";
import type { GrammarConstraint } from "./grammar/constraint";
import { draftTokens } from "./prompt-lookup";
import { argmax, makeSampler } from "./sampling";
import { TextStream } from "./text-stream";
import { remainingAfter, tokensAgreeingWith } from "./token-healing";
import type { TextTokenizer } from "./tokenizer";

export interface Cache {
  /** Feeds ids after everything fed so far; returns logits for each fed position, [ids.length, vocabulary]. */
  feed(ids: number[]): Promise<{ logits: Float32Array; vocabularySize: number }>;
  /** Forgets the last `count` fed ids (drafts the model did not agree with). */
  rollback(count: number): void;
  /** Every id whose KV is cached: the prompt and what was fed since. */
  readonly tokens: readonly number[];
}

export interface DecodeLoopInput {
  request: ParsedGenerateRequest;
  healedText: string;
  /** Next-token logits after the prompt; null when the request was cancelled during prefill. */
  firstLogits: Float32Array | null;
  tokenizer: TextTokenizer;
  stopTokens: ReadonlySet<number>;
  cache: Cache;
  signal: AbortSignal;
  started: number;
  promptStats: Pick<GenerationStats, "promptTokens" | "reusedTokens" | "prefilledTokens">;
  /** The request's grammar, started at its beginning; null when unconstrained. */
  constraint: GrammarConstraint | null;
}

type Emitted = { stop: StopReason | null; event: GenerateEvent | null };

export async function* decodeLoop(input: DecodeLoopInput): AsyncGenerator<GenerateEvent> {
  const { request, tokenizer, signal, cache, constraint } = input;
  const sample = makeSampler(request.sampling);
  const stream = new TextStream((ids) => tokenizer.decode(ids), input.healedText, request.stopStrings, (id) => tokenizer.piece(id));
  const deadline = request.deadlineMs === undefined ? Infinity : input.started + request.deadlineMs;
  const lookup = request.speculation;
  let pendingHeal = input.healedText;
  let generated = 0;
  let forwardPasses = 0;
  let forcedTokens = 0;
  let firstTokenAt: number | null = null;

  /** The model's choice among what the grammar allows, or the grammar's way to its end once the limit is close. */
  const choose = async (logits: Float32Array): Promise<number> => {
    if (!constraint) return sample(logits, pendingHeal ? tokensAgreeingWith(pendingHeal, tokenizer.textOfEveryToken()) : null);
    const remainingAfter = request.maxTokens - generated - 1;
    if (constraint.forcedToken === null) {
      const id = request.sampling.kind === "greedy" ? await constraint.bestAllowed(logits) : sample(await constraint.masked(logits), null);
      if (input.stopTokens.has(id) || (await constraint.accept(id, remainingAfter))) return id;
    }
    const forced = constraint.forcedToken!;
    await constraint.accept(forced, remainingAfter);
    forcedTokens++;
    return forced;
  };

  /** Drafts the grammar takes, in order; none while its way to the end is being followed. */
  const grammarDrafts = (drafts: number[]) => (!constraint ? drafts : constraint.forcedToken !== null ? [] : drafts.slice(0, constraint.acceptedPrefix(drafts)));

  /** One generated token through the stop checks and the text stream. */
  const emit = (id: number): Emitted => {
    if (input.stopTokens.has(id)) return { stop: "stop-token", event: null };
    if (pendingHeal) pendingHeal = remainingAfter(pendingHeal, tokenizer.textOfEveryToken()[id] ?? "");
    generated++;
    firstTokenAt ??= performance.now();
    const event: GenerateEvent = { type: "token", id, text: stream.push(id) };
    if (stream.stopped) return { stop: "stop-string", event };
    return { stop: generated >= request.maxTokens ? "max-tokens" : null, event };
  };

  let logits = input.firstLogits;
  let stopReason: StopReason = "cancelled";
  decoding: while (logits) {
    if (signal.aborted) break;
    if (performance.now() > deadline) {
      stopReason = "deadline";
      break;
    }
    const id = await choose(logits);
    const first = emit(id);
    if (first.event) yield first.event;
    if (constraint?.ended || first.stop) {
      stopReason = constraint?.ended ? "grammar-end" : first.stop!;
      break;
    }
    const drafts = lookup && !pendingHeal ? grammarDrafts(draftTokens([...cache.tokens, id], lookup.ngram, Math.min(lookup.maxDraft, request.maxTokens - generated))) : [];
    const fed = await cache.feed([id, ...drafts]);
    forwardPasses++;
    const row = (index: number) => fed.logits.subarray(index * fed.vocabularySize, (index + 1) * fed.vocabularySize);
    let accepted = 0;
    // Row i holds the prediction after [id, ...drafts[0..i-1]]: keep drafts while greedy would have chosen them
    // (among what the grammar allows) and, near the limit, while they leave a way to the grammar's end.
    const greedy = (index: number) => (constraint ? constraint.bestAllowed(row(index)) : argmax(row(index)));
    while (accepted < drafts.length && (await greedy(accepted)) === drafts[accepted]) {
      if (constraint && !(await constraint.accept(drafts[accepted]!, request.maxTokens - generated - 1))) break;
      const next = emit(drafts[accepted++]!);
      if (next.event) yield next.event;
      if (constraint?.ended || next.stop) {
        stopReason = constraint?.ended ? "grammar-end" : next.stop!;
        break decoding;
      }
    }
    cache.rollback(drafts.length - accepted);
    logits = row(accepted);
  }
  if (constraint && stopReason === "max-tokens") {
    throw new Error(`the constrained reply used all ${request.maxTokens} tokens before its grammar ended; no way to the grammar's end fits in that limit (raise maxTokens or simplify the grammar)`);
  }
  if (stopReason !== "cancelled") stream.flush();
  const ended = performance.now();
  yield {
    type: "done",
    text: stream.text,
    stats: {
      ...input.promptStats,
      generatedTokens: generated,
      forwardPasses,
      timeToFirstTokenMs: firstTokenAt === null ? null : firstTokenAt - input.started,
      tokensPerSecond: firstTokenAt !== null && generated > 1 ? ((generated - 1) * 1000) / (ended - firstTokenAt) : null,
      totalMs: ended - input.started,
      stopReason,
      ...(constraint ? { constrained: { forcedTokens } } : {}),
    },
  };
}
