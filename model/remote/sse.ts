// A server-sent-events body as a stream of JSON messages, through eventsource-parser (events may be split across
// network chunks anywhere, even inside a UTF-8 character). Ends at `data: [DONE]`; a body that ends before it, or
// breaks, is a stream cut off mid-reply; a gap longer than the idle limit is a timeout. Knows SSE, not OpenAI.
import { createParser, type EventSourceMessage } from "eventsource-parser";
import { errorMessageIn, RemoteModelError } from "./errors";
import { timedOut } from "./http";

export async function* sseMessages(body: ReadableStream<Uint8Array>, url: string, idleMs: number, signal: AbortSignal): AsyncGenerator<unknown> {
  const pending: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (event) => pending.push(event) });
  const decoder = new TextDecoder();
  const reader = body.getReader();
  try {
    for (;;) {
      const chunk = await readWithin(reader, idleMs, url, signal);
      if (chunk.done) break;
      parser.feed(decoder.decode(chunk.value, { stream: true }));
      while (pending.length > 0) {
        const event = pending.shift()!;
        // Events that came in one network read with the abort belong to the cancelled reply: none is passed on.
        if (event.data === "[DONE]" || signal.aborted) return;
        yield parseData(event, url);
      }
    }
  } finally {
    // Closes the connection when the consumer stops early (cancelled, or an error above): the server sees the
    // socket close and stops generating.
    await reader.cancel().catch(() => {});
  }
  throw cutOff(url, "the stream ended before its [DONE] line");
}

async function readWithin(reader: ReadableStreamDefaultReader<Uint8Array>, idleMs: number, url: string, signal: AbortSignal) {
  let timer: NodeJS.Timeout | undefined;
  const idle = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(timedOut(url, idleMs)), idleMs)));
  try {
    return await Promise.race([reader.read(), idle]);
  } catch (error) {
    if (signal.aborted || error instanceof RemoteModelError) throw error;
    // undici reports a socket closed mid-body as "terminated" (cause: "other side closed").
    throw cutOff(url, (error as { cause?: Error }).cause?.message ?? (error as Error).message);
  } finally {
    clearTimeout(timer);
  }
}

function parseData(event: EventSourceMessage, url: string): unknown {
  let json: unknown;
  try {
    json = JSON.parse(event.data);
  } catch {
    throw new RemoteModelError("server-error", url, `the model server at ${url} sent a stream event that is not JSON: ${event.data.slice(0, 200)}`);
  }
  // llama.cpp and vLLM report a failure after the stream began as an event with an error object.
  if (event.event === "error" || (json as { error?: unknown }).error !== undefined) {
    throw new RemoteModelError("server-error", url, `the model server at ${url} failed mid-reply: ${errorMessageIn(json) ?? event.data}`);
  }
  return json;
}

export function cutOff(url: string, detail: string): RemoteModelError {
  return new RemoteModelError("stream-cut", url, `the reply from ${url} was cut off mid-stream (${detail}): the server may have stopped or restarted; try the request again`);
}
