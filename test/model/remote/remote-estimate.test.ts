// A server that offers no tokenizer (Ollama, TGI) and no tokenizer folder: counts are an estimate of 3.5 characters
// per token, rounded up, and say so (ModelInfo.server.tokenizer, and `ghost context` prints "about … (estimated)");
// a chat is estimated from its messages plus the template's per-message markers; the chat's text can not be shown.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { RemoteModelError } from "../../../model/remote/errors";
import { defaultHttpPolicy } from "../../../model/remote/http";
import { openRemoteModel } from "../../../model/remote/open-remote-model";
import type { ServerFacts } from "../../../model/remote/server";
import { TokenCounter } from "../../../model/remote/token-count";

const facts: ServerFacts = { kind: "openai-compatible", modelName: "qwen2.5-coder:7b", contextLength: 8192, tokenizes: false, eosToken: null, vocabularySize: 0 };
const counter = new TokenCounter("http://ollama:11434/v1", facts, defaultHttpPolicy, null);

test("without a tokenizer anywhere, tokens are estimated at 3.5 characters each, rounded up, and labelled", async () => {
  assert.equal(counter.source, "estimate");
  assert.equal((await counter.tokenize("")).length, 0);
  assert.equal((await counter.tokenize("abcdefg")).length, 2);
  assert.equal((await counter.tokenize("abcdefgh")).length, 3);
  assert.ok((await counter.tokenize("x")).every((id) => id === -1), "no ids are invented");
});

test("a chat is estimated from its messages and the template's markers; its rendering is refused with the way out", async () => {
  const messages = [{ role: "system" as const, content: "a".repeat(35) }, { role: "user" as const, content: "b".repeat(7) }];
  assert.equal(await counter.chatTokens(messages), 10 + 2 + 3 * 6);
  await assert.rejects(counter.renderChat(messages, true), /renders chats itself and does not show them: send the messages in the request, or give Ghost the model's tokenizer folder \(--tokenizer\)/);
});

test("a server that says no context length (Ollama's /v1/models) needs it configured, then opens with estimated counts", async () => {
  // Ollama's answers, as its OpenAI-compatible layer gives them: a model list without lengths, 404 for /props and /tokenize.
  const ollama = createServer((request, response) => {
    if (request.url === "/v1/models") return response.end(JSON.stringify({ object: "list", data: [{ id: "qwen2.5-coder:7b", object: "model", created: 0, owned_by: "library" }] }));
    response.writeHead(404).end("404 page not found");
  });
  await new Promise<void>((resolve) => ollama.listen(0, "127.0.0.1", resolve));
  const baseUrl = `http://127.0.0.1:${(ollama.address() as AddressInfo).port}/v1`;
  try {
    await assert.rejects(openRemoteModel({ baseUrl }), (error: unknown) => error instanceof RemoteModelError && error.kind === "no-context-length" && /does not say the context length of qwen2\.5-coder:7b: set it \(--context-length N\)/.test(error.message));
    const model = await openRemoteModel({ baseUrl, contextLength: 8192 });
    assert.deepEqual(model.info.server, { url: baseUrl, modelName: "qwen2.5-coder:7b", kind: "openai-compatible", tokenizer: "estimate" });
    assert.deepEqual([model.info.contextLength, model.info.family, model.info.specialTokens], [8192, "none", {}]);
  } finally {
    ollama.close();
  }
});
