// A Model that replays a script: each generate() call yields the next raw output, whole, as one token. For the
// loop's control-flow tests and `ghost agent --model scripted:FILE`. Tokens are counted as whitespace-separated
// words, enough for the loop's limits. Knows nothing about tools.
import type { ChatMessage, GenerateEvent, GenerateRequest, Model, ModelInfo } from "../../model/model";

export class ScriptedModel implements Model {
  private next = 0;
  /** The prompts it was given, in order: tests read what the model saw. */
  readonly prompts: string[] = [];

  readonly info: ModelInfo;

  constructor(
    private readonly outputs: readonly string[],
    { contextLength = 1 << 20 } = {},
  ) {
    this.info = { dir: "scripted", onnxFile: "", family: "none", layers: 0, vocabularySize: 0, contextLength, specialTokens: {}, eosTokenIds: [] };
  }

  async *generate(request: GenerateRequest, signal?: AbortSignal): AsyncIterable<GenerateEvent> {
    const output = this.outputs[this.next++];
    if (output === undefined) throw new Error(`the script has only ${this.outputs.length} outputs and the agent asked for more`);
    this.prompts.push(request.messages ? await this.renderChat(request.messages, true) : (request.prompt ?? []).map((part) => ("text" in part ? part.text : "")).join(""));
    const cancelled = signal?.aborted === true;
    const text = cancelled ? "" : output;
    if (!cancelled) yield { type: "token", id: 0, text };
    const generatedTokens = count(text);
    yield {
      type: "done",
      text,
      stats: { promptTokens: 0, reusedTokens: 0, prefilledTokens: 0, generatedTokens, forwardPasses: generatedTokens, timeToFirstTokenMs: 0, tokensPerSecond: null, totalMs: 0, stopReason: cancelled ? "cancelled" : "stop-token" },
    };
  }

  async tokenize(text: string): Promise<number[]> {
    return new Array<number>(count(text)).fill(0);
  }

  async chatTokens(messages: ChatMessage[]): Promise<number> {
    return count(await this.renderChat(messages, true));
  }

  async renderChat(messages: ChatMessage[], addGenerationPrompt: boolean): Promise<string> {
    const turns = messages.map((message) => `<|im_start|>${message.role}\n${message.content}<|im_end|>\n`).join("");
    return addGenerationPrompt ? `${turns}<|im_start|>assistant\n` : turns;
  }

  async dispose(): Promise<void> {}
}

const count = (text: string) => text.split(/\s+/).filter(Boolean).length;
