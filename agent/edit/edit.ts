// Edit in place: rewrite a region of a file as instructed, streamed, and return the result as a change set for
// review. The reply is constrained to one fenced block (reply-format.ts). Prompt-lookup speculation makes the
// copy-heavy rewrite cheap; its output equals plain greedy decoding, constrained or not.
// Plain data in and out; knows the Model interface and diffing/, not VS Code.
import { diffFile, type FileDiff } from "../../diffing/change-set";
import type { GenerationStats, Model } from "../../model/model";
import { editMessages, extractRewrite } from "./prompt";
import { rewriteGrammar } from "./reply-format";
import type { EditTarget } from "./target";

export interface EditRequest {
  path: string;
  /** The file's exact bytes now (the change set keeps them, so apply can detect later changes). */
  original: Uint8Array;
  text: string;
  target: EditTarget;
  instruction: string;
  conventions?: string;
  maxTokens?: number;
}

export type EditOutcome =
  | { kind: "proposed"; diff: FileDiff; rewrite: string; stats: GenerationStats }
  | { kind: "unchanged"; stats: GenerationStats }
  | { kind: "cancelled" }
  | { kind: "refused"; reason: string };

export async function editInPlace(model: Model, request: EditRequest, signal: AbortSignal, onText: (delta: string) => void = () => {}): Promise<EditOutcome> {
  let reply = "";
  let stats: GenerationStats | undefined;
  for await (const event of model.generate(
    {
      messages: editMessages(request),
      maxTokens: request.maxTokens ?? Math.max(256, Math.ceil(request.target.text.length / 2)),
      // One fenced block and nothing after it: the reply ends at its closing fence, so no stop strings.
      grammar: rewriteGrammar,
      speculation: { maxDraft: 8, ngram: 3 },
    },
    signal,
  )) {
    if (event.type === "token") onText(event.text);
    else [reply, stats] = [event.text, event.stats];
  }
  if (stats!.stopReason === "cancelled") return { kind: "cancelled" };
  const rewrite = extractRewrite(reply, request.target);
  const proposed = request.text.slice(0, request.target.start) + rewrite + request.text.slice(request.target.end);
  const diff = diffFile({ path: request.path, original: request.original, proposed });
  if ("reason" in diff) return { kind: "refused", reason: diff.reason };
  return diff.hunks.length === 0 ? { kind: "unchanged", stats: stats! } : { kind: "proposed", diff, rewrite, stats: stats! };
}
