// Edit in place under its reply grammar (agent/edit/reply-format.ts) on the shipped test model (real onnxruntime,
// real XGrammar): every reply is exactly one well-formed fenced block, whatever the region, instruction, token
// limit or sampling; prompt-lookup drafts give the same ids in fewer forward passes; cancel lands inside the block;
// editInPlace proposes the block's body. The test model writes nonsense code, which is the point: the grammar, not
// the model, holds the format.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { editInPlace } from "../../../agent/edit/edit";
import { editMessages, extractRewrite } from "../../../agent/edit/prompt";
import { rewriteGrammar } from "../../../agent/edit/reply-format";
import { linesTarget } from "../../../agent/edit/target";
import { Grammars } from "../../../model/grammar/grammars";
import { LocalEngine } from "../../../model/engine";
import type { GenerateRequest, GenerationStats } from "../../../model/model";
import { tinyCoder } from "../../helpers/models";

let engine: LocalEngine;
before(async () => {
  engine = await LocalEngine.load(tinyCoder, { variant: "fp32", threads: 1 });
});
after(() => engine.dispose());

/** Exactly one fenced block: an opening fence with an optional tag, body lines none of which starts with three
 *  backticks, the closing fence, nothing after. */
const oneFencedBlock = /^```[\w+-]*\n(?:(?!```)[^\n]*\n)*```$/;

const files = {
  ts: "export function add(a: number, b: number): number {\n  return a + b;\n}\n\nexport const twice = (x: number) => add(x, x);\n",
  // Backticks inside the code: a template literal and a Markdown fence in a string, at line starts and inside lines.
  md: "function help() {\n  return `usage:\n```sh\nghost edit\n```\n`;\n}\n",
  py: "def mean(values):\n    total = 0\n    for value in values:\n        total += value\n    return total / len(values)\n",
};

async function chatFor(name: keyof typeof files, instruction: string): Promise<{ chat: string; text: string }> {
  const text = files[name];
  return { chat: await engine.renderChat(editMessages({ path: `src/file.${name}`, text, target: linesTarget(text, 0, text.length), instruction }), true), text };
}

async function run(request: GenerateRequest, signal?: AbortSignal) {
  const ids: number[] = [];
  let text = "";
  let stats: GenerationStats | undefined;
  for await (const event of engine.generate(request, signal)) {
    if (event.type === "token") ids.push(event.id);
    else [text, stats] = [event.text, event.stats];
  }
  return { ids, text, stats: stats! };
}

test("every constrained edit reply is exactly one fenced block, greedy or sampled, at any token limit", async () => {
  const cases = [["ts", "rename add to plus"], ["md", "add a line about --apply"], ["py", "return 0 for an empty list"]] as const;
  for (const [name, instruction] of cases) {
    const { chat } = await chatFor(name, instruction);
    for (const maxTokens of [8, 40, 160]) {
      for (const sampling of [{ kind: "greedy" as const }, { kind: "sample" as const, temperature: 1, topP: 0.95, seed: maxTokens }]) {
        const { text, stats } = await run({ prompt: [{ text: chat }], maxTokens, sampling, grammar: rewriteGrammar });
        assert.match(text, oneFencedBlock, `${name} ${maxTokens} ${sampling.kind}`);
        assert.equal(stats.stopReason, "grammar-end");
        assert.ok(stats.generatedTokens <= maxTokens);
      }
    }
  }
});

test("the grammar takes backticks inside a line and short runs at a line start, and nothing after the closing fence", async () => {
  const folder = engine.folder;
  const grammars = new Grammars(folder.tokenizer, folder.config.vocab_size);
  const accepts = async (reply: string) => {
    const constraint = await grammars.constraint(rewriteGrammar, folder.eosTokenIds, 64);
    for (const id of folder.tokenizer.encode(reply)) {
      if (!constraint.allows(id)) return { taken: false, ended: false };
      await constraint.accept(id, 64);
    }
    return { taken: true, ended: constraint.ended };
  };
  assert.deepEqual(await accepts("```ts\nconst s = `a ``` b`;\n``\n`x\n```"), { taken: true, ended: true });
  assert.deepEqual(await accepts("```\n```"), { taken: true, ended: true });
  assert.deepEqual(await accepts("```\nbody\n"), { taken: true, ended: false });
  assert.equal((await accepts("```\nbody\n```\nafter")).taken, false);
  assert.equal((await accepts("```\nbody```")).ended, false, "a fence inside a line does not close the block");
  assert.equal((await accepts("prose first\n```\nbody\n```")).taken, false);
});

test("prompt-lookup drafts give the same constrained reply in fewer forward passes", async () => {
  for (const [name, instruction] of [["ts", "rename add to plus"], ["py", "rename total to sum"]] as const) {
    const { chat } = await chatFor(name, instruction);
    const request: GenerateRequest = { prompt: [{ text: chat }], maxTokens: 160, grammar: rewriteGrammar };
    const plain = await run(request);
    const drafted = await run({ ...request, speculation: { maxDraft: 8, ngram: 3 } });
    assert.deepEqual(drafted.ids, plain.ids, name);
    assert.equal(drafted.text, plain.text);
    assert.match(drafted.text, oneFencedBlock);
    assert.ok(drafted.stats.forwardPasses < plain.stats.forwardPasses, `${name}: ${drafted.stats.forwardPasses} vs ${plain.stats.forwardPasses} passes`);
  }
});

test("editInPlace proposes the fenced block's body, says the reply was constrained, and cancels inside the block", async () => {
  const { text } = await chatFor("ts", "rename add to plus");
  const target = linesTarget(text, 0, text.indexOf("\n\n") + 1);
  const request = { path: "src/file.ts", original: Buffer.from(text), text, target, instruction: "rename add to plus", maxTokens: 96 };
  let streamed = "";
  const outcome = await editInPlace(engine, request, new AbortController().signal, (delta) => (streamed += delta));
  assert.ok(outcome.kind === "proposed" || outcome.kind === "unchanged", outcome.kind);
  assert.match(streamed, oneFencedBlock);
  assert.ok(outcome.stats.constrained, "the stats say the reply was constrained");
  if (outcome.kind === "proposed") assert.equal(outcome.rewrite, extractRewrite(streamed, target));

  const controller = new AbortController();
  let tokens = 0;
  const cancelled = await editInPlace(engine, request, controller.signal, () => {
    if (++tokens === 6) controller.abort();
  });
  assert.equal(cancelled.kind, "cancelled");
  assert.equal(tokens, 6);
});
