// The 50 fixture agent tasks (test/fixtures/agent-tasks) through the real agent loop with the RemoteModel on a real
// llama-server: every reply is decoded under the tool-call grammar's JSON Schema by the server (response_format), and
// none is a format error, as with the local engine (test/agent/loop/constrained-tasks.test.ts).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { openRemoteModel } from "../../../model/remote/open-remote-model";
import type { Model } from "../../../model/model";
import type { RemoteModel } from "../../../model/remote/remote-model";
import { fixtureTasks, runFixtureTasks } from "../../agent/loop/fixture-tasks";
import { startLlamaServer, type LlamaServer } from "../../helpers/llama-server";

let server: LlamaServer;
let model: RemoteModel;
before(async () => {
  server = await startLlamaServer({ alias: "tiny-coder" });
  model = await openRemoteModel({ baseUrl: server.baseUrl });
});
after(() => server?.stop());

/** The model, counting the replies that ran out of tokens and were asked for again bounded (server-grammar.ts). */
function counted(inner: RemoteModel): { model: Model; retried: () => number } {
  let retried = 0;
  const model: Model = {
    info: inner.info,
    tokenize: (text) => inner.tokenize(text),
    chatTokens: (messages) => inner.chatTokens(messages),
    renderChat: (messages, addGenerationPrompt) => inner.renderChat(messages, addGenerationPrompt),
    dispose: () => inner.dispose(),
    async *generate(request, signal) {
      for await (const event of inner.generate(request, signal)) {
        if (event.type === "done" && event.stats.constrained?.retriedBounded) retried++;
        yield event;
      }
    },
  };
  return { model, retried: () => retried };
}

// 256 tokens a step: a reply cut off at the limit is asked for again with strings of at most 32 characters, which fits.
// (At 64 it does not: llama.cpp's JSON grammar lets the model put up to 20 spaces and newlines between tokens, and the
// test model spends its tokens there; Ghost's own grammar is compact, so the local test runs at 64.)
for (const stepTokens of [256]) test(`50 agent tasks through the server, ${stepTokens} tokens a step, constrained: no format error, every reply a valid tool call`, async (t) => {
  assert.equal(fixtureTasks.length, 50);
  const observed = counted(model);
  const report = await runFixtureTasks(observed.model, { unconstrained: false, steps: 1, stepTokens });
  t.diagnostic(`remote constrained, ${stepTokens} tokens a step: ${JSON.stringify(report)}; asked again bounded: ${observed.retried()} of ${report.replies}`);
  assert.equal(report.tasks, 50);
  assert.equal(report.replies, 50);
  assert.deepEqual(report.examples, []);
  assert.equal(report.formatErrors, 0);
  assert.equal(report.validCalls, report.replies);
  assert.equal(report.constrainedReplies, report.replies);
});
