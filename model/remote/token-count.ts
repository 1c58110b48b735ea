// Token counts for a model on a server, from the best source there is: the model's own tokenizer.json when Ghost has
// it, else the server's POST /tokenize, else an estimate of 3.5 characters per token (rounded up) that says it is
// one (ModelInfo.server.tokenizer === "estimate"). Chats are counted as the template renders them: locally with the
// folder's chat template, or by the server (llama.cpp: /apply-template, then /tokenize; vLLM: /tokenize with
// messages). Knows the endpoints and the tokenizer, not generation.
import { z } from "zod";
import { ChatTemplate } from "../chat-template";
import type { ChatMessage } from "../model";
import type { TextTokenizer } from "../tokenizer";
import { exchange, type HttpPolicy } from "./http";
import { serverRoot, type ServerFacts } from "./server";

export const charsPerTokenEstimate = 3.5;

/** Per message, for the template's role markers when the chat can only be estimated (ChatML spends 4-5 tokens). */
const estimatedTokensPerMessage = 6;

const tokensSchema = z.looseObject({ tokens: z.array(z.number().int()), count: z.number().int().optional() });
const renderedSchema = z.looseObject({ prompt: z.string() });

export type TokenSource = "tokenizer.json" | "server" | "estimate";

export class TokenCounter {
  readonly source: TokenSource;

  constructor(
    private readonly baseUrl: string,
    private readonly server: ServerFacts,
    private readonly policy: HttpPolicy,
    private readonly local: { tokenizer: TextTokenizer; template: ChatTemplate | null } | null,
  ) {
    this.source = local ? "tokenizer.json" : server.tokenizes ? "server" : "estimate";
  }

  /** Ids from the tokenizer or the server; for an estimate, that many -1s (there are no ids to give). */
  async tokenize(text: string, signal = new AbortController().signal): Promise<number[]> {
    if (this.local) return this.local.tokenizer.encode(text);
    if (this.source === "server") {
      const body = this.server.kind === "vllm" ? { model: this.server.modelName, prompt: text, add_special_tokens: false } : { content: text, add_special: false, parse_special: true };
      return (await this.post("/tokenize", body, tokensSchema, signal)).tokens;
    }
    return new Array<number>(estimate(text)).fill(-1);
  }

  async chatTokens(messages: ChatMessage[], signal = new AbortController().signal): Promise<number> {
    if (this.local?.template) return this.local.tokenizer.encode(this.local.template.render(messages, true)).length;
    if (this.server.kind === "llama.cpp") return (await this.tokenize(await this.serverRender(messages, signal), signal)).length;
    if (this.server.kind === "vllm" && this.server.tokenizes) {
      const counted = await this.post("/tokenize", { model: this.server.modelName, messages, add_generation_prompt: true }, tokensSchema, signal);
      return counted.count ?? counted.tokens.length;
    }
    const words = await Promise.all(messages.map(async (message) => (await this.tokenize(message.content, signal)).length + estimatedTokensPerMessage));
    return words.reduce((sum, count) => sum + count, estimatedTokensPerMessage);
  }

  /** The chat as the model sees it: the folder's template, or llama.cpp's /apply-template; other servers render it
   *  only inside /v1/chat/completions and do not show it. */
  async renderChat(messages: ChatMessage[], addGenerationPrompt: boolean): Promise<string> {
    if (this.local?.template) return this.local.template.render(messages, addGenerationPrompt);
    if (this.server.kind === "llama.cpp" && addGenerationPrompt) return this.serverRender(messages, new AbortController().signal);
    throw new Error(`the model server at ${this.baseUrl} renders chats itself and does not show them: send the messages in the request, or give Ghost the model's tokenizer folder (--tokenizer) to render them here`);
  }

  private async serverRender(messages: ChatMessage[], signal: AbortSignal): Promise<string> {
    return (await this.post("/apply-template", { messages }, renderedSchema, signal)).prompt;
  }

  private async post<T extends z.ZodType>(path: string, body: unknown, schema: T, signal: AbortSignal): Promise<z.infer<T>> {
    const url = `${serverRoot(this.baseUrl)}${path}`;
    const parsed = schema.safeParse(await (await exchange(url, body, this.policy, signal, this.server.modelName)).response.json());
    if (!parsed.success) throw new Error(`${url} answered something other than expected: ${z.prettifyError(parsed.error)}`);
    return parsed.data;
  }
}

export function estimate(text: string): number {
  return Math.ceil(text.length / charsPerTokenEstimate);
}

export function localTokenizer(folder: { tokenizer: TextTokenizer; tokenizerConfig: Parameters<typeof ChatTemplate.fromConfig>[0] }, source: string) {
  return { tokenizer: folder.tokenizer, template: ChatTemplate.fromConfig(folder.tokenizerConfig, source) };
}
