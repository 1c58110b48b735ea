// Warm-ups across the worker's process boundary: the prompt a warm-up prefilled is what the next request finds
// cached (the engine's own counts say so), a cancel reaches the warm-up, and a generate preempts it.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import type { GenerateRequest, GenerationStats, Model } from "../../model/model";
import { WorkerModel } from "../../model/worker-client";
import { tinyCoder } from "../helpers/models";

const prompt = [{ text: `// a long enough prompt to take several chunks\n${"export const value = compute(input, options);\n".repeat(40)}` }];
const workers: WorkerModel[] = [];
after(() => Promise.all(workers.map((worker) => worker.dispose())));

async function start(prefillChunk: number): Promise<WorkerModel> {
  const worker = await WorkerModel.start(tinyCoder, { variant: "fp32", threads: 1, prefillChunk });
  workers.push(worker);
  return worker;
}

async function statsOf(model: Model, request: GenerateRequest): Promise<GenerationStats> {
  for await (const event of model.generate(request)) if (event.type === "done") return event.stats;
  throw new Error("no done event");
}

test("a warm-up in the worker leaves the prompt cached for the next request", async () => {
  const worker = await start(64);
  const warmed = await worker.warm({ prompt, maxTokens: 8 });
  assert.equal(warmed.cancelled, false);
  assert.equal(warmed.prefilledTokens, warmed.promptTokens);
  const stats = await statsOf(worker, { prompt, maxTokens: 8, stopTokens: [] });
  // One prompt token is always fed again, for the next-token logits.
  assert.deepEqual([stats.reusedTokens, stats.prefilledTokens], [warmed.promptTokens - 1, 1]);
});

test("a cancel stops a warm-up in the worker, and a generate sent meanwhile preempts one", async () => {
  const worker = await start(4);
  const aborted = new AbortController();
  aborted.abort();
  const none = await worker.warm({ prompt, maxTokens: 8 }, aborted.signal);
  // The cancel follows the request into the worker, which may have fed a chunk or two by then.
  assert.ok(none.cancelled && none.prefilledTokens < none.promptTokens / 4, `fed ${none.prefilledTokens} of ${none.promptTokens}`);

  const warming = worker.warm({ prompt: [{ text: `${prompt[0]!.text}// more\n` }], maxTokens: 8 });
  const stats = await statsOf(worker, { prompt, maxTokens: 8, stopTokens: [] });
  const warmed = await warming;
  assert.equal(warmed.cancelled, true);
  assert.ok(warmed.reusedTokens + warmed.prefilledTokens < warmed.promptTokens / 4, `cached ${warmed.reusedTokens} + fed ${warmed.prefilledTokens} of ${warmed.promptTokens}`);
  assert.equal(stats.reusedTokens, warmed.reusedTokens + warmed.prefilledTokens, "the request starts from what the warm-ups fed");
});
