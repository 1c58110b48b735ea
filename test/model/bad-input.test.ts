// Bad model folders get clear errors that name the file and say what to do; never a crash or a silent fallback.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalEngine } from "../../model/engine";
import { tinyCoder } from "../helpers/models";

/** A copy of the shipped model in a temp folder, broken by `damage`. */
function brokenModel(damage: (dir: string) => void): string {
  const dir = join(mkdtempSync(join(tmpdir(), "ghost-bad-model-")), "model");
  cpSync(tinyCoder, dir, { recursive: true });
  damage(dir);
  return dir;
}

const load = (dir: string, extra: { variant?: "fp32" | "fp16" | "auto"; memoryLimitBytes?: number } = {}) =>
  LocalEngine.load(dir, { variant: extra.variant ?? "fp32", threads: 1, memoryLimitBytes: extra.memoryLimitBytes });

test("a folder that does not exist", async () => {
  await assert.rejects(load("/no/such/model"), /model folder \/no\/such\/model does not exist; set ghost.model/);
});

test("a missing config.json", async () => {
  const dir = brokenModel((dir) => rmSync(join(dir, "config.json")));
  await assert.rejects(load(dir), new RegExp(`${join(dir, "config.json")} is missing: a model folder needs config.json`));
});

test("a missing tokenizer.json", async () => {
  const dir = brokenModel((dir) => rmSync(join(dir, "tokenizer.json")));
  await assert.rejects(load(dir), /tokenizer\.json/);
});

test("a corrupt (truncated) tokenizer.json", async () => {
  const dir = brokenModel((dir) => writeFileSync(join(dir, "tokenizer.json"), '{"version": "1.0", "model": {"type": "BPE", "vo'));
  await assert.rejects(load(dir), new RegExp(`${join(dir, "tokenizer.json")} is not valid JSON .*download the model again`));
});

test("a tokenizer.json that is JSON but not a tokenizer", async () => {
  const dir = brokenModel((dir) => writeFileSync(join(dir, "tokenizer.json"), JSON.stringify({ hello: "world" })));
  await assert.rejects(load(dir), new RegExp(`${join(dir, "tokenizer.json")} is not a tokenizer.json`));
});

test("a config.json without the fields a causal LM needs", async () => {
  const dir = brokenModel((dir) => writeFileSync(join(dir, "config.json"), JSON.stringify({ model_type: "bert" })));
  await assert.rejects(load(dir), /config\.json is not a valid config\.json: .*num_hidden_layers/s);
});

test("a graph without the expected inputs lists the names it found", async () => {
  const dir = brokenModel((dir) => {
    for (const name of readdirSync(join(dir, "onnx"))) rmSync(join(dir, "onnx", name));
    cpSync(join(__dirname, "..", "fixtures", "graphs", "no-kv-cache.onnx"), join(dir, "onnx", "model.onnx"));
  });
  await assert.rejects(load(dir), /no input 'past_key_values\.0\.key' \(inputs: input_ids; outputs: logits\)/);
});

test("a truncated ONNX file", async () => {
  const dir = brokenModel((dir) => writeFileSync(join(dir, "onnx", "model.onnx"), Buffer.from("not really onnx")));
  await assert.rejects(load(dir), /model\.onnx is not a readable ONNX model .*download the model again/);
});

test("a variant the folder does not have names the variants it does have", async () => {
  await assert.rejects(load(tinyCoder, { variant: "fp16" }), /no fp16 weights \(onnx\/model_fp16\.onnx\); available: fp32, int8, q4/);
});

test("a model too large for the memory it may use", async () => {
  await assert.rejects(
    load(tinyCoder, { memoryLimitBytes: 1024 * 1024 }),
    /model\.onnx needs about \d+ MB to run at its peak \(weights \d+ MB, KV cache for 2048 tokens \d+ MB, runtime \d+ MB\) but the limit set by ghost\.memoryLimitMB is 1 MB\. Choose a smaller variant/,
  );
});
