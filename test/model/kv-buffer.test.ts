// The KV cache as capacity buffers the rewritten graph only reads (model/graph/attention-rewrite.ts): the buffers are
// written in place while decoding, a buffer far larger than a request needs is shrunk without losing what it holds,
// stale rows past the valid length never reach attention, and a context close to the model's limit gives the
// export's own answer. The oracle is the export run as it is (rewrites "none").
import { test } from "node:test";
import assert from "node:assert/strict";
import { LocalEngine } from "../../model/engine";
import { emptyKvCache, kvCapacity, truncateKvCache, type KvCache } from "../../model/kv-cache";
import { tinyCoder } from "../helpers/models";

const code = "export function fibonacci(n: number): number {\n  if (n < 2) return n;\n  return fibonacci(n - 1) + fibonacci(n - 2);\n}\n";

function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let max = 0;
  for (let index = 0; index < a.length; index++) max = Math.max(max, Math.abs(a[index]! - b[index]!));
  return max;
}

/** Next-token logits after `ids`, computed from scratch by the export as it is. */
async function oracle(plain: LocalEngine, ids: number[]): Promise<Float32Array> {
  return (await plain.session.forward(ids, emptyKvCache(plain.session.layout), 1)).logits;
}

async function engines(): Promise<{ plain: LocalEngine; buffered: LocalEngine }> {
  const plain = await LocalEngine.load(tinyCoder, { variant: "fp32", threads: 1, rewrites: "none" });
  const buffered = await LocalEngine.load(tinyCoder, { variant: "fp32", threads: 1 });
  assert.equal(buffered.session.layout.sharedBuffer, true, buffered.session.graph.attentionSkipped);
  return { plain, buffered };
}

test("decoding writes into the reserved buffers in place and gives the export's logits", async () => {
  const { plain, buffered } = await engines();
  const ids = await buffered.tokenize(code);
  const session = buffered.session;
  const reserved = session.reserve(emptyKvCache(session.layout), ids.length + 8);
  assert.ok(kvCapacity(reserved) >= ids.length + 8);
  let step = await session.forward(ids.slice(0, 10), reserved, 1);
  for (let position = 10; position < ids.length; position++) {
    step = await session.forward([ids[position]!], step.cache);
    assert.ok(step.cache.tensors.every((tensor, index) => tensor === reserved.tensors[index]), `position ${position}: the buffers were replaced`);
  }
  assert.equal(step.cache.length, ids.length);
  assert.ok(maxAbsDifference(step.logits, await oracle(plain, ids)) < 1e-4);
  await plain.dispose();
  await buffered.dispose();
});

test("a buffer far larger than a request needs is shrunk, keeping its valid positions", async () => {
  const { plain, buffered } = await engines();
  const ids = await buffered.tokenize(code);
  const session = buffered.session;
  const large = (await session.forward(ids.slice(0, 20), session.reserve(emptyKvCache(session.layout), 1500), 1)).cache;
  assert.ok(kvCapacity(large) >= 1500);
  const small = session.reserve(large, ids.length);
  assert.ok(kvCapacity(small) < 1500 && kvCapacity(small) >= ids.length, `capacity ${kvCapacity(small)}`);
  const result = await session.forward(ids.slice(20), small, 1);
  assert.ok(maxAbsDifference(result.logits, await oracle(plain, ids)) < 1e-4);
  await plain.dispose();
  await buffered.dispose();
});

test("rows past the valid length (left by a truncation) do not reach attention", async () => {
  const { plain, buffered } = await engines();
  const ids = await buffered.tokenize(code);
  const other = await buffered.tokenize(code.replaceAll("fibonacci", "lucas").replaceAll("n", "k"));
  const session = buffered.session;
  let cache: KvCache = (await session.forward(ids, session.reserve(emptyKvCache(session.layout), ids.length + other.length), 1)).cache;
  cache = truncateKvCache(cache, 12, session.layout);
  assert.equal(cache.length, 12);
  // the buffers still hold the truncated rows; the new tokens must see only the first 12 positions and themselves
  const result = await session.forward(other.slice(0, 16), cache, 16);
  const expected = (await plain.session.forward([...ids.slice(0, 12), ...other.slice(0, 16)], emptyKvCache(plain.session.layout))).logits;
  const vocabulary = result.vocabularySize;
  assert.ok(maxAbsDifference(result.logits, expected.subarray(12 * vocabulary)) < 1e-4);
  await plain.dispose();
  await buffered.dispose();
});

test("close to the model's context limit, the buffered graph gives the export's greedy tokens", async () => {
  const { plain, buffered } = await engines();
  const limit = buffered.info.contextLength;
  const maxTokens = 24;
  const source = Array.from({ length: 80 }, (_, index) => code.replaceAll("fibonacci", `f${index}`)).join("\n");
  const ids = (await buffered.tokenize(source)).slice(0, limit - maxTokens);
  const text = buffered.folder.tokenizer.decode(ids);
  const greedy = async (engine: LocalEngine) => {
    const tokens: number[] = [];
    for await (const event of engine.generate({ prompt: [{ text }], maxTokens, stopTokens: [] })) if (event.type === "token") tokens.push(event.id);
    return tokens;
  };
  const expected = await greedy(plain);
  assert.equal(expected.length, maxTokens);
  assert.deepEqual(await greedy(buffered), expected);
  await plain.dispose();
  await buffered.dispose();
});
