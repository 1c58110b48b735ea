// The completion warm-up on the real engine: prefilled while the cursor rests, the prompt is cached, so the first
// keystroke prefills only what follows the cursor; a completion preempts a warm-up still running and gets the same
// text as without one. Judged by the engine's own prefill counts. Ghost's own source files are the documents.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { complete, editorRequest, warmCompletion, type CompleteOptions } from "../../../agent/complete/complete";
import type { CompletionInput } from "../../../agent/complete/context";
import { PromptLayout } from "../../../agent/complete/prompt-layout";
import { RecentChunks } from "../../../agent/context/similar-chunks";
import { buildIndex, TagIndex } from "../../../agent/context/tag-index";
import { LocalEngine } from "../../../model/engine";
import { tinyCoder } from "../../helpers/models";

const root = join(__dirname, "..", "..", "..");
const path = "agent/complete/context.ts";
const engines: LocalEngine[] = [];
after(() => Promise.all(engines.map((engine) => engine.dispose())));

async function load(prefillChunk?: number): Promise<LocalEngine> {
  const engine = await LocalEngine.load(tinyCoder, { variant: "fp32", threads: 1, prefillChunk });
  engines.push(engine);
  return engine;
}

async function setup(model: LocalEngine): Promise<CompleteOptions> {
  const index = new TagIndex();
  await buildIndex(index, ["agent/complete/context.ts", "agent/complete/window.ts", "agent/complete/prompt-layout.ts"], (file) => readFile(join(root, file), "utf8"));
  return { model, index, recent: new RecentChunks(), layout: new PromptLayout(), budgetTokens: 1500, charsPerToken: 2.5, ...editorRequest };
}

/** The cursor resting at the start of the body of `assembleContext`'s first statement, and the same with `typed`
 *  typed there. */
async function document(typed: string): Promise<{ resting: CompletionInput; typing: CompletionInput }> {
  const text = await readFile(join(root, path), "utf8");
  const offset = text.indexOf("const budgetChars = options.budgetTokens");
  return { resting: { path, text, offset }, typing: { path, text: text.slice(0, offset) + typed + text.slice(offset), offset: offset + typed.length } };
}

test("a warm-up at rest caches the prompt: the next keystroke prefills only the text after the cursor", async () => {
  const engine = await load();
  const options = await setup(engine);
  const { resting, typing } = await document("c");
  const warmed = (await warmCompletion(resting, options, new AbortController().signal))!;
  assert.equal(warmed.stats.cancelled, false);
  assert.equal(warmed.stats.prefilledTokens, warmed.stats.promptTokens);
  assert.ok(warmed.stats.promptTokens > 800, `a real prompt (${warmed.stats.promptTokens} tokens)`);

  const again = (await warmCompletion(resting, options, new AbortController().signal))!;
  assert.equal(again.stats.prefilledTokens, 0, "a warm-up of a cached prompt feeds nothing");

  const result = await complete(typing, options, new AbortController().signal);
  // The suffix, its FIM markers, and the healed last token or two of the prefix.
  const tail = (await engine.tokenize(result.context.window.suffix)).length + 2;
  assert.ok(result.stats.prefilledTokens <= tail + 3, `prefilled ${result.stats.prefilledTokens} of ${result.stats.promptTokens}, tail ${tail}`);

  const cold = await complete(typing, await setup(await load()), new AbortController().signal);
  assert.equal(cold.stats.reusedTokens, 0);
  assert.equal(result.raw, cold.raw, "the cached prompt gives the text a cold engine gives");
});

test("a completion preempts a running warm-up, which keeps the chunks it fed, and returns the right text", async () => {
  // Small chunks, so the warm-up is midway when the keystroke comes.
  const engine = await load(4);
  const options = await setup(engine);
  const { resting, typing } = await document("co");
  const warming = warmCompletion(resting, options, new AbortController().signal);
  await new Promise((resolve) => setImmediate(resolve));
  const result = await complete(typing, options, new AbortController().signal);
  const warmed = (await warming)!;
  assert.equal(warmed.stats.cancelled, true);
  assert.ok(warmed.stats.prefilledTokens > 0 && warmed.stats.prefilledTokens < warmed.stats.promptTokens / 2, `the warm-up fed ${warmed.stats.prefilledTokens} of ${warmed.stats.promptTokens}`);
  assert.equal(result.stats.reusedTokens, warmed.stats.prefilledTokens, "the completion starts from the warm-up's chunks");

  const cold = await complete(typing, await setup(await load()), new AbortController().signal);
  assert.equal(result.raw, cold.raw);
  assert.equal(result.text, cold.text);
});

test("an aborted warm-up stops, and a newer warm-up replaces an older one", async () => {
  const engine = await load(32);
  const options = await setup(engine);
  const { resting, typing } = await document("x");
  const aborted = new AbortController();
  aborted.abort();
  const none = (await warmCompletion(resting, options, aborted.signal))!;
  assert.deepEqual([none.stats.cancelled, none.stats.prefilledTokens], [true, 0]);

  const older = warmCompletion(resting, options, new AbortController().signal);
  const newer = warmCompletion(typing, options, new AbortController().signal);
  const [first, second] = [(await older)!, (await newer)!];
  assert.deepEqual([first.stats.cancelled, first.stats.prefilledTokens], [true, 0], "the older one had not started");
  assert.equal(second.stats.cancelled, false);
  assert.equal(second.stats.prefilledTokens, second.stats.promptTokens);
});
