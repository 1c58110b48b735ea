// Peak memory of the model worker (a fresh WorkerModel per row, running the worker bundle the build ships, the process
// Ghost runs the model in) for a prefill of 512 tokens of real code plus 128 decoded tokens, with the export run as it
// is ("before": no load-time rewrite) and as Ghost runs it now ("after": logits only where read, attention that
// reads capacity KV buffers in place), next to the weight files' size. Goal: peak <= 1.5 x weights + 100 MB. The same runs give
// the prefill time before/after, and the worker's memory after a model's first load (the graph rewrite run in its own
// process) and after a cached load. A second table measures onnxruntime's memory settings, each in a fresh worker.
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { GraphRewrites, SessionOverrides } from "../model/causal-lm-session";
import { folderPeak } from "../model/memory";
import { openModelFolder } from "../model/model-folder";
import type { Variant } from "../model/store/variants";
import { WorkerModel } from "../model/worker-client";
import { freshModelCopy } from "./model-copy";
import type { BenchmarkResult, Row } from "./report";

export interface MemoryCase {
  name: string;
  dir: string;
  variant: Variant;
  weightBytes: number;
}

const mb = (bytes: number) => bytes / 2 ** 20;
const ratio = (value: number | null, base: number | null) => (value !== null && base ? value / base : null);
const promptTokens = 512;
const decodeTokens = 128;

/** ~512 tokens of TypeScript's own source (real code, the same text for every model of one tokenizer). */
function promptFor(model: MemoryCase): string {
  const source = readFileSync(join(__dirname, "..", "node_modules", "typescript", "lib", "typescript.js"), "utf8").slice(200_000, 260_000);
  const tokenizer = openModelFolder(model.dir, model.variant).tokenizer;
  return tokenizer.decode(tokenizer.encode(source).slice(0, promptTokens));
}

/** What users run: the bundle scripts/build.mjs writes (`npm run bench` builds first). Under tsx the worker would
 *  carry tsx's loader, 20-35 MB that the shipped worker does not have. */
const shippedWorker = join(__dirname, "..", "dist", "worker-main.js");

interface Measured {
  peakBytes: number;
  prefillMs: number | null;
  tokensPerSecond: number | null;
  promptTokens: number;
}

async function measure(model: MemoryCase, prompt: string, rewrites: GraphRewrites, sessionOverrides?: SessionOverrides): Promise<Measured> {
  if (!existsSync(shippedWorker)) throw new Error(`${shippedWorker} is missing: run npm run build first`);
  const worker = await WorkerModel.start(model.dir, { variant: model.variant, threads: 2, rewrites, sessionOverrides }, undefined, shippedWorker);
  let stats;
  for await (const event of worker.generate({ prompt: [{ text: prompt }], maxTokens: decodeTokens, stopTokens: [] })) if (event.type === "done") stats = event.stats;
  const memory = await worker.memory();
  await worker.dispose();
  return { peakBytes: memory.peakBytes, prefillMs: stats!.timeToFirstTokenMs, tokensPerSecond: stats!.tokensPerSecond, promptTokens: stats!.promptTokens };
}

interface LoadMemory {
  peakBytes: number;
  residentBytes: number;
}

/** A worker that only loads the model, then reports its memory. */
async function loaded(dir: string, variant: Variant): Promise<LoadMemory> {
  const worker = await WorkerModel.start(dir, { variant, threads: 2 }, undefined, shippedWorker);
  const { peakBytes, residentBytes } = await worker.memory();
  await worker.dispose();
  return { peakBytes, residentBytes };
}

/** The first load of a model (on a fresh copy of its folder, so the graph rewrite really runs, in its own process)
 *  and the next load of the same copy (the rewrite cached). */
