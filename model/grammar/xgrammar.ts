// Ghost's one door to XGrammar (@mlc-ai/web-xgrammar, the WebAssembly build that WebLLM uses): builds its tokenizer
// info from a Hugging Face vocabulary, compiles Ghost's Grammar into XGrammar's form once per grammar, and starts a
// matcher per request. Knows token strings and grammars, not models or sampling.
import type { CompiledGrammar, GrammarCompiler, GrammarMatcher, StructuralTagFormat } from "@mlc-ai/web-xgrammar";
import type { Grammar } from "./grammar";

/** Loaded on the first constrained request, not with the worker: the module (1.1 MB of JavaScript with its
 *  WebAssembly inline) adds ~8 MB to every worker's resident memory, and most requests are unconstrained
 *  (bench/memory-breakdown.ts). require, not import(): the package is a UMD build inside a "type": "module" package,
 *  which only a CommonJS load reads right (see scripts/node-bundle.mjs); esbuild still bundles it. */
const loadXgrammar = () => (require("@mlc-ai/web-xgrammar") as typeof import("@mlc-ai/web-xgrammar")).default;
const jsonSchemaToEbnf = (schema: Record<string, unknown>) =>
  (require("./schema-for-xgrammar") as typeof import("./schema-for-xgrammar")).jsonSchemaToEbnf(schema);

export interface Vocabulary {
  /** Each id's token as tokenizer.json writes it, "" past the tokenizer. */
  tokens: string[];
  encoding: "byte_level" | "byte_fallback" | "raw";
  /** Logits per position: may exceed the tokenizer (padded embeddings); those ids are always masked. */
  size: number;
}

export class GrammarCompilerCache {
  private readonly compiled = new Map<string, Promise<CompiledGrammar>>();

  private constructor(private readonly compiler: GrammarCompiler) {}

  static async create(vocabulary: Vocabulary): Promise<GrammarCompilerCache> {
    const xgrammar = loadXgrammar();
    const info = await xgrammar.TokenizerInfo.createTokenizerInfo(vocabulary.tokens, vocabulary.encoding, false, vocabulary.size);
    return new GrammarCompilerCache(await xgrammar.GrammarCompiler.createGrammarCompiler(info));
  }

  /** A matcher at the grammar's start. `stopTokens` are the ids that end the reply once the grammar allows it. */
  async matcher(grammar: Grammar, stopTokens: readonly number[]): Promise<GrammarMatcher> {
    const xgrammar = loadXgrammar();
    return xgrammar.GrammarMatcher.createGrammarMatcher(await this.compile(grammar), [...stopTokens]);
  }

  /** Compiling takes 0.2-0.7 s on a 49k vocabulary; an agent sends the same grammar every step. A bad grammar is
   *  dropped from the cache so the error shows again, not a stale promise. */
  private compile(grammar: Grammar): Promise<CompiledGrammar> {
    const key = JSON.stringify(grammar);
    let compiled = this.compiled.get(key);
    if (!compiled) {
      compiled = withReasons(() => this.compileNow(grammar)).catch((error: Error) => {
        this.compiled.delete(key);
        throw new Error(`the grammar could not be compiled: ${error.message}`);
      });
      this.compiled.set(key, compiled);
      if (this.compiled.size > 16) this.compiled.delete(this.compiled.keys().next().value!);
    }
    return compiled;
  }

  private async compileNow(grammar: Grammar): Promise<CompiledGrammar> {
    if (grammar.kind === "ebnf") return this.compiler.compileGrammar(grammar.text);
    if (grammar.kind === "json-schema") return this.compiler.compileGrammar(await jsonSchemaToEbnf(grammar.schema));
    const elements: StructuralTagFormat[] = [];
    for (const part of grammar.parts) {
      if (part.kind === "text") elements.push({ type: "const_string", value: part.value });
      else if (part.kind === "ebnf") elements.push({ type: "grammar", grammar: part.text });
      // Through EBNF rather than a json_schema element, which would allow free whitespace between tokens.
      else elements.push({ type: "grammar", grammar: await jsonSchemaToEbnf(part.schema) });
    }
    return this.compiler.compileStructuralTag({ type: "structural_tag", format: { type: "sequence", elements } });
  }
}

/** XGrammar's WebAssembly build writes why it failed ("[FATAL] …grammar_parser.cc:552: EBNF parser error at line 1,
 *  column 11: …") to stderr and throws only "Aborted()"; this puts the reason into the error instead. */
async function withReasons<T>(work: () => Promise<T>): Promise<T> {
  const reasons: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    const text = String(chunk);
    if (/^\[FATAL\]|^Aborted\(/.test(text)) return Boolean(reasons.push(text.replace(/^\[\w+\] \S+: /, "").trim()));
    return write.call(process.stderr, chunk, ...rest);
  }) as typeof process.stderr.write;
  try {
    return await work();
  } catch (error) {
    throw new Error(reasons.filter((reason) => !reason.startsWith("Aborted(")).join("; ") || (error instanceof Error ? error.message : String(error)));
  } finally {
    process.stderr.write = write;
  }
}
