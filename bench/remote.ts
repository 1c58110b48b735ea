// Ghost against a real llama.cpp server (the remote backend, model/remote/), on the product's own path:
// - stream overhead: one /v1/completions request streamed by a bare fetch-and-parse loop, against the very same
//   request (its body captured from the product) streamed through RemoteModel.generate; tokens/s side by side in
//   interleaved rounds. Goal: Ghost's path at ≥ 0.95 of the bare stream.
// - eight developers typing at once: each replays a typing session in a real file (a stretch of a line deleted and
//   typed back one character at a time, complete() after each keystroke with its own RemoteModel and prompt layout)
//   against one llama-server with 8 slots and its prompt cache on. Completion latency p50/p95, and the share of prompt
//   tokens the server reports as taken from its cache, next to one developer alone on the same server.
// The server is tiny-coder in GGUF (scripts/make-test-gguf.py), built by scripts/llama-server.sh.
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { measureCharsPerToken } from "../agent/complete/chars-per-token";
import { complete, editorRequest } from "../agent/complete/complete";
import { PromptLayout } from "../agent/complete/prompt-layout";
import { DocumentTrees } from "../agent/context/document-trees";
import { languageOf } from "../agent/context/languages";
import { listSourceFiles } from "../agent/context/workspace-files";
import { openWorkspace } from "../cli/workspace";
import type { Model } from "../model/model";
import { openRemoteModel } from "../model/remote/open-remote-model";
import { startLlamaServer, type LlamaServer } from "../test/helpers/llama-server";
import { tinyCoder } from "../test/helpers/models";
import { percentile } from "./autocomplete";
import { benchRoots } from "./bench-repositories";
import { median, type BenchmarkResult, type Row } from "./report";

const modelName = "tiny-coder";

/** The product's factory, as the CLI and the extension call it (with the model's tokenizer.json, as Ghost has it). */
function openModel(server: LlamaServer): Promise<Model> {
  return openRemoteModel({ baseUrl: server.baseUrl, modelName, tokenizer: tinyCoder });
}

export async function remoteBench(): Promise<BenchmarkResult[]> {
  return [await streamOverhead({ rounds: 15, maxTokens: 256 }), await typingDevelopers({ developers: 8, keystrokes: 40, gapMs: 100 })];
}

// ---------------------------------------------------------------------------------------------------------------
// Stream overhead

interface Run {
  tokens: number;
  /** Tokens over the whole request, headers to the end of the stream. */
  perSecond: number;
  /** Tokens after the first over the time after it: the streaming itself. */
  decodePerSecond: number;
}

/** The body RemoteModel posts to /v1/completions for this request, caught on its way to fetch. */
async function capturedRequest(model: Model, prompt: string, maxTokens: number): Promise<{ url: string; body: string }> {
  const original = globalThis.fetch;
  let captured: { url: string; body: string } | undefined;
  globalThis.fetch = (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    if (url.endsWith("/completions") && typeof init?.body === "string") captured = { url, body: init.body };
    return original(input, init);
  };
  try {
    for await (const _ of model.generate({ prompt: [{ text: prompt }], maxTokens, stopTokens: [] })) void _;
  } finally {
    globalThis.fetch = original;
  }
  if (!captured) throw new Error("RemoteModel sent no /v1/completions request");
  return captured;
}

/** The bare client: fetch, split the SSE stream into `data:` lines, count the chunks that carry text. */
async function bareStream(request: { url: string; body: string }): Promise<Run> {
  const started = performance.now();
  const response = await fetch(request.url, { method: "POST", headers: { "content-type": "application/json" }, body: request.body });
  if (!response.ok || !response.body) throw new Error(`${request.url}: ${response.status} ${await response.text()}`);
  const decoder = new TextDecoder();
  let buffered = "";
  let tokens = 0;
  let firstAt: number | null = null;
  for await (const bytes of response.body) {
    buffered += decoder.decode(bytes, { stream: true });
    let end: number;
    while ((end = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, end).trim();
      buffered = buffered.slice(end + 1);
      if (!line.startsWith("data:") || line === "data: [DONE]") continue;
      const chunk = JSON.parse(line.slice(5)) as { choices?: { text?: string }[] };
      if (!chunk.choices?.[0]?.text) continue;
      firstAt ??= performance.now();
      tokens++;
    }
  }
  return rates(tokens, started, firstAt);
}

async function throughModel(model: Model, prompt: string, maxTokens: number): Promise<Run> {
  const started = performance.now();
  let tokens = 0;
  let firstAt: number | null = null;
  for await (const event of model.generate({ prompt: [{ text: prompt }], maxTokens, stopTokens: [] })) {
    if (event.type !== "token") continue;
    firstAt ??= performance.now();
    tokens++;
  }
  return rates(tokens, started, firstAt);
}

