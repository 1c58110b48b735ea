// The SSE reader under every way a network can split a stream: each split point of a real-shaped llama.cpp stream
// (inside a line, inside "data:", inside a multi-byte character, between \r and \n) gives the same messages; a body
// that ends before [DONE] is a cut-off stream; a server error event is reported with its message.
import { test } from "node:test";
import assert from "node:assert/strict";
import { RemoteModelError } from "../../../model/remote/errors";
import { sseMessages } from "../../../model/remote/sse";

const url = "http://127.0.0.1:1/v1/completions";
const stream = [
  'data: {"choices":[{"text":"const π","index":0,"finish_reason":null}]}',
  "",
  'data: {"choices":[{"text":" = 3.14; // ✓ 😀","index":0,"finish_reason":null}]}\r',
  "\r",
  ": keep-alive comment",
  "",
  'data: {"choices":[{"text":"","index":0,"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":2},"timings":{"cache_n":8,"prompt_n":4}}',
  "",
  "data: [DONE]",
  "",
  "",
].join("\n");

function body(bytes: Uint8Array, cuts: number[]): ReadableStream<Uint8Array> {
  const edges = [0, ...cuts, bytes.length];
  return new ReadableStream({
    start(controller) {
      for (let i = 0; i + 1 < edges.length; i++) controller.enqueue(bytes.slice(edges[i], edges[i + 1]));
      controller.close();
    },
  });
}

async function read(stream: ReadableStream<Uint8Array>): Promise<unknown[]> {
  const messages: unknown[] = [];
  for await (const message of sseMessages(stream, url, 5_000, new AbortController().signal)) messages.push(message);
  return messages;
}

const texts = (messages: unknown[]) => messages.map((message) => (message as { choices: { text: string }[] }).choices[0]!.text).join("|");

test("every split point of the byte stream gives the same three messages", async () => {
  const bytes = new TextEncoder().encode(stream);
  const whole = await read(body(bytes, []));
  assert.equal(texts(whole), "const π| = 3.14; // ✓ 😀|");
  for (let cut = 1; cut < bytes.length; cut++) assert.deepEqual(await read(body(bytes, [cut])), whole, `split at byte ${cut}`);
  // One byte per chunk: every boundary at once.
  assert.deepEqual(await read(body(bytes, Array.from({ length: bytes.length - 1 }, (_, i) => i + 1))), whole);
});

test("a stream that ends before [DONE] is a cut-off reply, not a short one", async () => {
  const bytes = new TextEncoder().encode(stream.slice(0, stream.indexOf("data: [DONE]")));
  await assert.rejects(read(body(bytes, [40])), (error: unknown) => error instanceof RemoteModelError && error.kind === "stream-cut" && /cut off mid-stream/.test(error.message));
});

test("an error event mid-stream carries the server's message", async () => {
  const bytes = new TextEncoder().encode('data: {"choices":[{"text":"a"}]}\n\ndata: {"error":{"code":500,"message":"slot crashed"}}\n\n');
  await assert.rejects(read(body(bytes, [])), /failed mid-reply: slot crashed/);
});
