// Fill-in-the-middle prompt templates per model family, and the family's detection from the tokenizer's special
// tokens. Builds prompt parts (text and special tokens by name); knows nothing about tokenization or ONNX.
import type { PromptPart } from "./prompt";

export type FimFamily = "qwen" | "starcoder" | "deepseek" | "codellama";

interface FamilyTokens {
  prefix: string;
  suffix: string;
  middle: string;
  /** Tokens that end a completion besides the model's end-of-sequence ids. */
  stops: string[];
  repoName?: string;
  fileSeparator?: string;
}

export const fimFamilies: Record<FimFamily, FamilyTokens> = {
  qwen: {
    prefix: "<|fim_prefix|>",
    suffix: "<|fim_suffix|>",
    middle: "<|fim_middle|>",
    stops: ["<|endoftext|>", "<|fim_pad|>", "<|file_sep|>", "<|repo_name|>", "<|im_end|>", "<|fim_prefix|>", "<|fim_suffix|>", "<|fim_middle|>"],
    repoName: "<|repo_name|>",
    fileSeparator: "<|file_sep|>",
  },
  starcoder: {
    prefix: "<fim_prefix>",
    suffix: "<fim_suffix>",
    middle: "<fim_middle>",
    stops: ["<|endoftext|>", "<file_sep>", "<fim_prefix>", "<fim_suffix>", "<fim_middle>"],
    repoName: "<repo_name>",
    fileSeparator: "<file_sep>",
  },
  deepseek: {
    prefix: "<｜fim▁begin｜>",
    suffix: "<｜fim▁hole｜>",
    middle: "<｜fim▁end｜>",
    stops: ["<｜end▁of▁sentence｜>", "<|EOT|>", "<｜fim▁begin｜>", "<｜fim▁hole｜>", "<｜fim▁end｜>"],
  },
  codellama: { prefix: "<PRE>", suffix: "<SUF>", middle: "<MID>", stops: ["<EOT>", "</s>", "<PRE>", "<SUF>", "<MID>"] },
};

/** The family whose three FIM markers are all special tokens of this tokenizer, or null (no FIM support). */
export function detectFimFamily(specialTokens: ReadonlyMap<string, number>): FimFamily | null {
  const families = Object.entries(fimFamilies) as [FimFamily, FamilyTokens][];
  const found = families.find(([, tokens]) => [tokens.prefix, tokens.suffix, tokens.middle].every((token) => specialTokens.has(token)));
  return found ? found[0] : null;
}

export interface FimInput {
  prefix: string;
  suffix: string;
  /** Path of the file being completed, for families with repo-level context. */
  path?: string;
  repoName?: string;
  /** Other files' relevant text, placed before the current file. Keep their order stable between keystrokes so the
   *  KV cache's prefix survives. */
  context?: { path: string; text: string }[];
}

/** Prompt parts in prefix-suffix-middle order; the prefix is marked for token healing. */
export function buildFimPrompt(family: FimFamily, input: FimInput): PromptPart[] {
  const tokens = fimFamilies[family];
  return [
    ...contextParts(tokens, input),
    { special: tokens.prefix },
    ...(family === "codellama" ? [{ text: " " }] : []),
    { text: input.prefix, heal: true },
    { special: tokens.suffix },
    { text: input.suffix },
    { special: tokens.middle },
  ];
}

export function fimStopTokens(family: FimFamily): string[] {
  return fimFamilies[family].stops;
}

/** Repo-level context: the family's file separators where it has them, else each file as a path comment. */
function contextParts(tokens: FamilyTokens, input: FimInput): PromptPart[] {
  const files = input.context ?? [];
  if (!tokens.fileSeparator) {
    return files.map((file) => ({ text: `// ${file.path}\n${file.text}\n` }));
  }
  if (files.length === 0 && !input.path) return [];
  const separator = tokens.fileSeparator;
  return [
    ...(tokens.repoName ? [{ special: tokens.repoName }, { text: `${input.repoName ?? "workspace"}\n` }] : []),
    ...files.flatMap((file) => [{ special: separator }, { text: `${file.path}\n${file.text}\n` }]),
    ...(input.path ? [{ special: separator }, { text: `${input.path}\n` }] : []),
  ];
}
