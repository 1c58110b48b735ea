// The tokenizer: text <-> token ids, from a Hugging Face tokenizer.json through @huggingface/tokenizers.
// Knows nothing about ONNX, prompts or generation.
import { Tokenizer } from "@huggingface/tokenizers";

export class TextTokenizer {
  private tokenTexts: string[] | null = null;
  private readonly pieces = new Map<number, string | null>();

  constructor(
    private readonly tokenizer: Tokenizer,
    readonly vocabularySize: number,
    /** True for byte-level decoders (GPT-2, Qwen, StarCoder…): there the text of a sequence is the concatenation
     *  of its tokens' texts, wherever each token is whole UTF-8 on its own. */
    private readonly concatenative = false,
  ) {
    releaseConstructionData(tokenizer);
  }

  /** The token's own text when appending it to what came before is exact, else null (decode the run instead).
   *  Cached: streaming calls it once per generated token. */
  piece(id: number): string | null {
    if (!this.concatenative) return null;
    let piece = this.pieces.get(id);
    if (piece === undefined) {
      const text = this.decode([id]);
      piece = text.includes("\uFFFD") ? null : text;
      this.pieces.set(id, piece);
    }
    return piece;
  }

  /** Plain text to ids. Never adds BOS/EOS: prompt builders place special tokens themselves. */
  encode(text: string): number[] {
    return this.tokenizer.encode(text, { add_special_tokens: false }).ids;
  }

  decode(ids: readonly number[]): string {
    return this.tokenizer.decode([...ids], { skip_special_tokens: false, clean_up_tokenization_spaces: false });
  }

  /** The id of a special (added) token such as `<|fim_prefix|>`, or undefined when the vocabulary lacks it. */
  tokenId(token: string): number | undefined {
    return this.tokenizer.token_to_id(token);
  }

  specialTokens(): Map<string, number> {
    const tokens = new Map<string, number>();
    for (const [id, added] of this.tokenizer.get_added_tokens_decoder()) tokens.set(added.content, id);
    return tokens;
  }

  /** The vocabulary as a grammar engine needs it: every id's token as written in tokenizer.json (byte-level
   *  tokens keep their `Ġ`-style encoding), "" for ids past the tokenizer, and how those strings map to bytes. */
  encodedVocabulary(): { tokens: string[]; encoding: "byte_level" | "byte_fallback" | "raw" } {
    const tokens = new Array<string>(this.vocabularySize).fill("");
    for (const [token, id] of this.tokenizer.get_vocab(true)) if (id < this.vocabularySize) tokens[id] = token;
    // SentencePiece-style vocabularies spell raw bytes as <0x0A>; byte-level ones spell every byte as a character.
    const encoding = this.concatenative ? "byte_level" : tokens.includes("<0x0A>") ? "byte_fallback" : "raw";
    return { tokens, encoding };
  }

  /** Each id's own decoded text, computed once on first use (token healing scans it). Byte fragments of a
   *  multi-byte character decode to U+FFFD and so never match real text. */
  textOfEveryToken(): readonly string[] {
    this.tokenTexts ??= Array.from({ length: this.vocabularySize }, (_, id) => this.decode([id]));
    return this.tokenTexts;
  }
}

/** What @huggingface/tokenizers (0.2) keeps of the tokenizer.json it was built from: the whole parsed file, and for
 *  BPE a second copy of the merges split into pairs. It reads the vocabulary and the merges only while constructing;
 *  encode, decode and the vocabulary queries use the maps it built from them. */
interface LibraryInternals {
  tokenizer?: { model?: { vocab?: unknown; merges?: unknown } };
  model?: { merges?: unknown };
}

/** For a 49k-token vocabulary the kept source is ~10 MB of the model worker's heap for its whole life, half of what
 *  the tokenizer costs (bench/memory-breakdown.ts); the tokenizer's own maps keep what it needs. */
function releaseConstructionData(tokenizer: Tokenizer): void {
  const internals = tokenizer as unknown as LibraryInternals;
  const source = internals.tokenizer?.model;
  if (source) {
    delete source.vocab;
    delete source.merges;
  }
  if (Array.isArray(internals.model?.merges)) internals.model.merges = [];
}
