// RemoteModel against a real llama.cpp llama-server serving the shipped test model as GGUF: what it reports about the
// model is what tokenizer.json says; FIM and chat stream token by token; the server's prefix cache is reported;
// constrained replies match their grammar; cancellation ends the request within a token and frees the server's slot;
// and each failure a user meets (wrong key, wrong model name, nothing listening, TLS to a plain server, the server
// killed mid-reply) has its own clear error, after which the next request works.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer as createTlsServer } from "node:tls";
import { buildFimPrompt } from "../../../model/fim";
import { openModelFolder } from "../../../model/model-folder";
import type { GenerateEvent, GenerateRequest, Model } from "../../../model/model";
import { RemoteModelError } from "../../../model/remote/errors";
import { openRemoteModel } from "../../../model/remote/open-remote-model";
import type { RemoteModel } from "../../../model/remote/remote-model";
import { rewriteGrammar } from "../../../agent/edit/reply-format";
import { toolCallGrammar } from "../../../agent/loop/reply-format";
import { parseToolCall } from "../../../agent/loop/tool-call";
import { startLlamaServer, type LlamaServer } from "../../helpers/llama-server";
import { tinyCoder } from "../../helpers/models";

const contextSize = 1024;
const folder = openModelFolder(tinyCoder, "fp32");
let server: LlamaServer;
let model: RemoteModel;

before(async () => {
  server = await startLlamaServer({ alias: "tiny-coder", contextSize });
  model = await openRemoteModel({ baseUrl: server.baseUrl, modelName: "tiny-coder" });
});
after(() => server?.stop());

async function run(target: Model, request: GenerateRequest, signal?: AbortSignal) {
  const events: GenerateEvent[] = [];
  for await (const event of target.generate(request, signal)) events.push(event);
  const done = events.at(-1)!;
  assert.equal(done.type, "done");
  const tokens = events.filter((event) => event.type === "token").map((event) => (event as { text: string }).text);
  return { tokens, ...(done as Extract<GenerateEvent, { type: "done" }>) };
}

const fim = (prefix: string) => ({ prompt: buildFimPrompt("qwen", { prefix, suffix: "\n}\n", path: "src/math.ts" }), maxTokens: 16 });

const fails = (kind: string, pattern: RegExp) => (error: unknown) => {
  assert.ok(error instanceof RemoteModelError, `a RemoteModelError, got ${String(error)}`);
  assert.equal(error.kind, kind, error.message);
  assert.match(error.message, pattern);
  return true;
};

test("ModelInfo is what tokenizer.json and the server say: FIM family and ids, end token, context per slot", async () => {
  const special = folder.tokenizer.specialTokens();
  assert.equal(model.info.family, "qwen");
  for (const name of ["<|fim_prefix|>", "<|fim_suffix|>", "<|fim_middle|>", "<|file_sep|>", "<|im_end|>", "<|endoftext|>"]) {
    assert.equal(model.info.specialTokens[name], special.get(name), name);
  }
  assert.deepEqual(model.info.eosTokenIds, [special.get("<|endoftext|>")]);
  assert.equal(model.info.contextLength, contextSize);
  assert.deepEqual(model.info.server, { url: server.baseUrl, modelName: "tiny-coder", kind: "llama.cpp", tokenizer: "server" });

  const withFolder = await openRemoteModel({ baseUrl: server.baseUrl, tokenizer: tinyCoder });
  assert.deepEqual(withFolder.info.specialTokens, Object.fromEntries(special));
  assert.deepEqual(withFolder.info.eosTokenIds, folder.eosTokenIds);
  assert.equal(withFolder.info.server?.tokenizer, "tokenizer.json");
  assert.equal(withFolder.info.server?.modelName, "tiny-coder", "the server's only model when no name is given");
});

test("the server's /tokenize agrees with tokenizer.json, special-token text included", async () => {
  const text = "<|fim_prefix|>export function add(a: number, b: number) {\n  return a + b; // ✓ π\n}<|fim_suffix|>";
  assert.deepEqual(await model.tokenize(text), folder.tokenizer.encode(text));
  const messages = [{ role: "system" as const, content: "Reply briefly." }, { role: "user" as const, content: "Task: list the files" }];
  const withFolder = await openRemoteModel({ baseUrl: server.baseUrl, tokenizer: tinyCoder });
  assert.equal(await model.chatTokens(messages), await withFolder.chatTokens(messages), "the server's template and tokenizer_config.json's agree");
});

