// A model folder in the Hugging Face ONNX layout: reads and validates config.json, generation_config.json,
// tokenizer.json and tokenizer_config.json, and finds the ONNX file of the chosen variant. Every failure names
// the file and says what to do. Knows nothing about running the model.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { Tokenizer } from "@huggingface/tokenizers";
import { z } from "zod";
import type { AttentionShape } from "./graph/attention-rewrite";
import { TextTokenizer } from "./tokenizer";
import { externalDataFiles, selectFiles, type Variant, type VariantChoice } from "./store/variants";

const tokenIds = z.union([z.number().int(), z.array(z.number().int())]).transform((ids) => [ids].flat());

const configSchema = z.looseObject({
  model_type: z.string().optional(),
  num_hidden_layers: z.number().int().positive(),
  vocab_size: z.number().int().positive(),
  max_position_embeddings: z.number().int().positive().optional(),
  eos_token_id: tokenIds.optional(),
  hidden_size: z.number().int().positive().optional(),
  num_attention_heads: z.number().int().positive().optional(),
  num_key_value_heads: z.number().int().positive().optional(),
  head_dim: z.number().int().positive().optional(),
  rope_theta: z.number().positive().optional(),
  rope_scaling: z.unknown().optional(),
  partial_rotary_factor: z.number().optional(),
});
type ModelConfig = z.infer<typeof configSchema>;

/** The attention as config.json describes it, for the attention rewrite (model/graph/attention-rewrite.ts); null
 *  when the config names something Ghost does not rewrite (scaled or partial RoPE, unknown head counts). */
export function attentionShapeOf(config: ModelConfig, maxPositions: number): AttentionShape | null {
  const heads = config.num_attention_heads;
  if (!heads || !config.hidden_size) return null;
  if (config.rope_scaling != null || (config.partial_rotary_factor ?? 1) !== 1) return null;
  return {
    heads,
    kvHeads: config.num_key_value_heads ?? heads,
    headDim: config.head_dim ?? config.hidden_size / heads,
    ropeTheta: config.rope_theta ?? 10000,
    maxPositions,
  };
}

const generationConfigSchema = z.looseObject({ eos_token_id: tokenIds.optional() });

const tokenizerConfigSchema = z.looseObject({
  chat_template: z.union([z.string(), z.array(z.object({ name: z.string(), template: z.string() }))]).optional(),
  model_max_length: z.number().optional(),
});

export type TokenizerConfig = z.infer<typeof tokenizerConfigSchema>;

export interface ModelFolder {
  dir: string;
  variant: Variant;
  onnxPath: string;
  /** Bytes of the ONNX file plus its external data: what loading will map into memory. */
  weightBytes: number;
  config: ModelConfig;
  tokenizer: TextTokenizer;
  tokenizerConfig: TokenizerConfig;
  eosTokenIds: number[];
}

export function openModelFolder(dir: string, choice: VariantChoice): ModelFolder {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new Error(`model folder ${dir} does not exist; set ghost.model to a folder in the Hugging Face ONNX layout or a hub id`);
  }
  const config = readJson(dir, "config.json", configSchema, true)!;
  const generationConfig = readJson(dir, "generation_config.json", generationConfigSchema, false) ?? {};
  const tokenizerConfig = readJson(dir, "tokenizer_config.json", tokenizerConfigSchema, false) ?? {};
  const { onnxFile, variant, weightBytes } = weightsOf(dir, choice);
  const eosTokenIds = generationConfig.eos_token_id ?? config.eos_token_id ?? [];
  return {
    dir,
    variant,
    onnxPath: join(dir, onnxFile),
    weightBytes,
    config,
    tokenizer: loadTokenizer(dir, tokenizerConfig, config.vocab_size),
    tokenizerConfig,
    eosTokenIds,
  };
}

/** Only the tokenizer side of a folder (tokenizer.json; tokenizer_config.json, generation_config.json and config.json
 *  when present), without weights: what a model on a server needs to count tokens and name its special ids. */
