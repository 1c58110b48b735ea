// What Ghost learns about a model server before the first request: which model it serves under which name, its
// context length, and whether it tokenizes (POST /tokenize at the root, as llama.cpp's server and vLLM offer).
// llama.cpp's server says n_ctx (per slot) in GET /props; vLLM says max_model_len in /v1/models; other servers
// (Ollama, TGI) say neither, and then the context length must be configured. Knows the servers' endpoints, not
// Ghost's requests.
import { z } from "zod";
import { RemoteModelError, unknownModel } from "./errors";
import { exchange, type HttpPolicy } from "./http";

export type ServerKind = "llama.cpp" | "vllm" | "openai-compatible";

export interface ServerFacts {
  kind: ServerKind;
  modelName: string;
  /** Null when the server does not say (the caller's setting then decides, or the model can not be used). */
  contextLength: number | null;
  /** POST {root}/tokenize works: a body {content} (llama.cpp) or {model, prompt} (vLLM) answers {tokens: [...]} */
  tokenizes: boolean;
  /** llama.cpp's /props: the end-of-sequence token as text, for its id. */
  eosToken: string | null;
  vocabularySize: number;
}

const modelsSchema = z.looseObject({
  data: z.array(z.looseObject({ id: z.string(), max_model_len: z.number().int().positive().optional(), meta: z.looseObject({ n_vocab: z.number().optional() }).nullish() })),
});
const propsSchema = z.looseObject({
  default_generation_settings: z.looseObject({ n_ctx: z.number().int().positive() }),
  eos_token: z.string().optional(),
});
const tokensSchema = z.looseObject({ tokens: z.array(z.number().int()) });

/** The server root: the base URL without its /v1, where llama.cpp and vLLM serve /props and /tokenize. */
export function serverRoot(baseUrl: string): string {
  return baseUrl.replace(/\/v1\/?$/, "");
}

export async function discoverServer(baseUrl: string, requested: string | undefined, policy: HttpPolicy, signal: AbortSignal): Promise<ServerFacts> {
  const modelsUrl = `${baseUrl}/models`;
  const listed = modelsSchema.safeParse(await (await exchange(modelsUrl, undefined, policy, signal)).response.json());
  if (!listed.success) throw new RemoteModelError("bad-request", modelsUrl, `${modelsUrl} did not answer with an OpenAI model list: ghost.model (--model) must be the server's OpenAI-compatible base URL, ending in /v1`);
  const names = listed.data.data.map((model) => model.id);
  const modelName = requested ?? (names.length === 1 ? names[0]! : null);
  if (modelName === null) {
    throw new RemoteModelError("unknown-model", modelsUrl, `the model server at ${baseUrl} serves ${names.length} models (${names.join(", ") || "none"}): choose one with ghost.remoteModelName (--remote-model-name)`);
  }
  const entry = listed.data.data.find((model) => model.id === modelName);
  if (!entry) throw unknownModel(baseUrl, modelName, `it serves ${names.join(", ") || "none"}`);
  const props = await optionalJson(`${serverRoot(baseUrl)}/props`, undefined, propsSchema, policy, signal);
  const kind: ServerKind = props ? "llama.cpp" : entry.max_model_len ? "vllm" : "openai-compatible";
  const probe = kind === "vllm" ? { model: modelName, prompt: "a", add_special_tokens: false } : { content: "a", add_special: false };
  const tokenizes = (await optionalJson(`${serverRoot(baseUrl)}/tokenize`, probe, tokensSchema, policy, signal)) !== null;
  return {
    kind,
    modelName,
    contextLength: props?.default_generation_settings.n_ctx ?? entry.max_model_len ?? null,
    tokenizes,
    eosToken: props?.eos_token || null,
    vocabularySize: entry.meta?.n_vocab ?? 0,
  };
}

/** An endpoint only some servers have: its parsed answer, or null when it is missing or answers something else.
 *  A refused key or an unreachable server still fails (those are not "missing"). */
async function optionalJson<T extends z.ZodType>(url: string, body: unknown, schema: T, policy: HttpPolicy, signal: AbortSignal): Promise<z.infer<T> | null> {
  let response: Response;
  try {
    ({ response } = await exchange(url, body, { ...policy, retries: 0 }, signal));
  } catch (error) {
    if (error instanceof RemoteModelError && (error.kind === "bad-request" || error.kind === "server-error" || error.kind === "unknown-model")) return null;
    throw error;
  }
  const parsed = schema.safeParse(await response.json().catch(() => null));
  return parsed.success ? parsed.data : null;
}
