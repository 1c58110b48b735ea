// Constrained decoding on the shipped test model (real onnxruntime, real XGrammar): the reply matches the grammar
// and ends where it does, with greedy and sampled decoding, prompt-lookup drafts, a reused KV prefix and the worker
// process; cancel and deadline land inside a constrained reply; a grammar that can not fit its token limit or does
// not compile fails with a clear error.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { z } from "zod";
import { LocalEngine } from "../../../model/engine";
import type { GenerateEvent, GenerateRequest, GenerationStats, Model } from "../../../model/model";
import { WorkerModel } from "../../../model/worker-client";
import { toolCallGrammar } from "../../../agent/loop/reply-format";
import { parseToolCall } from "../../../agent/loop/tool-call";
import { tinyCoder } from "../../helpers/models";

let engine: LocalEngine;
let chat: string;
before(async () => {
  engine = await LocalEngine.load(tinyCoder, { variant: "fp32", threads: 1 });
  chat = await engine.renderChat([{ role: "system", content: "Reply with one tool call." }, { role: "user", content: "Task: read src/main.ts" }], true);
});
after(() => engine.dispose());

async function run(model: Model, request: GenerateRequest, signal?: AbortSignal) {
  const ids: number[] = [];
  let done: Extract<GenerateEvent, { type: "done" }> | undefined;
  for await (const event of model.generate(request, signal)) {
    if (event.type === "token") ids.push(event.id);
    else done = event;
  }
  return { ids, text: done!.text, stats: done!.stats as GenerationStats };
}

const sampled = (seed: number) => ({ kind: "sample" as const, temperature: 1, topP: 0.95, seed });

test("every constrained tool-call reply parses and validates, greedy or sampled, and ends where the grammar ends", async () => {
  for (const maxTokens of [48, 96, 200]) {
    for (const sampling of [{ kind: "greedy" as const }, sampled(1), sampled(2)]) {
      const { text, stats } = await run(engine, { prompt: [{ text: chat }], maxTokens, sampling, grammar: toolCallGrammar });
      const parsed = parseToolCall(text);
      assert.ok(parsed.ok, `${maxTokens} ${sampling.kind}: ${JSON.stringify(text)} ${!parsed.ok && parsed.error}`);
      assert.equal(stats.stopReason, "grammar-end");
      assert.ok(stats.generatedTokens <= maxTokens);
      assert.match(text, /```json\n\{.*\}\n```$/s);
    }
  }
});

test("the same prompt unconstrained does not give a tool call (the test model never closes its JSON)", async () => {
  const { text } = await run(engine, { prompt: [{ text: chat }], maxTokens: 96, stopStrings: ["<|im_end|>"] });
  assert.equal(parseToolCall(text).ok, false);
});

test("a JSON Schema grammar: the reply is JSON that the schema's zod twin accepts", async () => {
  const schema = z.strictObject({ name: z.string().min(1), count: z.number().int().positive(), kind: z.enum(["a", "b"]) });
  for (const sampling of [{ kind: "greedy" as const }, sampled(7)]) {
    const { text, stats } = await run(engine, { prompt: [{ text: "const config = " }], maxTokens: 64, sampling, grammar: { kind: "json-schema", schema: z.toJSONSchema(schema) } });
    assert.equal(stats.stopReason, "grammar-end");
    assert.ok(schema.safeParse(JSON.parse(text)).success, text);
  }
});

test("masked tokens are never sampled: an EBNF choice gives one of its words", async () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const { text, stats } = await run(engine, { prompt: [{ text: "Answer:" }], maxTokens: 8, sampling: sampled(seed), grammar: { kind: "ebnf", text: 'root ::= "yes" | "no" | "maybe later"' } });
    assert.ok(["yes", "no", "maybe later"].includes(text), text);
    assert.equal(stats.stopReason, "grammar-end");
    assert.deepEqual(stats.constrained, { forcedTokens: stats.constrained!.forcedTokens });
  }
});

