// Grammar constraints for one model's tokenizer: compiles each grammar once (lazily: XGrammar's tokenizer info costs
// ~70 ms to build, and most requests are unconstrained) and starts a constraint per request. Knows the tokenizer and
// XGrammar, not the session.
import type { TextTokenizer } from "../tokenizer";
import { GrammarConstraint } from "./constraint";
import type { Grammar } from "./grammar";
import type { WayHints } from "./way-to-end";
import { GrammarCompilerCache } from "./xgrammar";

/** Texts that close or advance a structure, best first: end a string, an object, an array, open a fence after
 *  free text, end a line, start a number, close a fenced block at a line start (tried last: it is the only one that
 *  ends a block whose lines take every other text). */
const closingTexts = ['"', "}", "]", "`", "\n", "1", "\n```"];

export class Grammars {
  private compilers: Promise<GrammarCompilerCache> | null = null;
  private readonly firstTokens = new Map<string, number | undefined>();
  private emptyIds: Set<number> | null = null;
  /** closingTexts as the tokenizer writes them: the same for every request. */
  private closers: number[][] | null = null;

  constructor(
    private readonly tokenizer: TextTokenizer,
    /** Logits per position (config.json's vocab_size), at least the tokenizer's vocabulary. */
    private readonly logitsSize: number,
  ) {}

  async constraint(grammar: Grammar, stopTokens: readonly number[], maxTokens: number): Promise<GrammarConstraint> {
    if (!this.compilers) {
      const vocabulary = this.tokenizer.encodedVocabulary();
      this.emptyIds = new Set(Array.from({ length: this.logitsSize }, (_, id) => id).filter((id) => !vocabulary.tokens[id]));
      this.compilers = GrammarCompilerCache.create({ ...vocabulary, size: this.logitsSize });
    }
    const matcher = await (await this.compilers).matcher(grammar, stopTokens);
    return GrammarConstraint.start(matcher, this.hints(stopTokens), maxTokens);
  }

  private hints(stopTokens: readonly number[]): WayHints {
    this.closers ??= closingTexts.map((text) => this.tokenizer.encode(text)).filter((ids) => ids.length > 0);
    return { stopTokens, firstToken: (text) => this.firstToken(text), closers: this.closers, emptyIds: this.emptyIds! };
  }

  /** Cached: the way to the end asks for the same forced texts (`", "`, `"}}\n```"`) step after step, and
   *  encoding costs far more than a grammar step. */
  private firstToken(text: string): number | undefined {
    if (!this.firstTokens.has(text)) {
      this.firstTokens.set(text, this.tokenizer.encode(text)[0]);
      if (this.firstTokens.size > 4096) this.firstTokens.delete(this.firstTokens.keys().next().value!);
    }
    return this.firstTokens.get(text);
  }
}
