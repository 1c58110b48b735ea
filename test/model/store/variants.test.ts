// Which files each weight variant needs, from a plain list of paths.
import { test } from "node:test";
import assert from "node:assert/strict";
import { availableVariants, externalDataFiles, selectFiles } from "../../../model/store/variants";

const listing = [
  "README.md",
  "config.json",
  "generation_config.json",
  "tokenizer.json",
  "tokenizer_config.json",
  "special_tokens_map.json",
  "onnx/model.onnx",
  "onnx/model.onnx_data",
  "onnx/model.onnx_data_1",
  "onnx/model_quantized.onnx",
  "onnx/model_q4f16.onnx",
  "onnx/model_q4f16.onnx_data",
  "onnx/model_fp16.onnx",
];
const json = ["config.json", "tokenizer.json", "generation_config.json", "tokenizer_config.json", "special_tokens_map.json"];

test("each variant takes the json files, its weights and their external data, nothing else", () => {
  assert.deepEqual(selectFiles(listing, "fp32"), { variant: "fp32", files: [...json, "onnx/model.onnx", "onnx/model.onnx_data", "onnx/model.onnx_data_1"] });
  assert.deepEqual(selectFiles(listing, "int8").files.slice(json.length), ["onnx/model_quantized.onnx"]);
  assert.deepEqual(selectFiles(listing, "q4f16").files.slice(json.length), ["onnx/model_q4f16.onnx", "onnx/model_q4f16.onnx_data"]);
  assert.deepEqual(selectFiles(listing, "fp16").files.slice(json.length), ["onnx/model_fp16.onnx"]);
});

test("optional json files are taken only when present", () => {
  const minimal = ["config.json", "tokenizer.json", "onnx/model_q4.onnx"];
  assert.deepEqual(selectFiles(minimal, "q4").files, ["config.json", "tokenizer.json", "onnx/model_q4.onnx"]);
});

test("int8 is also found under its other name", () => {
  assert.deepEqual(selectFiles(["config.json", "tokenizer.json", "onnx/model_int8.onnx"], "int8").files.at(-1), "onnx/model_int8.onnx");
});

test("auto picks int8, then q4, then fp32", () => {
  const base = ["config.json", "tokenizer.json"];
  assert.equal(selectFiles(listing, "auto").variant, "int8");
  assert.equal(selectFiles([...base, "onnx/model.onnx", "onnx/model_q4.onnx"], "auto").variant, "q4");
  assert.equal(selectFiles([...base, "onnx/model.onnx", "onnx/model_fp16.onnx"], "auto").variant, "fp32");
});

test("errors name the variant asked for and the variants there are", () => {
  assert.throws(() => selectFiles(listing, "q4"), { message: "the model has no q4 weights (onnx/model_q4.onnx); available: fp32, int8, q4f16, fp16" });
  assert.throws(() => selectFiles(["config.json", "tokenizer.json", "onnx/model_fp16.onnx"], "auto"), {
    message: "the model has none of the variants auto picks from (int8, q4, fp32); available: fp16",
  });
  assert.throws(() => selectFiles(["config.json", "tokenizer.json"], "fp32"), { message: "the model has no fp32 weights (onnx/model.onnx); no ONNX weights under onnx/ at all" });
  assert.throws(() => selectFiles(["config.json", "onnx/model.onnx"], "fp32"), { message: "the model has no tokenizer.json: not the Hugging Face ONNX layout" });
});

test("external data follows the exporters' names, in order, and never another file's", () => {
  const paths = ["onnx/model.onnx_data_10", "onnx/model.onnx_data_2", "onnx/model.onnx_data", "onnx/model.onnx.data", "onnx/model.onnx_database", "onnx/model_q4.onnx_data"];
  assert.deepEqual(externalDataFiles(paths, "onnx/model.onnx"), ["onnx/model.onnx.data", "onnx/model.onnx_data", "onnx/model.onnx_data_2", "onnx/model.onnx_data_10"]);
});

test("available variants are listed in a fixed order", () => {
  assert.deepEqual(availableVariants(listing), ["fp32", "int8", "q4f16", "fp16"]);
});
