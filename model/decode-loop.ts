// The token-by-token loop after prefill: sample, check stops, stream text, feed the token back. Checks the abort
// signal and the deadline once per token. Knows a step function, not the session behind it.
import { performance } from "node:perf_hooks";
import type { GenerateEvent, GenerationStats, ParsedGenerateRequest, StopReason } from "./model";
import { makeSampler } from "./sampling";
import { TextStream } from "./text-stream";
import { remainingAfter, tokensAgreeingWith } from "./token-healing";
import type { TextTokenizer } from "./tokenizer";

export interface DecodeLoopInput {
  request: ParsedGenerateRequest;
  healedText: string;
  /** Next-token logits after the prompt; null when the request was cancelled during prefill. */
  firstLogits: Float32Array | null;
  tokenizer: TextTokenizer;
  stopTokens: ReadonlySet<number>;
  /** Feeds one token and returns the next-token logits. */
  step: (id: number) => Promise<Float32Array>;
  signal: AbortSignal;
  started: number;
  promptStats: Pick<GenerationStats, "promptTokens" | "reusedTokens" | "prefilledTokens">;
}

export async function* decodeLoop(input: DecodeLoopInput): AsyncGenerator<GenerateEvent> {
  const { request, tokenizer, signal } = input;
  const sample = makeSampler(request.sampling);
  const stream = new TextStream((ids) => tokenizer.decode(ids), input.healedText, request.stopStrings);
  const deadline = request.deadlineMs === undefined ? Infinity : input.started + request.deadlineMs;
  let pendingHeal = input.healedText;
  let logits = input.firstLogits;
  let generated = 0;
  let firstTokenAt: number | null = null;
  let stopReason: StopReason = "cancelled";
  while (logits) {
    if (signal.aborted) break;
    if (performance.now() > deadline) {
      stopReason = "deadline";
      break;
    }
    const allowed = pendingHeal ? tokensAgreeingWith(pendingHeal, tokenizer.textOfEveryToken()) : null;
    const id = sample(logits, allowed);
    if (input.stopTokens.has(id)) {
      stopReason = "stop-token";
      break;
    }
    if (pendingHeal) pendingHeal = remainingAfter(pendingHeal, tokenizer.textOfEveryToken()[id] ?? "");
    generated++;
    firstTokenAt ??= performance.now();
    yield { type: "token", id, text: stream.push(id) };
    if (stream.stopped || generated >= request.maxTokens) {
      stopReason = stream.stopped ? "stop-string" : "max-tokens";
      break;
    }
    logits = await input.step(id);
  }
  if (stopReason !== "cancelled") stream.flush();
  const ended = performance.now();
  const stats: GenerationStats = {
    ...input.promptStats,
    generatedTokens: generated,
    timeToFirstTokenMs: firstTokenAt === null ? null : firstTokenAt - input.started,
    tokensPerSecond: firstTokenAt !== null && generated > 1 ? ((generated - 1) * 1000) / (ended - firstTokenAt) : null,
    totalMs: ended - input.started,
    stopReason,
  };
  yield { type: "done", text: stream.text, stats };
}
