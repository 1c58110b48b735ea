// The engine: one loaded model in this process. It owns the session and the KV cache of the last request, and
// turns a GenerateRequest into a stream of tokens, reusing the cached prefix. Requests run one at a time; a warm-up
// (a prompt prefilled ahead of the request that will need it) gives way to any real request.
import { performance } from "node:perf_hooks";
import { CausalLmSession, type GraphRewrites, type SessionOverrides } from "./causal-lm-session";
import { ChatTemplate } from "./chat-template";
import { detectFimFamily } from "./fim";
import { emptyKvCache, longestCommonPrefix, truncateKvCache, type KvCache } from "./kv-cache";
import { assertFitsInMemory, defaultPrefillChunk, folderPeak } from "./memory";
import { generateRequestSchema, warmRequestSchema, type ChatMessage, type GenerateEvent, type GenerateRequest, type Model, type ModelInfo, type WarmRequest, type WarmStats } from "./model";
import { attentionShapeOf, openModelFolder, type ModelFolder } from "./model-folder";
import { PromptTokenizer, type PromptPart } from "./prompt";
import { decodeLoop, type Cache } from "./decode-loop";
import { Grammars } from "./grammar/grammars";
import type { VariantChoice } from "./store/variants";

export interface EngineOptions {
  variant: VariantChoice;
  threads: number;
  memoryLimitBytes?: number;
  /** Prompt tokens per forward pass while prefilling: bounds activations and lets cancellation land between
   *  chunks. */
  prefillChunk?: number;
  /** Load-time graph rewrites (default "all"); "none" runs the export as it is. */
  rewrites?: GraphRewrites;
  /** onnxruntime session options over Ghost's own, for benchmarks that measure them (bench/memory.ts). */
  sessionOverrides?: SessionOverrides;
}

export class LocalEngine implements Model {
  private cachedTokens: number[] = [];
  private cache: KvCache;
  private queue: Promise<unknown> = Promise.resolve();
  /** The latest warm-up, running or waiting its turn: a real request, or a newer warm-up, aborts it. */
  private warming: AbortController | null = null;
  private readonly grammars: Grammars;

  private constructor(
    readonly folder: ModelFolder,
    readonly session: CausalLmSession,
    readonly info: ModelInfo,
    private readonly prompts: PromptTokenizer,
    private readonly chatTemplate: ChatTemplate | null,
    private readonly prefillChunk: number,
  ) {
    this.cache = emptyKvCache(session.layout);
    this.grammars = new Grammars(folder.tokenizer, folder.config.vocab_size);
  }

  static async load(dir: string, options: EngineOptions): Promise<LocalEngine> {
    const folder = openModelFolder(dir, options.variant);
    const contextLength = folder.config.max_position_embeddings ?? folder.tokenizerConfig.model_max_length ?? 2048;
    const attention = attentionShapeOf(folder.config, contextLength);
    assertFitsInMemory(folder.onnxPath, folderPeak(folder, contextLength, options.prefillChunk), options.memoryLimitBytes);
    const session = await CausalLmSession.open(folder.onnxPath, {
      threads: options.threads,
      rewrites: options.rewrites,
      overrides: options.sessionOverrides,
      attention,
    });
    const specialTokens = folder.tokenizer.specialTokens();
    const info: ModelInfo = {
      dir,
      onnxFile: folder.onnxPath,
      family: detectFimFamily(specialTokens) ?? "none",
      layers: session.layout.layers,
      vocabularySize: folder.config.vocab_size,
      contextLength,
      specialTokens: Object.fromEntries(specialTokens),
      eosTokenIds: folder.eosTokenIds,
    };
    const chatTemplate = ChatTemplate.fromConfig(folder.tokenizerConfig, `${dir}/tokenizer_config.json`);
    return new LocalEngine(folder, session, info, new PromptTokenizer(folder.tokenizer), chatTemplate, options.prefillChunk ?? defaultPrefillChunk);
  }

  generate(request: GenerateRequest, signal?: AbortSignal): AsyncIterable<GenerateEvent> {
    this.warming?.abort();
    return this.serialized(() => this.run(request, signal ?? new AbortController().signal));
  }

  /** Prefills the prompt as generate() would (the same tokenization, healing included) and stops there. Aborted by
   *  `signal`, by the next generate(), or by a newer warm-up, it stops at its next prefill chunk; the chunks fed so
   *  far stay cached, a valid prefix for the request that preempted it. */
  async warm(rawRequest: WarmRequest, signal?: AbortSignal): Promise<WarmStats> {
    const request = warmRequestSchema.parse(rawRequest);
    this.warming?.abort();
    const controller = new AbortController();
    this.warming = controller;
    const abort = () => controller.abort();
    signal?.addEventListener("abort", abort, { once: true });
    if (signal?.aborted) abort();
    try {
      return await this.serializedCall(async () => {
        const started = performance.now();
        const { ids } = this.prompts.tokenize(request.prompt);
        this.assertFits(ids.length, request.maxTokens);
        const { reused } = await this.prefill(ids, controller.signal, request.maxTokens, false);
        const prefilled = this.cachedTokens.length - reused;
        return { promptTokens: ids.length, reusedTokens: reused, prefilledTokens: prefilled, totalMs: performance.now() - started, cancelled: reused + prefilled < ids.length };
      });
    } finally {
      signal?.removeEventListener("abort", abort);
      if (this.warming === controller) this.warming = null;
    }
  }

