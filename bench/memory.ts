// Peak memory of the model worker (a fresh WorkerModel per row, the process Ghost runs the model in) for a prefill
// of 512 tokens of real code plus 128 decoded tokens, with the export run as it is ("before": no load-time rewrite)
// and as Ghost runs it now ("after": logits only where read, GroupQueryAttention over a shared KV buffer), next to
// the weight files' size. Goal: peak <= 1.5 x weights + 100 MB. The same runs give the prefill time before/after.
// A second table measures onnxruntime's memory settings on one model, each in a fresh process.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { GraphRewrites } from "../model/causal-lm-session";
import { openModelFolder } from "../model/model-folder";
import type { Variant } from "../model/store/variants";
import { WorkerModel } from "../model/worker-client";
import type { BenchmarkResult, Row } from "./report";

export interface MemoryCase {
  name: string;
  dir: string;
  variant: Variant;
  weightBytes: number;
}

const mb = (bytes: number) => bytes / 2 ** 20;
const promptTokens = 512;
const decodeTokens = 128;

/** ~512 tokens of TypeScript's own source (real code, the same text for every model of one tokenizer). */
function promptFor(model: MemoryCase): string {
  const source = readFileSync(join(__dirname, "..", "node_modules", "typescript", "lib", "typescript.js"), "utf8").slice(200_000, 260_000);
  const tokenizer = openModelFolder(model.dir, model.variant).tokenizer;
  return tokenizer.decode(tokenizer.encode(source).slice(0, promptTokens));
}

async function measure(model: MemoryCase, rewrites: GraphRewrites, prompt: string): Promise<Row> {
  const worker = await WorkerModel.start(model.dir, { variant: model.variant, threads: 2, rewrites });
  let stats;
  for await (const event of worker.generate({ prompt: [{ text: prompt }], maxTokens: decodeTokens, stopTokens: [] })) if (event.type === "done") stats = event.stats;
  const memory = await worker.memory();
  await worker.dispose();
  const goal = 1.5 * model.weightBytes + 100 * 2 ** 20;
  return {
    model: model.name,
    path: rewrites === "none" ? "before (export as is)" : "after (rewritten)",
    "weights MB": mb(model.weightBytes),
    "peak RSS MB": mb(memory.peakBytes),
    "peak / weights": memory.peakBytes / model.weightBytes,
    "goal MB": mb(goal),
    "meets goal": memory.peakBytes <= goal ? "yes" : "no",
    "prompt tokens": stats!.promptTokens,
    "prefill ms": stats!.timeToFirstTokenMs,
    "decode tok/s": stats!.tokensPerSecond,
  };
}

export async function peakMemory(models: MemoryCase[]): Promise<BenchmarkResult> {
  const rows: Row[] = [];
  for (const model of models) {
    const prompt = promptFor(model);
    const [before, after] = [await measure(model, "none", prompt), await measure(model, "all", prompt)];
    rows.push(before, { ...after, "peak after / before": (after["peak RSS MB"] as number) / (before["peak RSS MB"] as number), "prefill after / before": (after["prefill ms"] as number) / (before["prefill ms"] as number) });
  }
  return {
    name: "peak memory of the model worker",
    note:
      `Peak RSS of a fresh model worker (2 threads) that prefills ${promptTokens} tokens of real code and decodes ${decodeTokens}; ` +
      "before = the export as it is, after = Ghost's load-time rewrites. Goal: peak <= 1.5 x weights + 100 MB. " +
      "prefill after / before < 1 means the rewrite made prefill faster.",
    rows,
  };
}

/** onnxruntime's session memory settings, one fresh process each (peak RSS of a process hosting the engine, as the
 *  worker does). Arena extend strategy and external-data mmap are not settable from onnxruntime-node 1.30. */
const settings: Record<string, Record<string, unknown>> = {
  "Ghost's (arena off, mem pattern on)": {},
  "arena on": { enableCpuMemArena: true },
  "mem pattern off": { enableMemPattern: false },
  "arena on, mem pattern off": { enableCpuMemArena: true, enableMemPattern: false },
  "prepacking off": { extra: { session: { disable_prepacking: "1" } } },
};

const probe = `
  const { LocalEngine } = require("./model/engine");
  (async () => {
    const [dir, variant, overrides, prompt] = process.argv.slice(1);
    const engine = await LocalEngine.load(dir, { variant, threads: 2, sessionOverrides: JSON.parse(overrides) });
    let stats;
    for await (const event of engine.generate({ prompt: [{ text: prompt }], maxTokens: ${decodeTokens}, stopTokens: [] })) if (event.type === "done") stats = event.stats;
    console.log(JSON.stringify({ peak: process.resourceUsage().maxRSS * 1024, prefillMs: stats.timeToFirstTokenMs, tokensPerSecond: stats.tokensPerSecond }));
  })();`;

export function memorySettings(model: MemoryCase): BenchmarkResult {
  const prompt = promptFor(model);
  const rows = Object.entries(settings).map(([name, overrides]) => {
    const output = execFileSync(process.execPath, ["--import", "tsx", "-e", probe, model.dir, model.variant, JSON.stringify(overrides), prompt], { encoding: "utf8", maxBuffer: 1 << 24 });
    const result = JSON.parse(output.trim().split("\n").pop()!) as { peak: number; prefillMs: number; tokensPerSecond: number };
    return { setting: name, "peak RSS MB": mb(result.peak), "peak / weights": result.peak / model.weightBytes, "prefill ms": result.prefillMs, "decode tok/s": result.tokensPerSecond };
  });
  return {
    name: `onnxruntime memory settings (${model.name})`,
    note: `Peak RSS of a fresh process hosting the engine (rewritten graph, 2 threads), prefill ${promptTokens} + decode ${decodeTokens}; weights ${mb(model.weightBytes).toFixed(0)} MB.`,
    rows,
  };
}