export function openTokenizerFolder(dir: string): Pick<ModelFolder, "tokenizer" | "tokenizerConfig" | "eosTokenIds"> {
  if (!existsSync(join(dir, "tokenizer.json"))) throw new Error(`${dir} holds no tokenizer.json: the tokenizer setting (--tokenizer) must be a model folder with one`);
  const config = readJson(dir, "config.json", configSchema.partial(), false) ?? {};
  const generationConfig = readJson(dir, "generation_config.json", generationConfigSchema, false) ?? {};
  const tokenizerConfig = readJson(dir, "tokenizer_config.json", tokenizerConfigSchema, false) ?? {};
  const eosTokenIds = generationConfig.eos_token_id ?? config.eos_token_id ?? [];
  return { tokenizer: loadTokenizer(dir, tokenizerConfig, config.vocab_size ?? Number.MAX_SAFE_INTEGER), tokenizerConfig, eosTokenIds };
}

function readJson<T extends z.ZodType>(dir: string, name: string, schema: T, required: boolean): z.infer<T> | undefined {
  const path = join(dir, name);
  if (!existsSync(path)) {
    if (required) throw new Error(`${path} is missing: a model folder needs ${name} (Hugging Face ONNX layout)`);
    return undefined;
  }
  const parsed = schema.safeParse(parseJsonFile(path));
  if (!parsed.success) throw new Error(`${path} is not a valid ${name}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

function parseJsonFile(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`${path} is not valid JSON (${(error as Error).message}); download the model again`);
  }
}

const tokenizerJsonSchema = z.looseObject({
  model: z.looseObject({ type: z.string().optional(), vocab: z.unknown() }),
  decoder: z.looseObject({ type: z.string(), decoders: z.array(z.looseObject({ type: z.string() })).optional() }).nullish(),
  added_tokens: z.array(z.looseObject({ id: z.number(), content: z.string() })).default([]),
});

function loadTokenizer(dir: string, tokenizerConfig: TokenizerConfig, configVocabulary: number): TextTokenizer {
  const path = join(dir, "tokenizer.json");
  if (!existsSync(path)) throw new Error(`${path} is missing: a model folder needs tokenizer.json`);
  const json = parseJsonFile(path);
  const parsed = tokenizerJsonSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${path} is not a tokenizer.json: ${z.prettifyError(parsed.error)}`);
  let tokenizer: Tokenizer;
  try {
    tokenizer = new Tokenizer(json as object, tokenizerConfig);
  } catch (error) {
    throw new Error(`${path} could not be loaded as a tokenizer: ${(error as Error).message}`);
  }
  // The embedding matrix may be padded past the tokenizer's vocabulary; ids beyond it never decode to text.
  const tokenizerVocabulary = tokenizer.get_vocab(true).size;
  const vocabulary = Math.min(configVocabulary, Math.max(tokenizerVocabulary, ...parsed.data.added_tokens.map((token) => token.id + 1)));
  const decoder = parsed.data.decoder;
  const byteLevel = decoder?.type === "ByteLevel" || (decoder?.type === "Sequence" && (decoder.decoders ?? []).every((step) => step.type === "ByteLevel"));
  return new TextTokenizer(tokenizer, vocabulary, byteLevel);
}

function weightsOf(dir: string, choice: VariantChoice): { onnxFile: string; variant: Variant; weightBytes: number } {
  const onnxDir = join(dir, "onnx");
  const listing = [
    ...readdirSync(dir),
    ...(existsSync(onnxDir) ? readdirSync(onnxDir).map((name) => `onnx/${name}`) : []),
  ];
  let selection;
  try {
    selection = selectFiles(listing, choice);
  } catch (error) {
    throw new Error(`model folder ${dir}: ${(error as Error).message}; set ghost.modelVariant to an available variant`);
  }
  const onnxFile = selection.files.find((file) => file.endsWith(".onnx"))!;
  const weightFiles = [onnxFile, ...externalDataFiles(listing, onnxFile)];
  const weightBytes = weightFiles.reduce((sum, file) => sum + statSync(join(dir, file)).size, 0);
  return { onnxFile, variant: selection.variant, weightBytes };
}