async function loadPeaks(model: MemoryCase): Promise<{ first: LoadMemory; cached: LoadMemory }> {
  const copy = freshModelCopy(model.dir, model.variant);
  try {
    const first = await loaded(copy, model.variant);
    return { first, cached: await loaded(copy, model.variant) };
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

function peakRow(model: MemoryCase, rewrites: GraphRewrites, measured: Measured): Row {
  const goal = 1.5 * model.weightBytes + 100 * 2 ** 20;
  // What the load check (model/memory.ts) predicts for the context this run used.
  const predicted = folderPeak(openModelFolder(model.dir, model.variant), measured.promptTokens + decodeTokens).total;
  return {
    model: model.name,
    path: rewrites === "none" ? "before (export as is)" : "after (rewritten)",
    "weights MB": mb(model.weightBytes),
    "peak RSS MB": mb(measured.peakBytes),
    "peak / weights": measured.peakBytes / model.weightBytes,
    "goal MB": mb(goal),
    "meets goal": measured.peakBytes <= goal ? "yes" : "no",
    "predicted MB": mb(predicted),
    "predicted / peak": predicted / measured.peakBytes,
    "prompt tokens": measured.promptTokens,
    "prefill ms": measured.prefillMs,
    "decode tok/s": measured.tokensPerSecond,
  };
}

export async function peakMemory(models: MemoryCase[]): Promise<BenchmarkResult> {
  const rows: Row[] = [];
  for (const model of models) {
    const prompt = promptFor(model);
    const before = await measure(model, prompt, "none");
    // A load alone first: it rewrites the graph if no rewrite is cached, so the measured row is the steady state.
    await loaded(model.dir, model.variant);
    const loads = await loadPeaks(model);
    const after = await measure(model, prompt, "all");
    rows.push(peakRow(model, "none", before), {
      ...peakRow(model, "all", after),
      "first-load peak MB": mb(loads.first.peakBytes),
      "first-load resident MB": mb(loads.first.residentBytes),
      "cached-load peak MB": mb(loads.cached.peakBytes),
      "cached-load resident MB": mb(loads.cached.residentBytes),
      "peak after / before": after.peakBytes / before.peakBytes,
      "prefill after / before": ratio(after.prefillMs, before.prefillMs),
    });
  }
  return {
    name: "peak memory of the model worker",
    note:
      `Peak RSS of a fresh model worker (the shipped bundle, 2 threads) that prefills ${promptTokens} tokens of real code and decodes ${decodeTokens}; ` +
      "before = the export as it is, after = Ghost's load-time rewrites. Goal: peak <= 1.5 x weights + 100 MB. " +
      "predicted = the load check's peak for the same context (it refuses a model whose prediction exceeds the memory available; >= 1 means it covers the run). " +
      "prefill after / before < 1 means the rewrite made prefill faster. first-load = a worker that only loaded a fresh copy of " +
      "the model's folder, so the graph rewrite ran (in its own process); cached-load = the next load of that copy (the rewrite " +
      "cached); peak and resident afterwards, both the worker's.",
    rows,
  };
}

/** onnxruntime's session memory settings, one fresh worker each. What onnxruntime-node 1.30 can not set: the arena's
 *  extend strategy (only through OrtArenaCfg, which the binding does not take; the arena grows by powers of two) and
 *  memory-mapping external data (onnxruntime maps it by itself; there is no switch). */
const settings: Record<string, SessionOverrides> = {
  "Ghost's (model/causal-lm-session.ts)": {},
  "arena off": { enableCpuMemArena: false },
  "arena on": { enableCpuMemArena: true },
  "mem pattern off": { enableMemPattern: false },
  "arena on, mem pattern off": { enableCpuMemArena: true, enableMemPattern: false },
  "prepacking off": { extra: { session: { disable_prepacking: "1" } } },
  "initializers via the device allocator": { extra: { session: { use_device_allocator_for_initializers: "1" } } },
  "arena on, initializers via the device allocator": { enableCpuMemArena: true, extra: { session: { use_device_allocator_for_initializers: "1" } } },
};

export async function memorySettings(model: MemoryCase): Promise<BenchmarkResult> {
  const prompt = promptFor(model);
  const rows: Row[] = [];
  let ghost: Measured | null = null;
  for (const [name, overrides] of Object.entries(settings)) {
    const measured = await measure(model, prompt, "all", overrides);
    ghost ??= measured;
    rows.push({
      setting: name,
      "peak RSS MB": mb(measured.peakBytes),
      "peak / weights": measured.peakBytes / model.weightBytes,
      "MB vs Ghost's": mb(measured.peakBytes - ghost.peakBytes),
      "prefill ms": measured.prefillMs,
      "decode tok/s": measured.tokensPerSecond,
      "decode vs Ghost's": ratio(measured.tokensPerSecond, ghost.tokensPerSecond),
    });
  }
  return {
    name: `onnxruntime memory settings (${model.name})`,
    note: `Peak RSS of a fresh model worker (the shipped bundle, rewritten graph, 2 threads), prefill ${promptTokens} + decode ${decodeTokens}; weights ${mb(model.weightBytes).toFixed(0)} MB.`,
    rows,
  };
}
