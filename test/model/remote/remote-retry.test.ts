// Ghost's retry policy, against a tiny HTTP server of the test's own that answers a script of statuses (the policy is
// Ghost's logic; a real model server can not be made to answer 429 on cue): 429 and 503 are retried with backoff, and
// Retry-After is honoured; every other status fails at once with its own kind of error.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { RemoteModelError } from "../../../model/remote/errors";
import { exchange, type HttpPolicy } from "../../../model/remote/http";

let server: Server;
let base: string;
let script: { status: number; headers?: Record<string, string>; body?: string }[] = [];
let arrivals: number[] = [];

before(async () => {
  server = createServer((request, response) => {
    arrivals.push(Date.now());
    const next = script.shift() ?? { status: 200, body: '{"ok":true}' };
    response.writeHead(next.status, { "content-type": "application/json", ...next.headers });
    response.end(next.body ?? `{"error":{"message":"status ${next.status}"}}`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const policy: HttpPolicy = { timeoutMs: 5_000, retries: 3, backoffMs: 10, maxWaitMs: 5_000 };

async function run(statuses: typeof script, overrides: Partial<HttpPolicy> = {}) {
  [script, arrivals] = [statuses, []];
  try {
    const { response, retries } = await exchange(`${base}/completions`, { prompt: "x" }, { ...policy, ...overrides }, new AbortController().signal, "m");
    return { ok: (await response.json()) as unknown, retries, requests: arrivals.length };
  } catch (error) {
    return { error: error as RemoteModelError, requests: arrivals.length };
  }
}

test("429 then 200: one retry, after the wait Retry-After asks for", async () => {
  const result = await run([{ status: 429, headers: { "retry-after": "1" } }]);
  assert.deepEqual([result.ok, result.retries, result.requests], [{ ok: true }, 1, 2]);
  assert.ok(arrivals[1]! - arrivals[0]! >= 950, `waited ${arrivals[1]! - arrivals[0]!} ms, Retry-After said 1 s`);
});

test("503 twice then 200: two retries with backoff", async () => {
  const result = await run([{ status: 503 }, { status: 503 }]);
  assert.deepEqual([result.ok, result.retries, result.requests], [{ ok: true }, 2, 3]);
});

test("429 on every attempt: overloaded, after the first try and every retry", async () => {
  const result = await run(Array(10).fill({ status: 429 }));
  assert.equal(result.requests, 4);
  assert.equal(result.error?.kind, "overloaded");
  assert.match(result.error!.message, /overloaded \(HTTP 429: status 429\) and still was after Ghost's retries/);
});

test("a Retry-After longer than Ghost will wait fails at once as overloaded", async () => {
  const result = await run([{ status: 503, headers: { "retry-after": "3600" } }]);
  assert.deepEqual([result.requests, result.error?.kind], [1, "overloaded"]);
});

test("no other status is retried: 500, 400, 401, 403 and 404 each fail on the first answer with their own kind", async () => {
  const cases: [number, string, string][] = [
    [500, "server-error", '{"error":{"message":"boom"}}'],
    [400, "context-too-long", '{"error":{"code":400,"message":"the request exceeds the available context size, try increasing it","type":"exceed_context_size_error"}}'],
    [400, "bad-request", '{"error":{"message":"invalid temperature"}}'],
    [401, "unauthorized", '{"error":{"message":"Invalid API Key"}}'],
    [403, "unauthorized", "forbidden"],
    [404, "unknown-model", '{"error":{"message":"The model `gpt-x` does not exist."}}'],
  ];
  for (const [status, kind, body] of cases) {
    const result = await run([{ status, body }, { status: 200 }]);
    assert.deepEqual([status, result.requests, result.error?.kind], [status, 1, kind]);
    assert.ok(result.error!.message.includes(base), `${status}: the message names the URL`);
  }
});

test("a server that accepts and never answers times out with a message naming it", async () => {
  const silent = createNetServer(() => {});
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/v1/completions`;
  try {
    await assert.rejects(exchange(url, {}, { ...policy, timeoutMs: 300 }, new AbortController().signal), (error: unknown) => error instanceof RemoteModelError && error.kind === "timeout" && error.message.includes(`${url} did not answer within 300 ms`));
  } finally {
    silent.close();
  }
});
