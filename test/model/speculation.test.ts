// Prompt-lookup speculative decoding: drafts come from earlier occurrences of the latest n-gram, and the output is
// token for token what plain greedy decoding gives.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { LocalEngine } from "../../model/engine";
import type { GenerateRequest, GenerationStats } from "../../model/model";
import { draftTokens } from "../../model/prompt-lookup";
import { shippedModels, tinyCoder } from "../helpers/models";

test("drafts follow the most recent earlier occurrence of the longest recurring n-gram", () => {
  //                 0  1  2  3  4  5  6  7  8  9
  const history = [1, 2, 3, 4, 9, 1, 2, 3, 5, 1, 2];
  assert.deepEqual(draftTokens(history, 3, 4), [3, 5, 1, 2]);
  assert.deepEqual(draftTokens([7, 8, 9], 3, 4), []);
  assert.deepEqual(draftTokens([4, 1, 4], 2, 2), [1, 4]);
});

const code = `export function total(items: Item[]): number {
  let sum = 0;
  for (const item of items) {
    if (item.enabled) sum += item.price * item.quantity;
  }
  return sum;
}
`;
const prompt = [{ text: `// before\n${code}\n// after: the same function, renamed to grandTotal\n${code.replace("total", "grandTotal").slice(0, 40)}` }];

async function run(engine: LocalEngine, request: GenerateRequest) {
  const ids: number[] = [];
  let stats: GenerationStats | undefined;
  for await (const event of engine.generate(request)) {
    if (event.type === "token") ids.push(event.id);
    else stats = event.stats;
  }
  return { ids, stats: stats! };
}

for (const model of shippedModels()) {
  test(`${model.name}: speculation gives exactly the greedy output`, async () => {
    const engine = await LocalEngine.load(model.dir, { variant: model.variant, threads: 1 });
    const plain = await run(engine, { prompt, maxTokens: 80, stopTokens: [] });
    const fast = await run(engine, { prompt, maxTokens: 80, stopTokens: [], speculation: { maxDraft: 8, ngram: 3 } });
    await engine.dispose();
    assert.deepEqual(fast.ids, plain.ids);
    assert.equal(plain.stats.forwardPasses, 79);
    assert.ok(fast.stats.forwardPasses <= plain.stats.forwardPasses);
  });
}

let engine: LocalEngine;
before(async () => (engine = await LocalEngine.load(tinyCoder, { variant: "fp32", threads: 1 })));
after(() => engine.dispose());

test("speculation is refused with sampling, where it could not reproduce the output", async () => {
  await assert.rejects(
    run(engine, { prompt, maxTokens: 4, sampling: { kind: "sample", temperature: 1, topP: 1, seed: 1 }, speculation: { maxDraft: 4, ngram: 2 } }),
    /speculation is only for greedy decoding/,
  );
});

test("after drafts are rolled back the KV cache still equals a full recompute", async () => {
  const spoken = await run(engine, { prompt, maxTokens: 40, stopTokens: [], speculation: { maxDraft: 8, ngram: 2 } });
  const continued = [...prompt, { ids: spoken.ids }];
  const warm = await engine.nextTokenLogits(continued);
  const fresh = await LocalEngine.load(tinyCoder, { variant: "fp32", threads: 1 });
  const cold = await fresh.nextTokenLogits(continued);
  await fresh.dispose();
  assert.ok(warm.reusedTokens > 40, `reused ${warm.reusedTokens}`);
  assert.equal(cold.reusedTokens, 0);
  const difference = warm.logits.reduce((max, value, index) => Math.max(max, Math.abs(value - cold.logits[index]!)), 0);
  assert.ok(difference < 1e-4, `max |difference| ${difference}`);
});
