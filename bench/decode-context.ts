// Decode speed as the context grows, on the product's path (LocalEngine.generate): the export run as it is ("plain":
// past and new KV concatenated every step and handed back through JavaScript) against Ghost's rewritten graph
// ("new": the KV cache as capacity buffers the graph only reads, only the new rows coming back; logits only where
// read). For each weight variant and thread count: decode time per token after 16, 512 and 1,500 tokens of real
// code, and the time to prefill 512. The machine may be shared, so next to wall time it reports the process's CPU
// time per token (with 1 thread, the time the model's work took) and computes the ratios from it. Goals: new at 1,500 >= 0.85 x the speed of new at
// 16; new >= 1.5 x plain at 1,500; prefill 512 new <= plain.
// Beside them, where the model folder has its GGUF twins and llama-server is built, llama.cpp on the same weights and
// prompts (bench/llama-reference.ts): what this hardware allows, as a reference row.
// usage: npm run bench -- decode-context [--variants fp32,int8,q4] [--threads 1,2]
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { performance } from "node:perf_hooks";
import type { GraphRewrites } from "../model/causal-lm-session";
import { LocalEngine } from "../model/engine";
import { openModelFolder } from "../model/model-folder";
import type { TextTokenizer } from "../model/tokenizer";
import type { Variant } from "../model/store/variants";
import { llamaServerBuilt } from "../test/helpers/llama-server";
import { llamaDecode, referenceGguf } from "./llama-reference";
import { median, type BenchmarkResult, type Row } from "./report";

const contexts = [16, 512, 1500];
const decodeTokens = 32;

/** `tokens` tokens of TypeScript's own source, from a different place for every request (so no prefix is reused). */
function promptOf(tokenizer: TextTokenizer, tokens: number, offset: number): string {
  const source = readFileSync(join(__dirname, "..", "node_modules", "typescript", "lib", "typescript.js"), "utf8").slice(offset, offset + tokens * 8);
  return tokenizer.decode(tokenizer.encode(source).slice(0, tokens));
}

/** The prompt of each context length, by the index of the length: the same texts for Ghost and for llama.cpp. */
const promptOffset = (index: number) => 300_000 + index * 40_000;

export function promptsFor(dir: string, variant: Variant): Map<number, string> {
  const { tokenizer } = openModelFolder(dir, variant);
  return new Map(contexts.map((context, index) => [context, promptOf(tokenizer, context, promptOffset(index))]));
}

export const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;

interface Timing {
  /** Per decoded token after the first (the first token's pass is the prefill's), the median. */
  decodeCpuMs: number;
  decodeWallMs: number;
  prefillCpuMs: number;
  prefillWallMs: number;
}

/** One request, timed from its own events: up to the first token is prefill, each later token one decode step
 *  (the median step, so that a moment when the shared machine took the core away does not count). */
async function run(engine: LocalEngine, text: string): Promise<Timing> {
  const startCpu = cpuMs(process.cpuUsage());
  const startWall = performance.now();
  const steps: { cpu: number; wall: number }[] = [];
  for await (const event of engine.generate({ prompt: [{ text }], maxTokens: decodeTokens, stopTokens: [] })) {
    if (event.type === "token") steps.push({ cpu: cpuMs(process.cpuUsage()), wall: performance.now() });
  }
  if (steps.length < 2) throw new Error(`the benchmark request generated ${steps.length} tokens (expected ${decodeTokens})`);
  const deltas = (key: "cpu" | "wall") => steps.slice(1).map((step, index) => step[key] - steps[index]![key]);
  return {
    decodeCpuMs: median(deltas("cpu")),
    decodeWallMs: median(deltas("wall")),
    prefillCpuMs: steps[0]!.cpu - startCpu,
    prefillWallMs: steps[0]!.wall - startWall,
  };
}