test("prompt-lookup drafts: the constrained output equals constrained greedy without drafts, in fewer forward passes", async () => {
  const copyable = "{\"tool\": \"edit_file\", \"args\": {\"path\": \"src/math.ts\", \"search\": \"return a - b;\\n\", \"replace\": \"return a + b;\\n\"}}";
  const prompt = [{ text: `${chat}Earlier reply:\n\`\`\`json\n${copyable}\n\`\`\`\nAgain:\n` }];
  const plain = await run(engine, { prompt, maxTokens: 120, grammar: toolCallGrammar });
  const drafted = await run(engine, { prompt, maxTokens: 120, grammar: toolCallGrammar, speculation: { maxDraft: 8, ngram: 3 } });
  assert.deepEqual(drafted.ids, plain.ids);
  assert.equal(drafted.text, plain.text);
  assert.ok(drafted.stats.forwardPasses < plain.stats.forwardPasses, `${drafted.stats.forwardPasses} vs ${plain.stats.forwardPasses}`);
});

test("a reused KV prefix gives the same constrained reply as a fresh engine", async () => {
  const request = { prompt: [{ text: chat }], maxTokens: 80, grammar: toolCallGrammar };
  const first = await run(engine, request);
  const again = await run(engine, request);
  assert.ok(again.stats.reusedTokens > 0);
  const fresh = await LocalEngine.load(tinyCoder, { variant: "fp32", threads: 1 });
  try {
    assert.equal((await run(fresh, request)).text, first.text);
  } finally {
    await fresh.dispose();
  }
  assert.equal(again.text, first.text);
});

test("cancel inside a constrained reply ends it within one token, and the next constrained request works", async () => {
  const controller = new AbortController();
  const ids: number[] = [];
  let stats: GenerationStats | undefined;
  for await (const event of engine.generate({ prompt: [{ text: chat }], maxTokens: 400, grammar: toolCallGrammar }, controller.signal)) {
    if (event.type === "token") {
      ids.push(event.id);
      if (ids.length === 5) controller.abort();
    } else stats = event.stats;
  }
  assert.equal(stats!.stopReason, "cancelled");
  assert.equal(ids.length, 5);
  assert.ok(parseToolCall((await run(engine, { prompt: [{ text: chat }], maxTokens: 64, grammar: toolCallGrammar })).text).ok);
});

test("a deadline inside a constrained reply ends it with what it has", async () => {
  // Past the first token on this machine now (the prompt is cached), far short of 1,500 tokens.
  const warm = await run(engine, { prompt: [{ text: chat }], maxTokens: 2, grammar: { kind: "ebnf", text: 'root ::= [a-z]+ "."' } });
  const deadlineMs = 4 * warm.stats.timeToFirstTokenMs! + 20;
  const { stats } = await run(engine, { prompt: [{ text: chat }], maxTokens: 1500, grammar: toolCallGrammar, deadlineMs });
  assert.equal(stats.stopReason, "deadline");
  assert.ok(stats.generatedTokens > 0 && stats.generatedTokens < 1500, `${stats.generatedTokens} tokens in ${deadlineMs} ms`);
});

test("a grammar that can not be completed within the token limit fails at once with a clear error", async () => {
  const long = "abcdefghij ".repeat(40);
  const started = Date.now();
  await assert.rejects(run(engine, { prompt: [{ text: "x" }], maxTokens: 8, grammar: { kind: "ebnf", text: `root ::= "${long}"` } }), /the grammar can not be completed within 8 tokens/);
  assert.ok(Date.now() - started < 10_000);
});

test("a grammar that does not compile, or a constrained request with stop strings, is refused with the reason", async () => {
  await assert.rejects(run(engine, { prompt: [{ text: "x" }], maxTokens: 8, grammar: { kind: "ebnf", text: "root ::= undefined_rule" } }), /the grammar could not be compiled: .*Rule "undefined_rule" is not defined/);
  await assert.rejects(run(engine, { prompt: [{ text: "x" }], maxTokens: 8, grammar: { kind: "ebnf", text: 'root ::= "a"' }, stopStrings: ["b"] }), /a constrained request takes no stop strings/);
  assert.equal((await run(engine, { prompt: [{ text: "x" }], maxTokens: 8, grammar: { kind: "ebnf", text: 'root ::= "ok"' } })).text, "ok");
});

test("the worker process decodes under the same grammar, token for token", async () => {
  const worker = await WorkerModel.start(tinyCoder, { variant: "fp32", threads: 1 });
  try {
    const request = { prompt: [{ text: chat }], maxTokens: 96, sampling: sampled(3), grammar: toolCallGrammar };
    const inWorker = await run(worker, request);
    const inProcess = await run(engine, request);
    assert.deepEqual(inWorker.ids, inProcess.ids);
    assert.ok(inWorker.stats.constrained);
    assert.ok(parseToolCall(inWorker.text).ok);
  } finally {
    await worker.dispose();
  }
});
