import { test } from "node:test";
import assert from "node:assert/strict";
import { buildFimPrompt, detectFimFamily, fimFamilies, type FimFamily } from "../../model/fim";
import type { PromptPart } from "../../model/prompt";

/** One-line rendering: special tokens as they are, healed text in ‹›. */
const render = (parts: PromptPart[]) =>
  parts.map((part) => ("special" in part ? part.special : "text" in part ? (part.heal ? `‹${part.text}›` : part.text) : "")).join("");

const specials = (...names: string[]) => new Map(names.map((name, index) => [name, 1000 + index]));

test("the family is detected from the tokenizer's special tokens", () => {
  for (const family of Object.keys(fimFamilies) as FimFamily[]) {
    const { prefix, suffix, middle } = fimFamilies[family];
    assert.equal(detectFimFamily(specials("<|endoftext|>", prefix, suffix, middle)), family);
  }
  assert.equal(detectFimFamily(specials("<|endoftext|>", "<|im_start|>")), null);
  assert.equal(detectFimFamily(specials("<fim_prefix>", "<fim_suffix>")), null);
});

test("prefix-suffix-middle layout per family, the prefix marked for healing", () => {
  const input = { prefix: "let x = con", suffix: ";\n" };
  assert.equal(render(buildFimPrompt("qwen", input)), "<|fim_prefix|>‹let x = con›<|fim_suffix|>;\n<|fim_middle|>");
  assert.equal(render(buildFimPrompt("starcoder", input)), "<fim_prefix>‹let x = con›<fim_suffix>;\n<fim_middle>");
  assert.equal(render(buildFimPrompt("deepseek", input)), "<｜fim▁begin｜>‹let x = con›<｜fim▁hole｜>;\n<｜fim▁end｜>");
  assert.equal(render(buildFimPrompt("codellama", input)), "<PRE> ‹let x = con›<SUF>;\n<MID>");
});

test("repo-level context: Qwen's file separators, other files first, then the current file's path", () => {
  const prompt = buildFimPrompt("qwen", {
    prefix: "add(",
    suffix: "",
    path: "src/main.ts",
    repoName: "demo",
    context: [{ path: "src/math.ts", text: "export function add(a: number, b: number) {}" }],
  });
  assert.equal(
    render(prompt),
    "<|repo_name|>demo\n<|file_sep|>src/math.ts\nexport function add(a: number, b: number) {}\n<|file_sep|>src/main.ts\n" +
      "<|fim_prefix|>‹add(›<|fim_suffix|><|fim_middle|>",
  );
});

test("families without file separators get other files as path comments before the prefix", () => {
  const prompt = buildFimPrompt("deepseek", { prefix: "a", suffix: "", context: [{ path: "b.ts", text: "const b = 1;" }] });
  assert.equal(render(prompt), "// b.ts\nconst b = 1;\n<｜fim▁begin｜>‹a›<｜fim▁hole｜><｜fim▁end｜>");
});