  async tokenize(text: string): Promise<number[]> {
    return this.folder.tokenizer.encode(text);
  }

  async chatTokens(messages: ChatMessage[]): Promise<number> {
    return (await this.tokenize(await this.renderChat(messages, true))).length;
  }

  async renderChat(messages: ChatMessage[], addGenerationPrompt: boolean): Promise<string> {
    if (!this.chatTemplate) throw new Error(`${this.info.dir} has no chat_template in tokenizer_config.json: it is a base model, use it for completion only`);
    return this.chatTemplate.render(messages, addGenerationPrompt);
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }

  /** Runs one generation; the KV cache is updated after every forward pass, so a cancelled request still leaves
   *  a valid cache for the next one. */
  private async *run(rawRequest: GenerateRequest, signal: AbortSignal): AsyncGenerator<GenerateEvent> {
    const started = performance.now();
    const request = generateRequestSchema.parse(rawRequest);
    const parts = request.messages ? [{ text: await this.renderChat(request.messages, true) }] : request.prompt!;
    const prompt = this.prompts.tokenize(parts);
    this.assertFits(prompt.ids.length, request.maxTokens);
    const stopTokens = request.stopTokens ?? this.folder.eosTokenIds;
    // Before prefill, so a grammar that does not compile fails the request at once.
    const constraint = request.grammar ? await this.grammars.constraint(request.grammar, stopTokens, request.maxTokens) : null;
    try {
      const { logits, reused } = await this.prefill(prompt.ids, signal, request.maxTokens);
      yield* decodeLoop({
        request,
        healedText: prompt.healedText,
        firstLogits: logits,
        tokenizer: this.folder.tokenizer,
        stopTokens: new Set(stopTokens),
        cache: this.decodeCache(),
        signal,
        started,
        promptStats: { promptTokens: prompt.ids.length, reusedTokens: reused, prefilledTokens: prompt.ids.length - reused },
        constraint,
      });
    } finally {
      constraint?.dispose();
    }
  }

  private assertFits(promptTokens: number, maxTokens: number): void {
    if (promptTokens === 0) throw new Error("the prompt is empty after tokenization");
    if (promptTokens + maxTokens > this.info.contextLength) {
      throw new Error(`prompt of ${promptTokens} tokens plus ${maxTokens} to generate exceeds the model's context of ${this.info.contextLength}`);
    }
  }

  /** The engine's KV cache as the decode loop sees it. */
  private decodeCache(): Cache {
    const engine = this;
    return {
      get tokens() {
        return engine.cachedTokens;
      },
      async feed(ids) {
        const result = await engine.session.forward(ids, engine.cache);
        engine.cachedTokens.push(...ids);
        engine.cache = result.cache;
        return result;
      },
      rollback(count) {
        if (count === 0) return;
        const length = engine.cachedTokens.length - count;
        engine.cache = truncateKvCache(engine.cache, length, engine.session.layout);
        engine.cachedTokens.length = length;
      },
    };
  }

  /** Next-token logits after `prompt`, through the same prefix reuse as generation (tests compare them to a full
   *  recompute; ranking uses them). */
  nextTokenLogits(prompt: PromptPart[]): Promise<{ logits: Float32Array; reusedTokens: number }> {
    this.warming?.abort();
    return this.serializedCall(async () => {
      const { ids } = this.prompts.tokenize(prompt);
      const { logits, reused } = await this.prefill(ids, new AbortController().signal);
      return { logits: logits!, reusedTokens: reused };
    });
  }

  /** Feeds the prompt after its longest prefix already in the cache, with room reserved for `replyTokens` more.
   *  Logits are null if aborted midway, or when not `wanted` (a warm-up). */
  private async prefill(ids: number[], signal: AbortSignal, replyTokens = 1, wanted = true): Promise<{ logits: Float32Array | null; reused: number }> {
    // At least one prompt token must be fed to get next-token logits, even when the whole prompt is cached.
    const reused = Math.min(longestCommonPrefix(this.cachedTokens, ids), wanted ? ids.length - 1 : ids.length);
    this.remember(ids.slice(0, reused), this.session.reserve(truncateKvCache(this.cache, reused, this.session.layout), ids.length + replyTokens));
    let logits: Float32Array | null = null;
    for (let start = reused; start < ids.length; start += this.prefillChunk) {
      if (signal.aborted) return { logits: null, reused };
      const chunk = ids.slice(start, start + this.prefillChunk);
      const result = await this.session.forward(chunk, this.cache, 1);
      this.cachedTokens.push(...chunk);
      this.cache = result.cache;
      logits = result.logits;
    }
    return { logits, reused };
  }

  private remember(tokens: number[], cache: KvCache): void {
    this.cachedTokens = tokens;
    this.cache = cache;
  }

  private serializedCall<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work);
    this.queue = result.catch(() => {});
    return result;
  }

  /** Requests share one KV cache, so they take turns. A stream takes its turn when first iterated (a stream that
   *  is never iterated must not block the others) and gives it back when it ends or is abandoned. */
  private serialized(makeStream: () => AsyncGenerator<GenerateEvent>): AsyncIterable<GenerateEvent> {
    const engine = this;
    return (async function* () {
      const previous = engine.queue;
      let release!: () => void;
      engine.queue = new Promise<void>((resolve) => (release = resolve));
      await previous;
      try {
        yield* makeStream();
      } finally {
        release();
      }
    })();
  }
}