test("FIM streams token by token, the deltas add up to the reply, and the second request hits the server's cache", async () => {
  const first = await run(model, fim("export function add(a: number, b: number) {\n  return a"));
  assert.equal(first.tokens.join(""), first.text);
  assert.ok(first.tokens.length >= 1);
  assert.equal(first.stats.generatedTokens, first.tokens.length, "one token per streamed chunk");
  assert.ok(first.stats.timeToFirstTokenMs! > 0);
  const again = await run(model, fim("export function add(a: number, b: number) {\n  return a"));
  assert.equal(again.text, first.text, "greedy decoding is deterministic");
  assert.ok(again.stats.server!.cachedTokens! >= again.stats.promptTokens - 2, `the stable prompt came from the server's cache: ${JSON.stringify(again.stats)}`);
  assert.equal(again.stats.reusedTokens, again.stats.server!.cachedTokens);
});

test("a keystroke later, the prompt's unchanged head comes from the server's cache", async () => {
  const typed = "export function scale(values: number[], factor: number) {\n  return values.map((value) => value";
  await run(model, fim(typed));
  const next = await run(model, fim(`${typed} *`));
  const head = buildFimPrompt("qwen", { prefix: typed, suffix: "", path: "src/math.ts" }).slice(0, -2);
  const headTokens = folder.tokenizer.encode(head.map((part) => ("special" in part ? part.special : "text" in part ? part.text : "")).join("")).length;
  assert.ok(next.stats.server!.cachedTokens! >= headTokens - 2, `cached ${next.stats.server!.cachedTokens} of the ${headTokens}-token head`);
  assert.ok(next.stats.prefilledTokens < next.stats.promptTokens / 2, `prefilled only the tail: ${JSON.stringify(next.stats)}`);
});

test("the prompt the server counts is the prompt Ghost built", async () => {
  const request = fim("const total = items.reduce((sum, item) => sum + item.price, 0);\nexport const tax = total");
  const result = await run(model, request);
  const text = request.prompt.map((part) => ("special" in part ? part.special : "text" in part ? part.text : "")).join("");
  assert.equal(result.stats.promptTokens, folder.tokenizer.encode(text).length);
});

test("chat messages go through /v1/chat/completions", async () => {
  const result = await run(model, { messages: [{ role: "system", content: "You are terse." }, { role: "user", content: "Say hi" }], maxTokens: 8 });
  assert.equal(result.tokens.join(""), result.text);
  assert.equal(result.stats.promptTokens, await model.chatTokens([{ role: "system", content: "You are terse." }, { role: "user", content: "Say hi" }]));
  assert.match(result.stats.stopReason, /^(stop-token|max-tokens)$/);
});

test("constrained: a JSON Schema, the edit's EBNF and the agent's tool-call sequence each hold on the server", async () => {
  const messages = [{ role: "system" as const, content: "Reply with one tool call." }, { role: "user" as const, content: "Task: read src/main.ts" }];
  const schema = { type: "object", properties: { n: { type: "integer" }, ok: { type: "boolean" } }, required: ["n", "ok"], additionalProperties: false };
  const json = await run(model, { messages, maxTokens: 48, grammar: { kind: "json-schema", schema } });
  assert.deepEqual(Object.keys(JSON.parse(json.text)).sort(), ["n", "ok"]);
  assert.deepEqual(json.stats.constrained, { forcedTokens: 0 });

  const fenced = await run(model, { messages, maxTokens: 64, grammar: rewriteGrammar });
  assert.match(fenced.text, /^```[a-zA-Z0-9_+-]*\n/);
  if (fenced.stats.stopReason === "grammar-end") assert.match(fenced.text, /\n```$|^```[^\n]*\n```$/);

  // The test model rambles inside a string until the limit: the server can not close the JSON for it, so Ghost asks
  // once more with every string bounded to fit, and that reply is a whole tool call.
  const call = await run(model, { messages, maxTokens: 256, grammar: toolCallGrammar });
  assert.match(call.text, /^```json\n\{[\s\S]*\}\n```$/);
  assert.equal(parseToolCall(call.text).ok, true, call.text);
  assert.equal(call.stats.stopReason, "grammar-end");
  if (call.stats.constrained?.retriedBounded) assert.ok(call.tokens.join("").endsWith(call.text.slice("```json\n".length)), "the retry's tokens stream after the first try's");
  else assert.equal(call.tokens.join(""), call.text);
});

test("cancelling ends the stream within a token and the server's slot goes idle", async () => {
  const controller = new AbortController();
  const events: GenerateEvent[] = [];
  let afterAbort = 0;
  for await (const event of model.generate({ ...fim("let x"), maxTokens: 800, stopTokens: [] }, controller.signal)) {
    events.push(event);
    if (controller.signal.aborted && event.type === "token") afterAbort++;
    if (event.type === "token" && events.length === 3) controller.abort();
  }
  const done = events.at(-1) as Extract<GenerateEvent, { type: "done" }>;
  assert.equal(done.stats.stopReason, "cancelled");
  assert.equal(afterAbort, 0, "no token arrives after the abort");
  assert.ok(done.stats.generatedTokens < 800);
  const slots = await waitFor(async () => {
    const list = (await (await fetch(`${server.baseUrl.replace(/\/v1$/, "")}/slots`)).json()) as { is_processing: boolean }[];
    return list.every((slot) => !slot.is_processing) ? list : null;
  });
  assert.ok(slots, "every slot idle after the cancel");
});

