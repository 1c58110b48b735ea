// The failures a user meets with a model server, each as its own kind with a message that names the URL or setting
// and says what to do. Built from what fetch and the server report; knows HTTP, not Ghost's requests.
export type RemoteErrorKind =
  | "unreachable"
  | "tls"
  | "unauthorized"
  | "unknown-model"
  | "context-too-long"
  | "overloaded"
  | "stream-cut"
  | "timeout"
  | "bad-request"
  | "server-error"
  | "no-context-length";

export class RemoteModelError extends Error {
  constructor(
    readonly kind: RemoteErrorKind,
    readonly url: string,
    message: string,
  ) {
    super(message);
    this.name = "RemoteModelError";
  }
}

/** Node's fetch throws "fetch failed" and keeps the reason in `cause` (an undici or system error with a code). */
export function connectionError(url: string, error: unknown): RemoteModelError {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? "";
  const reason = cause?.message ?? (error as Error).message;
  if (/CERT|SSL|TLS|ERR_TLS|SELF_SIGNED|UNABLE_TO_VERIFY|EPROTO/i.test(code) || /certificate|ssl|tls/i.test(reason)) {
    return new RemoteModelError("tls", url, `the TLS connection to ${url} failed (${code || reason}): check that the server's certificate is valid for this host name and trusted (NODE_EXTRA_CA_CERTS), or use http:// for a server without TLS`);
  }
  const what = code === "ENOTFOUND" || code === "EAI_AGAIN" ? "its host name does not resolve" : code === "ECONNREFUSED" ? "nothing listens there" : reason;
  return new RemoteModelError("unreachable", url, `the model server at ${url} can not be reached (${what}${code && !what.includes(code) ? `, ${code}` : ""}): check the ghost.model setting (--model) and that the server is running`);
}

/** A non-2xx answer as the error the user should see; `body` is the server's own text (OpenAI-style JSON or not). */
export function statusError(url: string, status: number, body: string, modelName: string): RemoteModelError {
  const said = serverMessage(body);
  if (status === 401 || status === 403) {
    return new RemoteModelError("unauthorized", url, `the model server at ${url} refused the API key (HTTP ${status}${said ? `: ${said}` : ""}): set the right key in GHOST_API_KEY (VS Code: "Ghost: Set API Key for Model Server…")`);
  }
  if (status === 404 && /model/i.test(said)) return unknownModel(url, modelName, said);
  if (status === 429 || status === 503) {
    return new RemoteModelError("overloaded", url, `the model server at ${url} is overloaded (HTTP ${status}${said ? `: ${said}` : ""}) and still was after Ghost's retries: try again later, or run fewer clients against it`);
  }
  if (/context|too long|exceed|maximum.*length|n_ctx/i.test(said) && status === 400) {
    return new RemoteModelError("context-too-long", url, `the prompt is too long for the model's context on ${url}: ${said}`);
  }
  if (status === 404) return new RemoteModelError("bad-request", url, `${url} answered 404 (${said || "not found"}): ghost.model (--model) must be the server's OpenAI-compatible base URL, ending in /v1`);
  if (status >= 500) return new RemoteModelError("server-error", url, `the model server at ${url} failed (HTTP ${status}${said ? `: ${said}` : ""})`);
  return new RemoteModelError("bad-request", url, `the model server at ${url} rejected the request (HTTP ${status}${said ? `: ${said}` : ""})`);
}

export function unknownModel(url: string, modelName: string, detail: string): RemoteModelError {
  return new RemoteModelError("unknown-model", url, `the model server at ${url} has no model "${modelName}" (${detail}): set ghost.remoteModelName (--remote-model-name) to one the server lists at /v1/models`);
}

/** The message inside an OpenAI-style error body ({"error": {"message"}}, {"error": "…"}, {"message"}, {"detail"}),
 *  or the body itself, shortened. */
function serverMessage(body: string): string {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return body.trim().slice(0, 500);
  }
  return errorMessageIn(json) ?? body.trim().slice(0, 500);
}

/** The message of an OpenAI-style error object, in an error answer's body or a stream event; null when it has none. */
export function errorMessageIn(json: unknown): string | null {
  const record = json as { error?: { message?: unknown } | string; message?: unknown; detail?: unknown };
  const message = typeof record.error === "string" ? record.error : (record.error?.message ?? record.message ?? record.detail);
  return typeof message === "string" ? message.slice(0, 500) : null;
}
