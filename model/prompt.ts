// A prompt as parts: plain text, special tokens by name, or raw ids. Parts are tokenized separately and cached,
// so a prompt whose parts repeat from request to request costs little to tokenize and keeps a stable token
// prefix (which the KV cache reuses). Knows nothing about ONNX or sampling.
import { z } from "zod";
import type { TextTokenizer } from "./tokenizer";

export const promptPartSchema = z.union([
  /** `heal`: the text may end mid-token; its last token is backed off and regenerated (token healing). */
  z.object({ text: z.string(), heal: z.boolean().optional() }),
  z.object({ special: z.string() }),
  z.object({ ids: z.array(z.number().int().nonnegative()) }),
]);
export type PromptPart = z.infer<typeof promptPartSchema>;

export interface TokenizedPrompt {
  ids: number[];
  /** Text that the backed-off token stood for: generation must start with it, and it is not shown again. */
  healedText: string;
}

export class PromptTokenizer {
  private readonly cache = new Map<string, number[]>();

  constructor(
    readonly tokenizer: TextTokenizer,
    private readonly cacheLimit = 512,
  ) {}

  tokenize(parts: readonly PromptPart[]): TokenizedPrompt {
    if (parts.filter((part) => "heal" in part && part.heal).length > 1) {
      throw new Error("a prompt may mark at most one text part for token healing");
    }
    const ids: number[] = [];
    let healedText = "";
    for (const part of parts) {
      if ("special" in part) ids.push(this.specialId(part.special));
      else if ("ids" in part) ids.push(...part.ids);
      else if (part.heal) {
        const healed = this.healed(part.text);
        ids.push(...healed.ids);
        healedText = healed.healedText;
      } else ids.push(...this.encodeCached(part.text));
    }
    return { ids, healedText };
  }

  private specialId(token: string): number {
    const id = this.tokenizer.tokenId(token);
    if (id === undefined) throw new Error(`the model's tokenizer has no token ${token}`);
    return id;
  }

  /** Backs off the last token when the text ends inside a word, e.g. `console.lo` drops `lo`, so the model may
   *  choose `log(` instead of being stuck after a rare split. */
  private healed(text: string): TokenizedPrompt {
    const ids = this.encodeCached(text);
    if (ids.length === 0 || !/[\p{L}\p{N}_$.]$/u.test(text)) return { ids, healedText: "" };
    const kept = ids.slice(0, -1);
    const keptText = this.tokenizer.decode(kept);
    if (!text.startsWith(keptText)) return { ids, healedText: "" };
    return { ids: kept, healedText: text.slice(keptText.length) };
  }

  private encodeCached(text: string): number[] {
    const hit = this.cache.get(text);
    if (hit) {
      // Refresh recency: a Map iterates in insertion order, so the first key is the least recently used.
      this.cache.delete(text);
      this.cache.set(text, hit);
      return hit;
    }
    const ids = this.tokenizer.encode(text);
    this.cache.set(text, ids);
    if (this.cache.size > this.cacheLimit) this.cache.delete(this.cache.keys().next().value!);
    return ids;
  }
}
