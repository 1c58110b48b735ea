// The Model interface that the rest of Ghost talks to, whether the engine runs in this process or in the worker.
// Requests and events are plain data (they cross a process boundary), validated with zod where they arrive.
import { z } from "zod";
import { grammarSchema } from "./grammar/grammar";
import { promptPartSchema } from "./prompt";

export const samplingSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("greedy") }),
  z.object({
    kind: z.literal("sample"),
    temperature: z.number().positive(),
    topP: z.number().gt(0).max(1),
    seed: z.number().int(),
  }),
]);

export const chatMessageSchema = z.object({ role: z.enum(["system", "user", "assistant", "tool"]), content: z.string() });

export const generateRequestSchema = z.object({
  /** A raw prompt (FIM, or text the caller built), or `messages`: a chat that the backend renders with the model's
   *  own template and ends with the generation prompt (a server renders it itself, /v1/chat/completions). */
  prompt: z.array(promptPartSchema).min(1).optional(),
  messages: z.array(chatMessageSchema).min(1).optional(),
  maxTokens: z.number().int().positive(),
  sampling: samplingSchema.default({ kind: "greedy" }),
  /** Defaults to the model's end-of-sequence ids from generation_config.json. */
  stopTokens: z.array(z.number().int()).optional(),
  stopStrings: z.array(z.string().min(1)).default([]),
  /** Milliseconds from the start of the request after which generation ends with what it has. */
  deadlineMs: z.number().positive().optional(),
  /** Prompt-lookup speculative decoding (greedy only): drafts up to maxDraft tokens from the prompt after a matching
   *  n-gram and verifies them in one forward pass. The output is identical to plain greedy decoding. */
  speculation: z.object({ maxDraft: z.number().int().positive().max(64), ngram: z.number().int().positive().max(8) }).optional(),
  /** Constrained decoding: every token keeps the reply a prefix of the grammar's language, and generation ends where
   *  the grammar does (stop reason "grammar-end"). When the token limit comes close, the reply is finished by the
   *  shortest way Ghost finds; a grammar that can not be finished within maxTokens ends with an error. */
  grammar: grammarSchema.optional(),
})
  .refine((request) => (request.prompt === undefined) !== (request.messages === undefined), {
    message: "a request takes either a prompt or chat messages, exactly one of them",
  })
  .refine((request) => !request.speculation || request.sampling.kind === "greedy", {
    message: "speculation is only for greedy decoding: sampled output would not be reproducible token for token",
  })
  .refine((request) => !request.grammar || request.stopStrings.length === 0, {
    message: "a constrained request takes no stop strings: the grammar decides where the reply ends",
  })
  .refine((request) => !request.grammar || !(request.prompt ?? []).some((part) => "heal" in part && part.heal), {
    message: "a constrained request can not heal its prompt: the healed text would have to match the grammar",
  });
export type GenerateRequest = z.input<typeof generateRequestSchema>;
export type ParsedGenerateRequest = z.output<typeof generateRequestSchema>;

export type StopReason = "stop-token" | "stop-string" | "max-tokens" | "deadline" | "cancelled" | "grammar-end";

export interface GenerationStats {
  promptTokens: number;
  /** Prompt tokens whose KV came from the previous request's cache. */
  reusedTokens: number;
  prefilledTokens: number;
  generatedTokens: number;
  /** Forward passes after prefill; with speculation, fewer than the generated tokens. */
  forwardPasses: number;
  timeToFirstTokenMs: number | null;
  /** Decode speed after the first token. */
  tokensPerSecond: number | null;
  totalMs: number;
  stopReason: StopReason;
  /** Present for a model on a server: the prompt tokens the server said it took from its prefix cache (llama.cpp's
   *  timings.cache_n, OpenAI's usage.prompt_tokens_details.cached_tokens), null when it does not say. `reusedTokens`
   *  is the same number, or 0 when unknown. */
  server?: { cachedTokens: number | null };
  /** Present when the request had a grammar: how many tokens were taken from the way to the grammar's end instead
   *  of the model's choice, because the token limit came close. */
  constrained?: {
    forcedTokens: number;
    /** A model on a server: its reply ran out of tokens inside the grammar, and was asked for once more with every
     *  string and list of the JSON Schema bounded to fit (model/remote/server-grammar.ts); the first try's token
     *  events came before the second's, and `done.text` is the second reply. */
    retriedBounded?: boolean;
  };
}

/** Token events carry text deltas; text that might start a stop string is held back and, when it was not one,
 *  appears only in `done.text`, which is always the whole completion. */
export type GenerateEvent =
  | { type: "token"; id: number; text: string }
  | { type: "done"; text: string; stats: GenerationStats };

export interface ModelInfo {
  dir: string;
  onnxFile: string;
  family: string;
  layers: number;
  vocabularySize: number;
  contextLength: number;
  specialTokens: Record<string, number>;
  /** End-of-sequence ids from generation_config.json (or config.json). */
  eosTokenIds: number[];
  /** Present for a model on an OpenAI-compatible server (model/remote/): where, which model, and how its tokens are
   *  counted ("estimate": characters / 3.5, the server offers no tokenizer and Ghost has no tokenizer.json). */
  server?: { url: string; modelName: string; kind: "llama.cpp" | "vllm" | "openai-compatible"; tokenizer: "tokenizer.json" | "server" | "estimate" };
}

/** A prompt to prefill into the KV cache, generating nothing, so that a request for it (or for a prompt sharing its
 *  head) soon after finds it cached. `maxTokens`: the reply the later request will ask for, so the cache's room is
 *  reserved once. */
export const warmRequestSchema = z.object({ prompt: z.array(promptPartSchema).min(1), maxTokens: z.number().int().positive() });
export type WarmRequest = z.infer<typeof warmRequestSchema>;

export interface WarmStats {
  promptTokens: number;
  reusedTokens: number;
  /** Tokens fed by this warm-up; when it was cancelled, those fed before it stopped (they stay cached). */
  prefilledTokens: number;
  totalMs: number;
  /** Aborted by its signal or preempted by a real request before the whole prompt was cached. */
  cancelled: boolean;
}

export interface Model {
  readonly info: ModelInfo;
  /** Streams tokens; ends with exactly one `done` event. Aborting ends it within one token (stopReason cancelled). */
  generate(request: GenerateRequest, signal?: AbortSignal): AsyncIterable<GenerateEvent>;
  /** Prefills a prompt and generates nothing. A request that arrives meanwhile never waits behind it: the warm-up
   *  stops at its next prefill chunk, keeping the chunks done. Absent where the backend has no cache of its own to
   *  warm. */
  warm?(request: WarmRequest, signal?: AbortSignal): Promise<WarmStats>;
  tokenize(text: string): Promise<number[]>;
  /** Tokens a request with these `messages` takes in the context: the chat as the model's template renders it, with
   *  the generation prompt. */
  chatTokens(messages: ChatMessage[]): Promise<number>;
  /** Chat messages rendered with the model's own chat template (tokenizer_config.json). */
  renderChat(messages: ChatMessage[], addGenerationPrompt: boolean): Promise<string>;
  dispose(): Promise<void>;
}

export type ChatMessage = z.infer<typeof chatMessageSchema>;
