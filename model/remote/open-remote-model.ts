// Opens a model on an OpenAI-compatible server as a Model: asks the server what it serves (server.ts), chooses how
// tokens are counted (token-count.ts), and fills ModelInfo with what is known, never guessed: special tokens (FIM
// markers) from tokenizer.json, or from the server's tokenization of each family's marker texts (a text that is one
// token is that token); end-of-sequence ids likewise; the context length from the server, or from the caller when
// the server does not say (never larger than what the server says). The factory the CLI and the extension call.
import { z } from "zod";
import { detectFimFamily, fimFamilies } from "../fim";
import type { ModelInfo } from "../model";
import { openTokenizerFolder } from "../model-folder";
import { RemoteModelError } from "./errors";
import { defaultHttpPolicy, type HttpPolicy } from "./http";
import { RemoteModel } from "./remote-model";
import { discoverServer, type ServerFacts } from "./server";
import { localTokenizer, TokenCounter } from "./token-count";

export interface RemoteModelOptions {
  /** The server's OpenAI-compatible base URL: http(s)://HOST[:PORT]/v1 */
  baseUrl: string;
  /** The model's name on the server (its /v1/models id); default: the server's only model. */
  modelName?: string;
  /** Sent as a bearer token. From the environment (GHOST_API_KEY) or VS Code's secret storage, never a setting. */
  apiKey?: string;
  /** A folder with the model's tokenizer.json (and tokenizer_config.json): exact counts without a round trip. */
  tokenizer?: string;
  /** For servers that do not say (Ollama, TGI): the model's context length in tokens. */
  contextLength?: number;
  timeoutMs?: number;
  /** Retries on 429/503. */
  retries?: number;
  signal?: AbortSignal;
}

const baseUrlSchema = z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL such as http://gpu-box:8000/v1" });

export async function openRemoteModel(options: RemoteModelOptions): Promise<RemoteModel> {
  const parsed = baseUrlSchema.safeParse(options.baseUrl.trim());
  if (!parsed.success) throw new RemoteModelError("bad-request", options.baseUrl, `ghost.model (--model) ${options.baseUrl} ${parsed.error.issues[0]!.message}`);
  const baseUrl = parsed.data.replace(/\/+$/, "");
  const policy: HttpPolicy = { ...defaultHttpPolicy, apiKey: options.apiKey || undefined, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}), ...(options.retries !== undefined ? { retries: options.retries } : {}) };
  const server = await discoverServer(baseUrl, options.modelName || undefined, policy, options.signal ?? new AbortController().signal);
  const contextLength = Math.min(server.contextLength ?? Infinity, options.contextLength ?? Infinity);
  if (contextLength === Infinity) {
    throw new RemoteModelError("no-context-length", baseUrl, `the model server at ${baseUrl} does not say the context length of ${server.modelName}: set it (--context-length N) so that Ghost never sends a prompt longer than the server takes`);
  }
  const folder = options.tokenizer ? openTokenizerFolder(options.tokenizer) : null;
  const tokens = new TokenCounter(baseUrl, server, policy, folder && localTokenizer(folder, `${options.tokenizer}/tokenizer_config.json`));
  const specialTokens = folder ? Object.fromEntries(folder.tokenizer.specialTokens()) : await specialTokensFromServer(tokens, server);
  const eosTokenIds = folder ? folder.eosTokenIds : server.eosToken && specialTokens[server.eosToken] !== undefined ? [specialTokens[server.eosToken]!] : [];
  const info: ModelInfo = {
    dir: `${server.modelName} at ${baseUrl}`,
    onnxFile: "",
    family: detectFimFamily(new Map(Object.entries(specialTokens))) ?? "none",
    // The servers do not report the layer count; nothing in Ghost that runs a remote model reads it.
    layers: 0,
    vocabularySize: folder?.tokenizer.vocabularySize ?? server.vocabularySize,
    contextLength,
    specialTokens,
    eosTokenIds,
    server: { url: baseUrl, modelName: server.modelName, kind: server.kind, tokenizer: tokens.source },
  };
  const texts = new Map(Object.entries(specialTokens).map(([text, id]) => [id, text]));
  return new RemoteModel(info, baseUrl, server, policy, tokens, texts);
}

/** The FIM families' marker texts (and the chat markers and end tokens that stop a completion) that the server
 *  tokenizes to a single id: those are the model's special tokens. Without a server tokenizer, none are known, and
 *  autocomplete says the model has no FIM tokens (give Ghost the tokenizer folder). */
async function specialTokensFromServer(tokens: TokenCounter, server: ServerFacts): Promise<Record<string, number>> {
  if (tokens.source !== "server") return {};
  const candidates = new Set<string>(["<|im_start|>", "<|im_end|>", "<|endoftext|>", "</s>", "<s>", "<|EOT|>", ...(server.eosToken ? [server.eosToken] : [])]);
  for (const family of Object.values(fimFamilies)) {
    for (const text of [family.prefix, family.suffix, family.middle, ...family.stops, family.repoName, family.fileSeparator]) if (text) candidates.add(text);
  }
  // One at a time: a llama-server on a small machine has as few HTTP threads as cores, and a connection held open by
  // keep-alive occupies one, so parallel requests wait seconds for each other.
  const found: Record<string, number> = {};
  for (const text of candidates) {
    const ids = await tokens.tokenize(text);
    if (ids.length === 1) found[text] = ids[0]!;
  }
  return found;
}
