// generate(): determinism, seeded sampling, stops, limits and cancellation, on the shipped model.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { LocalEngine } from "../../model/engine";
import type { GenerateEvent, GenerateRequest, GenerationStats } from "../../model/model";
import { tinyCoder } from "../helpers/models";

let engine: LocalEngine;
before(async () => (engine = await LocalEngine.load(tinyCoder, { variant: "fp32", threads: 1 })));
after(() => engine.dispose());

const prompt = [{ text: "function add(a, b) {\n  return" }];

async function run(request: GenerateRequest, signal?: AbortSignal, onToken?: (count: number) => void) {
  const tokens: number[] = [];
  let deltas = "";
  let done: { text: string; stats: GenerationStats } | undefined;
  for await (const event of engine.generate(request, signal) as AsyncIterable<GenerateEvent>) {
    if (event.type === "token") {
      tokens.push(event.id);
      deltas += event.text;
      onToken?.(tokens.length);
    } else done = event;
  }
  return { tokens, deltas, ...done! };
}

test("greedy output is deterministic, with a warm cache and with a cold one", async () => {
  const first = await run({ prompt, maxTokens: 24, stopTokens: [] });
  const second = await run({ prompt, maxTokens: 24, stopTokens: [] });
  assert.deepEqual(second.tokens, first.tokens);
  assert.equal(second.stats.reusedTokens, second.stats.promptTokens - 1);
  const cold = await LocalEngine.load(tinyCoder, { variant: "fp32", threads: 1 });
  const fromCold = await (async () => {
    const ids: number[] = [];
    for await (const event of cold.generate({ prompt, maxTokens: 24, stopTokens: [] })) if (event.type === "token") ids.push(event.id);
    return ids;
  })();
  await cold.dispose();
  assert.deepEqual(fromCold, first.tokens);
  assert.equal(first.tokens.length, 24);
  assert.equal(first.stats.stopReason, "max-tokens");
});

test("sampling is reproducible with a seed, and the seed matters", async () => {
  const sampled = (seed: number) => run({ prompt, maxTokens: 24, stopTokens: [], sampling: { kind: "sample", temperature: 1.2, topP: 0.95, seed } });
  const [a, b, c] = [await sampled(11), await sampled(11), await sampled(12)];
  assert.deepEqual(b.tokens, a.tokens);
  assert.notDeepEqual(c.tokens, a.tokens);
});

test("a stop token ends generation and is not part of the output", async () => {
  const free = await run({ prompt, maxTokens: 12, stopTokens: [] });
  const stopAt = free.tokens[3]!;
  const stopped = await run({ prompt, maxTokens: 12, stopTokens: [stopAt] });
  assert.deepEqual(stopped.tokens, free.tokens.slice(0, free.tokens.indexOf(stopAt)));
  assert.equal(stopped.stats.stopReason, "stop-token");
});

test("a stop string cuts the text before it; the streamed deltas agree with the final text", async () => {
  const free = await run({ prompt, maxTokens: 24, stopTokens: [] });
  const stop = free.text.slice(5, 7);
  const stopped = await run({ prompt, maxTokens: 24, stopTokens: [], stopStrings: [stop] });
  assert.equal(stopped.text, free.text.slice(0, free.text.indexOf(stop)));
  assert.equal(stopped.deltas, stopped.text);
  assert.equal(stopped.stats.stopReason, "stop-string");
});

test("the deadline ends generation with what it has", async () => {
  const result = await run({ prompt, maxTokens: 500, stopTokens: [], deadlineMs: 1 });
  assert.equal(result.stats.stopReason, "deadline");
  assert.ok(result.tokens.length < 500);
});

test("aborting stops generation within one token", async () => {
  const controller = new AbortController();
  let abortedAt = 0;
  const result = await run({ prompt, maxTokens: 200, stopTokens: [] }, controller.signal, (count) => {
    if (count === 5) {
      abortedAt = count;
      controller.abort();
    }
  });
  assert.equal(result.stats.stopReason, "cancelled");
  assert.ok(result.tokens.length <= abortedAt + 1, `${result.tokens.length} tokens after aborting at ${abortedAt}`);
});

test("a request aborted before it starts generates nothing, and the engine still answers the next one", async () => {
  const controller = new AbortController();
  controller.abort();
  const cancelled = await run({ prompt: [{ text: "const value = " }], maxTokens: 10 }, controller.signal);
  assert.deepEqual([cancelled.tokens.length, cancelled.stats.stopReason], [0, "cancelled"]);
  const next = await run({ prompt, maxTokens: 3, stopTokens: [] });
  assert.equal(next.tokens.length, 3);
});

test("stats count prompt, reused and prefilled tokens and time the first token", async () => {
  await run({ prompt: [{ text: "let total = 0;\nfor (const item of items) {\n" }], maxTokens: 2, stopTokens: [] });
  const result = await run({ prompt: [{ text: "let total = 0;\nfor (const item of items) {\n  total +=" }], maxTokens: 4, stopTokens: [] });
  const { promptTokens, reusedTokens, prefilledTokens, timeToFirstTokenMs, tokensPerSecond } = result.stats;
  assert.equal(reusedTokens + prefilledTokens, promptTokens);
  assert.ok(reusedTokens > 10 && prefilledTokens < promptTokens / 2, JSON.stringify(result.stats));
  assert.ok(timeToFirstTokenMs! > 0 && tokensPerSecond! > 0);
});

test("a prompt longer than the model's context is refused with a clear error", async () => {
  const long = [{ text: "x ".repeat(engine.info.contextLength + 10) }];
  await assert.rejects(run({ prompt: long, maxTokens: 4 }), /exceeds the model's context of \d+/);
});
