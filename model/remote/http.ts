// One HTTP exchange with a model server: fetch with the API key, a timeout until the answer's headers, retries with
// backoff on 429 and 503 only (honouring Retry-After), and every failure turned into a RemoteModelError. Knows HTTP,
// not what is asked.
import { setTimeout as sleep } from "node:timers/promises";
import { connectionError, RemoteModelError, statusError } from "./errors";

export interface HttpPolicy {
  apiKey?: string;
  /** Milliseconds until the answer's headers arrive (a long prompt on a CPU server takes a while to prefill). */
  timeoutMs: number;
  /** Attempts after the first, on 429 and 503 only: other errors say something a retry will not change. */
  retries: number;
  /** First backoff; doubles per attempt. Retry-After, when the server sends it, wins. */
  backoffMs: number;
  /** A Retry-After longer than this is not waited for: the request fails as overloaded. */
  maxWaitMs: number;
}

export const defaultHttpPolicy: HttpPolicy = { timeoutMs: 120_000, retries: 4, backoffMs: 500, maxWaitMs: 30_000 };

export type Exchange = { response: Response; retries: number };

/** POSTs `body` (or GETs when it is undefined) and returns the 2xx response, its body unread. */
export async function exchange(url: string, body: unknown, policy: HttpPolicy, signal: AbortSignal, modelName = ""): Promise<Exchange> {
  for (let attempt = 0; ; attempt++) {
    const response = await fetchOnce(url, body, policy, signal);
    if (response.ok) return { response, retries: attempt };
    const text = await response.text();
    const wait = retryWait(response, attempt, policy);
    if (wait === null || attempt >= policy.retries) throw statusError(url, response.status, text, modelName);
    await sleep(wait, undefined, { signal });
  }
}

async function fetchOnce(url: string, body: unknown, policy: HttpPolicy, signal: AbortSignal, firstTry = true): Promise<Response> {
  const headers: Record<string, string> = { accept: body === undefined ? "application/json" : "text/event-stream, application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (policy.apiKey) headers.authorization = `Bearer ${policy.apiKey}`;
  // Only until the headers: a streamed answer may rightly take longer, and its reader watches the gaps instead.
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), policy.timeoutMs);
  try {
    return await fetch(url, {
      method: body === undefined ? "GET" : "POST",
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.any([signal, timeout.signal]),
    });
  } catch (error) {
    // The caller's abort is not a failure of the server: it goes on as the AbortError it is.
    if (signal.aborted) throw error;
    if (timeout.signal.aborted) throw timedOut(url, policy.timeoutMs);
    // A kept-alive connection that the server closed while it was idle fails before any byte of an answer: the
    // request did not reach the server, so it goes once more, on a new connection.
    if (firstTry && (error as { cause?: { code?: string } }).cause?.code === "UND_ERR_SOCKET") return fetchOnce(url, body, policy, signal, false);
    throw connectionError(url, error);
  } finally {
    clearTimeout(timer);
  }
}

export function timedOut(url: string, ms: number): RemoteModelError {
  return new RemoteModelError("timeout", url, `the model server at ${url} did not answer within ${ms < 10_000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`}: it may be overloaded or stuck; try again, or check the server`);
}

/** Milliseconds to wait before the next attempt, or null when this status is not retried (or the server asks for a
 *  longer wait than policy.maxWaitMs). */
function retryWait(response: Response, attempt: number, policy: HttpPolicy): number | null {
  if (response.status !== 429 && response.status !== 503) return null;
  const header = response.headers.get("retry-after");
  const backoff = policy.backoffMs * 2 ** attempt;
  if (header === null) return Math.min(backoff, policy.maxWaitMs);
  // Retry-After is seconds or an HTTP date.
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
  if (Number.isNaN(ms)) return Math.min(backoff, policy.maxWaitMs);
  return ms > policy.maxWaitMs ? null : Math.max(0, ms);
}
