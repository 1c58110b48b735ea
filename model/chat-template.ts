// Chat prompts rendered with the model's own Jinja chat template from tokenizer_config.json, through
// @huggingface/jinja. Knows nothing about tokenization or generation.
import { Template } from "@huggingface/jinja";
import type { TokenizerConfig } from "./model-folder";
import type { ChatMessage } from "./model";

export class ChatTemplate {
  private constructor(
    private readonly template: Template,
    private readonly specialTokens: Record<string, unknown>,
  ) {}

  /** Null when the model ships no chat template (base models); callers then cannot chat with it. */
  static fromConfig(config: TokenizerConfig, source: string): ChatTemplate | null {
    const raw = config.chat_template;
    if (raw === undefined) return null;
    const text = typeof raw === "string" ? raw : (raw.find((entry) => entry.name === "default") ?? raw[0])?.template;
    if (!text) return null;
    let template: Template;
    try {
      template = new Template(text);
    } catch (error) {
      throw new Error(`the chat_template in ${source} does not parse: ${(error as Error).message}`);
    }
    const specialTokens = Object.fromEntries(
      ["bos_token", "eos_token", "pad_token", "unk_token"].map((key) => [key, tokenText(config[key])]),
    );
    return new ChatTemplate(template, specialTokens);
  }

  render(messages: ChatMessage[], addGenerationPrompt: boolean): string {
    return this.template.render({ messages, add_generation_prompt: addGenerationPrompt, ...this.specialTokens });
  }
}

/** tokenizer_config.json writes special tokens as a string or as an AddedToken object with `content`. */
function tokenText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value && typeof value === "object" && "content" in value && typeof value.content === "string") return value.content;
  return "";
}