function rates(tokens: number, started: number, firstAt: number | null): Run {
  const now = performance.now();
  return { tokens, perSecond: (tokens * 1000) / (now - started), decodePerSecond: firstAt === null || tokens < 2 ? 0 : ((tokens - 1) * 1000) / (now - firstAt) };
}

export async function streamOverhead(plan: { rounds: number; maxTokens: number }): Promise<BenchmarkResult> {
  const server = await startLlamaServer({ alias: modelName });
  try {
    const model = await openModel(server);
    // A real file's opening as the prompt: the tiny model then writes code-like text for the whole length.
    const root = benchRoots()[0]!.root;
    const [path] = await sessionFiles(root, 1);
    const prompt = readFileSync(join(root, path!), "utf8").slice(0, 2000);
    const request = await capturedRequest(model, prompt, plan.maxTokens); // also warms the server's prompt cache
    const bare: Run[] = [];
    const ghost: Run[] = [];
    for (let round = 0; round < plan.rounds; round++) {
      // Alternating which goes first, so neither always meets the server just after the other.
      if (round % 2 === 0) bare.push(await bareStream(request)), ghost.push(await throughModel(model, prompt, plan.maxTokens));
      else ghost.push(await throughModel(model, prompt, plan.maxTokens)), bare.push(await bareStream(request));
    }
    const row = (name: string, runs: Run[]): Row => ({
      path: name,
      "tokens per request": median(runs.map((run) => run.tokens)),
      "tokens/s p50": median(runs.map((run) => run.perSecond)),
      "decode tokens/s p50": median(runs.map((run) => run.decodePerSecond)),
    });
    const ratios = bare.map((run, index) => ghost[index]!.perSecond / run.perSecond);
    return {
      name: "remote: Ghost's overhead over the raw HTTP stream (llama-server, tiny-coder)",
      note: `The same streamed /v1/completions request (the body RemoteModel sends, ${plan.maxTokens} tokens at most, greedy, prompt cached) read by a bare fetch loop and through RemoteModel.generate, ${plan.rounds} interleaved rounds. Ratio: Ghost's tokens/s over the bare loop's, the median of the per-round ratios; goal ≥ 0.95. A tiny model makes the server fast, so the per-token cost of Ghost's path shows as much as it ever will.`,
      rows: [row("bare fetch + SSE", bare), { ...row("RemoteModel.generate", ghost), "ratio p50": median(ratios), "ratio min": Math.min(...ratios) }],
    };
  } finally {
    await server.stop();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Developers typing at once

interface Keystroke {
  readyMs: number;
  firstTokenMs: number | null;
  promptTokens: number;
  /** Prompt tokens the server says came from its cache (null: it did not say). */
  cachedTokens: number | null;
  first: boolean;
}

/** Files to type in: the repository's source files of at least 4 KB, evenly spread over its sorted list. */
async function sessionFiles(root: string, count: number): Promise<string[]> {
  const sources = (await listSourceFiles(root)).filter((path) => !/\.d\.[mc]?ts$/.test(path) && languageOf(path) && statSync(join(root, path)).size >= 4096);
  return Array.from({ length: count }, (_, index) => sources[Math.floor(((index + 0.5) * sources.length) / count)]!);
}

interface Developer {
  root: string;
  path: string;
  model: Model;
  workspace: Awaited<ReturnType<typeof openWorkspace>>;
  charsPerToken: number;
}

/** A developer's editor: its own RemoteModel, workspace index and token estimate. Opened one at a time: two opens of
 *  the same repository in one process race on its index cache file (each writes `tag-index.json.PID.tmp`). */
async function openDeveloper(server: LlamaServer, root: string, path: string): Promise<Developer> {
  const model = await openModel(server);
  const workspace = await openWorkspace(join(root, path), root);
  return { root, path, model, workspace, charsPerToken: await measureCharsPerToken(model, readFileSync(join(root, path), "utf8")) };
}

/** One developer's session: from the first line at 60% of the file that is long enough, the text after its
 *  indentation is deleted and typed back, a keystroke `gapMs` after the previous suggestion arrived. */
async function typeFile(developer: Developer, keystrokes: number, gapMs: number): Promise<Keystroke[]> {
  const { root, path, model, workspace, charsPerToken } = developer;
  const original = readFileSync(join(root, path), "utf8");
  const lineStart = original.slice(0, Math.floor(original.length * 0.6)).lastIndexOf("\n") + 1;
  const start = lineStart + /^\s*/.exec(original.slice(lineStart))![0].length;
  const end = Math.min(original.length, start + keystrokes);
  const trees = new DocumentTrees();
  const layout = new PromptLayout();
  const results: Keystroke[] = [];
  for (let typed = 1; typed <= end - start; typed++) {
    const text = original.slice(0, start + typed) + original.slice(end);
    const started = performance.now();
    const result = await complete(
      { path, text, offset: start + typed },
      { model, index: workspace.index, recent: workspace.recent, trees, layout, budgetTokens: 1500, charsPerToken, ...editorRequest },
      new AbortController().signal,
    );
    results.push({
      readyMs: performance.now() - started,
      firstTokenMs: result.stats.timeToFirstTokenMs,
      promptTokens: result.stats.promptTokens,
      cachedTokens: result.stats.server?.cachedTokens ?? null,
      first: typed === 1,
    });
    await sleep(gapMs);
  }
  return results;
}

function typingRow(developers: number, keystrokes: Keystroke[], wallMs: number): Row {
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
  const reported = keystrokes.filter((keystroke) => keystroke.cachedTokens !== null);
  const steady = reported.filter((keystroke) => !keystroke.first);
  const share = (list: Keystroke[]) => (list.length === 0 ? null : sum(list.map((keystroke) => keystroke.cachedTokens!)) / sum(list.map((keystroke) => keystroke.promptTokens)));
  return {
    developers,
    completions: keystrokes.length,
    "completions/s": (keystrokes.length * 1000) / wallMs,
    "latency p50 ms": percentile(keystrokes.map((keystroke) => keystroke.readyMs), 50),
    "latency p95 ms": percentile(keystrokes.map((keystroke) => keystroke.readyMs), 95),
    "first token p50 ms": percentile(keystrokes.flatMap((keystroke) => keystroke.firstTokenMs ?? []), 50),
    "prompt tokens p50": percentile(keystrokes.map((keystroke) => keystroke.promptTokens), 50),
    "cached share": share(reported),
    "cached share after first keystroke": share(steady),
    "cache reported": `${reported.length}/${keystrokes.length}`,
  };
}

export async function typingDevelopers(plan: { developers: number; keystrokes: number; gapMs: number }): Promise<BenchmarkResult> {
  // A slot per developer; a unified KV cache of 2048 tokens (the model's context) per slot.
  // One thread, the helper's default: on a busy machine a second one makes ggml's thread pool wait at every barrier for
  // a descheduled peer (seen here at a load of 10 on 2 cores: one developer's p50 3.2 s with 2 threads, 77 ms with 1).
  const server = await startLlamaServer({ alias: modelName, parallel: plan.developers, contextSize: 2048 * plan.developers });
  try {
    const repositories = benchRoots();
    const perRepository = Math.ceil(plan.developers / repositories.length);
    const files = (await Promise.all(repositories.map(async ({ root }) => (await sessionFiles(root, perRepository)).map((path) => ({ root, path }))))).flat().slice(0, plan.developers);
    const developers: Developer[] = [];
    for (const { root, path } of files) developers.push(await openDeveloper(server, root, path));
    const rows: Row[] = [];
    // One developer alone first (the last file), then a restarted server, so the crowd too starts from an empty cache.
    let started = performance.now();
    rows.push(typingRow(1, await typeFile(developers.at(-1)!, plan.keystrokes, plan.gapMs), performance.now() - started));
    await server.restart();
    started = performance.now();
    const all = await Promise.all(developers.map((developer) => typeFile(developer, plan.keystrokes, plan.gapMs))).catch((error: Error) => {
      throw new Error(`${error.message}\nllama-server's log:\n${server.log().slice(-3000)}`);
    });
    rows.push(typingRow(files.length, all.flat(), performance.now() - started));
    return {
      name: `remote: ${plan.developers} developers typing at once against one llama-server (tiny-coder)`,
      note: `Each developer replays ${plan.keystrokes} keystrokes in a file of ${repositories.map((repository) => repository.name).join(", ")} (${perRepository} files each), complete() with its own RemoteModel after each keystroke and ${plan.gapMs} ms after each suggestion; llama-server with --parallel ${plan.developers} (continuous batching), its prompt cache on, 1 thread. Latency: keystroke to post-processed suggestion. Cached share: prompt tokens the server reports as taken from its cache (usage.prompt_tokens_details.cached_tokens) over all prompt tokens, over every keystroke and over all but each session's first.`,
      rows,
    };
  } finally {
    await server.stop();
  }
}