test("a wrong key, a wrong model name, a closed port and TLS to a plain server each say what is wrong", async () => {
  const locked = await startLlamaServer({ alias: "tiny-coder", contextSize: 256, apiKey: "right-key" });
  try {
    await assert.rejects(openRemoteModel({ baseUrl: locked.baseUrl, apiKey: "wrong-key" }), fails("unauthorized", /refused the API key \(HTTP 401[^)]*\): set the right key in GHOST_API_KEY/));
    await assert.rejects(openRemoteModel({ baseUrl: locked.baseUrl }), fails("unauthorized", /GHOST_API_KEY/));
    const opened = await openRemoteModel({ baseUrl: locked.baseUrl, apiKey: "right-key" });
    assert.equal((await run(opened, fim("let y"))).stats.stopReason.length > 0, true);
  } finally {
    await locked.stop();
  }
  await assert.rejects(openRemoteModel({ baseUrl: server.baseUrl, modelName: "qwen-72b" }), fails("unknown-model", /has no model "qwen-72b" \(it serves tiny-coder\): set ghost\.remoteModelName \(--remote-model-name\)/));
  const closed = `http://127.0.0.1:${await closedPort()}/v1`;
  await assert.rejects(openRemoteModel({ baseUrl: closed }), fails("unreachable", new RegExp(`${closed.replaceAll("/", "\\/")}/models can not be reached \\(nothing listens there, ECONNREFUSED\\): check the ghost\\.model setting`)));
  const proxy = await selfSignedTlsProxy(server.port);
  try {
    await assert.rejects(openRemoteModel({ baseUrl: `https://127.0.0.1:${proxy.port}/v1` }), fails("tls", /TLS connection to https:\/\/127\.0\.0\.1:\d+\/v1\/models failed \(DEPTH_ZERO_SELF_SIGNED_CERT\): check that the server's certificate is valid for this host name and trusted \(NODE_EXTRA_CA_CERTS\)/));
  } finally {
    proxy.server.close();
  }
  await assert.rejects(openRemoteModel({ baseUrl: "ftp://box/v1" }), fails("bad-request", /must be an http:\/\/ or https:\/\/ URL/));
});

test("a prompt longer than the server's context fails before it is sent, naming both sizes", async () => {
  const long = { prompt: [{ text: "x = 1;\n".repeat(600) }], maxTokens: 16 };
  await assert.rejects(run(model, long), fails("context-too-long", /prompt of \d+ tokens plus 16 to generate exceeds the context of 1024 that the model server at http:\/\/127\.0\.0\.1:\d+\/v1 gives tiny-coder/));
});

test("the server killed mid-reply is a cut-off stream; after a restart the next request works", async () => {
  const events: GenerateEvent[] = [];
  await assert.rejects(
    (async () => {
      for await (const event of model.generate({ ...fim("function f"), maxTokens: 800, stopTokens: [] })) {
        events.push(event);
        if (events.length === 2) server.kill("SIGKILL");
      }
    })(),
    fails("stream-cut", /cut off mid-stream .*the server may have stopped or restarted; try the request again/),
  );
  // Refused, or reset when the dying process's listening socket still took the connection: unreachable either way.
  await assert.rejects(run(model, fim("let z")), fails("unreachable", /can not be reached/));
  await server.restart();
  const result = await run(model, fim("let z"));
  assert.equal(result.tokens.join(""), result.text);
});

async function waitFor<T>(probe: () => Promise<T | null>, ms = 5_000): Promise<T | null> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== null || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A TLS front for the llama-server with a certificate nobody trusts, as a team's server with a self-made certificate
 *  would be: the key and certificate are made here with openssl. */
async function selfSignedTlsProxy(targetPort: number) {
  const dir = mkdtempSync(join(tmpdir(), "ghost-tls-"));
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem")], { stdio: "ignore" });
  const server = createTlsServer({ key: readFileSync(join(dir, "key.pem")), cert: readFileSync(join(dir, "cert.pem")) }, (socket) => {
    const upstream = connect(targetPort, "127.0.0.1");
    socket.pipe(upstream).pipe(socket);
    socket.on("error", () => upstream.destroy());
    upstream.on("error", () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  rmSync(dir, { recursive: true, force: true });
  return { server, port: (server.address() as { port: number }).port };
}

/** A port that was free a moment ago and has nothing listening now. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