export async function measure(dir: string, variant: Variant, threads: number, rewrites: GraphRewrites, prompts: Map<number, string>): Promise<Map<number, Timing>> {
  const engine = await LocalEngine.load(dir, { variant, threads, rewrites });
  await run(engine, promptOf(engine.folder.tokenizer, 16, 100_000)); // warm-up: first-run allocations are not decode speed
  const timings = new Map<number, Timing>();
  for (const [context, prompt] of prompts) timings.set(context, await run(engine, prompt));
  await engine.dispose();
  return timings;
}

function rowOf(model: string, variant: Variant, threads: number, path: string, timings: Map<number, Timing>): Row {
  return {
    model: `${model} ${variant}`,
    threads,
    path,
    ...Object.fromEntries(contexts.map((context) => [`cpu ms/tok @${context}`, timings.get(context)!.decodeCpuMs])),
    ...Object.fromEntries(contexts.map((context) => [`wall ms/tok @${context}`, timings.get(context)!.decodeWallMs])),
    "prefill 512 cpu ms": timings.get(512)!.prefillCpuMs,
    "prefill 512 wall ms": timings.get(512)!.prefillWallMs,
  };
}

export interface DecodeContextOptions {
  variants?: Variant[];
  threads?: number[];
}

export async function decodeContext(model: { name: string; dir: string }, options: DecodeContextOptions = {}): Promise<BenchmarkResult> {
  const rows: Row[] = [];
  for (const variant of options.variants ?? ["fp32", "int8", "q4"]) {
    const prompts = promptsFor(model.dir, variant);
    for (const threads of options.threads ?? [1, 2]) {
      const plain = await measure(model.dir, variant, threads, "none", prompts);
      const fresh = await measure(model.dir, variant, threads, "all", prompts);
      // Speeds as ratios of CPU time per token: on a machine shared with other work, wall time measures the others.
      // With 2 threads it is both threads' time (the work, and the pool's spinning while it waits for it).
      const time = (timings: Map<number, Timing>, context: number) => timings.get(context)!.decodeCpuMs;
      rows.push(rowOf(model.name, variant, threads, "plain", plain), {
        ...rowOf(model.name, variant, threads, "new", fresh),
        "new speed @1500 / @16": time(fresh, 16) / time(fresh, 1500),
        "wall speed @1500 / @16": fresh.get(16)!.decodeWallMs / fresh.get(1500)!.decodeWallMs,
        "new / plain speed @1500": time(plain, 1500) / time(fresh, 1500),
        "prefill 512 new / plain": fresh.get(512)!.prefillCpuMs / plain.get(512)!.prefillCpuMs,
      });
      const gguf = referenceGguf(model.dir, variant);
      if (gguf && llamaServerBuilt()) {
        const reference = await llamaDecode(gguf, threads, prompts, decodeTokens);
        rows.push({
          model: `${model.name} ${variant}`,
          threads,
          path: `llama.cpp ${basename(gguf)} (reference)`,
          ...Object.fromEntries(contexts.map((context) => [`wall ms/tok @${context}`, reference.get(context)!.decodeWallMs])),
          "prefill 512 wall ms": reference.get(512)!.prefillWallMs,
          "wall speed @1500 / @16": reference.get(16)!.decodeWallMs / reference.get(1500)!.decodeWallMs,
        });
      }
    }
  }
  return {
    name: `decode speed as the context grows (${model.name})`,
    note:
      `LocalEngine.generate, ${decodeTokens} greedy tokens after a prompt of 16, 512 or 1500 tokens of real code; plain = the export as it is, ` +
      "new = the KV cache as capacity buffers read in place, only new rows returned, logits only where read. Time per decoded token (median step): the process's " +
      "CPU time and wall time. Ratios use CPU time (wall time on a shared machine measures the other work). Goals: new speed @1500 / @16 >= 0.85; " +
      "new / plain speed @1500 >= 1.5; prefill 512 new / plain <= 1. llama.cpp rows (where the folder has gguf/model-f32.gguf or model-q8_0.gguf " +
      "and llama-server is built): the same prompts and weights in llama-server, its own wall-time timings, a reference for what this machine allows.",
    rows,
  };
}
