// The KV cache must not change the model's answer: logits computed incrementally, and after prefix reuse,
// equal a full recompute of the same tokens (micrograd's way: an oracle run side by side).
import { test } from "node:test";
import assert from "node:assert/strict";
import { LocalEngine } from "../../model/engine";
import { emptyKvCache } from "../../model/kv-cache";
import { shippedModels } from "../helpers/models";

// int8 graphs run MatMulNBits with int8 activations (accuracy level 4): the rounding depends on the rows per pass.
const toleranceOf = (variant: string) => (variant === "int8" ? 5e-2 : 1e-4);
const code = "export function fibonacci(n: number): number {\n  if (n < 2) return n;\n  return fibonacci(n - 1) + fibonacci(n - 2);\n}\n";
const edited = code.replace("if (n < 2)", "if (n <= 1)");

function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let max = 0;
  for (let index = 0; index < a.length; index++) max = Math.max(max, Math.abs(a[index]! - b[index]!));
  return max;
}

async function fullRecompute(engine: LocalEngine, text: string): Promise<Float32Array> {
  const ids = await engine.tokenize(text);
  const { logits, vocabularySize } = await engine.session.forward(ids, emptyKvCache(engine.session.layout));
  return logits.slice((ids.length - 1) * vocabularySize);
}

for (const model of shippedModels()) {
  test(`${model.name}: token-by-token decoding with the KV cache equals a full recompute`, async () => {
    const engine = await LocalEngine.load(model.dir, { variant: model.variant, threads: 1 });
    const ids = await engine.tokenize(code);
    const { logits: full, vocabularySize } = await engine.session.forward(ids, emptyKvCache(engine.session.layout));
    let step = await engine.session.forward(ids.slice(0, 8), emptyKvCache(engine.session.layout));
    let worst = 0;
    for (let position = 8; position < ids.length; position++) {
      step = await engine.session.forward([ids[position]!], step.cache);
      const expected = full.subarray(position * vocabularySize, (position + 1) * vocabularySize);
      worst = Math.max(worst, maxAbsDifference(step.logits, expected));
    }
    assert.ok(worst < toleranceOf(model.variant), `max |difference| ${worst}`);
    assert.equal(step.cache.length, ids.length);
    await engine.dispose();
  });

  test(`${model.name}: after an edit in the middle, prefix reuse gives the logits of a full recompute`, async () => {
    const engine = await LocalEngine.load(model.dir, { variant: model.variant, threads: 1, prefillChunk: 16 });
    await engine.nextTokenLogits([{ text: code }]);
    const reused = await engine.nextTokenLogits([{ text: edited }]);
    const editAt = (await engine.tokenize(code.slice(0, code.indexOf("if (n < 2)")))).length;
    assert.ok(reused.reusedTokens >= editAt - 1 && reused.reusedTokens < (await engine.tokenize(edited)).length);
    const difference = maxAbsDifference(reused.logits, await fullRecompute(engine, edited));
    assert.ok(difference < toleranceOf(model.variant), `max |difference| ${difference}`);
    await engine.dispose();
  });
}

test("the shipped models include fp32 and a quantized variant, and an export without position_ids", () => {
  const names = shippedModels().map((model) => model.name);
  assert.ok(names.includes("tiny-coder fp32") && names.includes("tiny-coder int8"), names.join(", "));
  assert.ok(names.some((name) => name.startsWith("tiny-coder-nopos")), names.join(", "));
});
