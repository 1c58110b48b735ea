// Chat prompts rendered with the model's own Jinja chat template from tokenizer_config.json, through
// @huggingface/jinja. Knows nothing about tokenization or generation.
import type { Template } from "@huggingface/jinja";
import type { TokenizerConfig } from "./model-folder";
import type { ChatMessage } from "./model";

/** Loaded on the first chat prompt, not with the model worker: autocomplete, most of what the worker does, renders
 *  no chat, and the engine costs the worker's resident memory ~1 MB (bench/memory-breakdown.ts). */
const loadJinja = () => require("@huggingface/jinja") as typeof import("@huggingface/jinja");

export class ChatTemplate {
  private template: Template | null = null;

  private constructor(
    private readonly text: string,
    private readonly source: string,
    private readonly specialTokens: Record<string, unknown>,
  ) {}

  /** Null when the model ships no chat template (base models); callers then cannot chat with it. The template is
   *  parsed on the first render, so one that does not parse fails the first chat request, with where it came from. */
  static fromConfig(config: TokenizerConfig, source: string): ChatTemplate | null {
    const raw = config.chat_template;
    if (raw === undefined) return null;
    const text = typeof raw === "string" ? raw : (raw.find((entry) => entry.name === "default") ?? raw[0])?.template;
    if (!text) return null;
    const specialTokens = Object.fromEntries(
      ["bos_token", "eos_token", "pad_token", "unk_token"].map((key) => [key, tokenText(config[key])]),
    );
    return new ChatTemplate(text, source, specialTokens);
  }

  render(messages: ChatMessage[], addGenerationPrompt: boolean): string {
    return this.parsed().render({ messages, add_generation_prompt: addGenerationPrompt, ...this.specialTokens });
  }

  private parsed(): Template {
    if (this.template) return this.template;
    try {
      this.template = new (loadJinja().Template)(this.text);
    } catch (error) {
      throw new Error(`the chat_template in ${this.source} does not parse: ${(error as Error).message}`);
    }
    return this.template;
  }
}

/** tokenizer_config.json writes special tokens as a string or as an AddedToken object with `content`. */
function tokenText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value && typeof value === "object" && "content" in value && typeof value.content === "string") return value.content;
  return "";
}
