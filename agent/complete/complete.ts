// Autocomplete: context → FIM prompt → the model → post-processing. One function, plain data in and out, an
// AbortSignal for the keystroke that makes this request stale; and its warm-up, which prefills the same prompt while
// the cursor rests, before the user types. Knows the Model interface, not the engine behind it.
import { fimStopTokens, type FimFamily } from "../../model/fim";
import type { GenerationStats, Model, WarmStats } from "../../model/model";
import type { DocumentTrees } from "../context/document-trees";
import type { RecentChunks } from "../context/similar-chunks";
import type { TagIndex } from "../context/tag-index";
import { assembleContext, type AssembledContext, type CompletionInput } from "./context";
import { opensEmptyBlock } from "./multiline";
import { postprocess } from "./postprocess";
import type { PromptLayout } from "./prompt-layout";

/** The reply the editor asks for at every keystroke (extension/completion-provider.ts), and the typing benchmark
 *  replays: a line within 48 tokens, an empty block within 192. */
export const editorRequest = { maxLineTokens: 48, maxBlockTokens: 192 } as const;

export interface CompleteOptions {
  model: Model;
  index: TagIndex;
  recent: RecentChunks;
  /** Trees kept between keystrokes (the editor's open documents); omitted, each request parses afresh. */
  trees?: DocumentTrees;
  /** Cross-file snippets' order kept between keystrokes (context.ts); omitted, they are ordered by path. */
  layout?: PromptLayout;
  budgetTokens: number;
  charsPerToken: number;
  maxLineTokens: number;
  maxBlockTokens: number;
  repoName?: string;
  /** Lines of suffix after the cursor's line (context.ts); omitted, the product's default. */
  suffixLines?: number;
}

export interface Completion {
  text: string;
  multiline: boolean;
  context: AssembledContext;
  stats: GenerationStats;
  /** The model's text before post-processing, for the trace log. */
  raw: string;
}

export function familyOf(model: Model): FimFamily {
  if (model.info.family === "none") throw new Error(`${model.info.dir} has no fill-in-the-middle tokens: autocomplete needs a code model trained for FIM`);
  return model.info.family as FimFamily;
}

export async function complete(input: CompletionInput, options: CompleteOptions, signal: AbortSignal): Promise<Completion> {
  const family = familyOf(options.model);
  const multiline = await opensEmptyBlock(input.path, input.text, input.offset, options.trees);
  const context = assembleContext(input, { ...options, family });
  const stopTokens = fimStopTokens(family).flatMap((token) => options.model.info.specialTokens[token] ?? []);
  let raw = "";
  let stats: GenerationStats | undefined;
  for await (const event of options.model.generate(
    {
      prompt: context.parts,
      maxTokens: multiline ? options.maxBlockTokens : options.maxLineTokens,
      stopTokens: [...stopTokens, ...options.model.info.eosTokenIds],
      stopStrings: multiline ? ["\n\n\n"] : ["\n"],
    },
    signal,
  )) {
    if (event.type === "done") [raw, stats] = [event.text, event.stats];
  }
  return { text: stats!.stopReason === "cancelled" ? "" : postprocess(raw, context.window.suffix), multiline, context, stats: stats!, raw };
}

/** Prefills the prompt complete() would send for this input, and generates nothing: called while the cursor rests
 *  (a file opened, the cursor moved to another line), it puts the file's window in the KV cache, so the first
 *  keystroke there prefills only what follows the cursor instead of the whole prompt. The context is assembled as
 *  complete() assembles it (the same layout, so the same bytes). Null when the model has no cache to warm (a server). */
export async function warmCompletion(input: CompletionInput, options: CompleteOptions, signal: AbortSignal): Promise<{ context: AssembledContext; stats: WarmStats } | null> {
  if (!options.model.warm) return null;
  const context = assembleContext(input, { ...options, family: familyOf(options.model) });
  // Room for the longer reply, so the cache is reserved once.
  const stats = await options.model.warm({ prompt: context.parts, maxTokens: options.maxBlockTokens }, signal);
  return { context, stats };
}
