// Decode speed as the context grows, on the product's path (LocalEngine.generate): the export run as it is ("plain":
// past and new KV concatenated every step and handed back through JavaScript) against Ghost's rewritten graph
// ("new": GroupQueryAttention over a fixed-capacity KV buffer of which only the new rows come back, logits only
// where read). For each weight variant and thread count: decode tokens/s after 16, 512 and 1,500 tokens of real
// code, and the time to prefill 512. Goals: new at 1,500 >= 0.85 x new at 16; new >= 1.5 x plain at 1,500; prefill 512 new <= plain.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { GraphRewrites } from "../model/causal-lm-session";
import { LocalEngine } from "../model/engine";
import type { GenerationStats } from "../model/model";
import type { Variant } from "../model/store/variants";
import type { BenchmarkResult, Row } from "./report";

const contexts = [16, 512, 1500];
const decodeTokens = 24;

/** `tokens` tokens of TypeScript's own source, from a different place for every request (so no prefix is reused). */
function promptOf(engine: LocalEngine, tokens: number, offset: number): string {
  const source = readFileSync(join(__dirname, "..", "node_modules", "typescript", "lib", "typescript.js"), "utf8").slice(offset, offset + tokens * 8);
  return engine.folder.tokenizer.decode(engine.folder.tokenizer.encode(source).slice(0, tokens));
}

async function run(engine: LocalEngine, text: string): Promise<GenerationStats> {
  let stats: GenerationStats | undefined;
  for await (const event of engine.generate({ prompt: [{ text }], maxTokens: decodeTokens, stopTokens: [] })) if (event.type === "done") stats = event.stats;
  return stats!;
}

async function measure(dir: string, variant: Variant, threads: number, rewrites: GraphRewrites): Promise<Record<string, number>> {
  const engine = await LocalEngine.load(dir, { variant, threads, rewrites });
  await run(engine, promptOf(engine, 16, 100_000)); // warm-up: first-run allocations are not decode speed
  const speeds: Record<string, number> = {};
  for (const [index, context] of contexts.entries()) {
    const stats = await run(engine, promptOf(engine, context, 300_000 + index * 40_000));
    speeds[`tok/s @${context}`] = stats.tokensPerSecond!;
    if (context === 512) speeds["prefill 512 ms"] = stats.timeToFirstTokenMs!;
  }
  await engine.dispose();
  return speeds;
}

export async function decodeContext(model: { name: string; dir: string }, variants: Variant[] = ["fp32", "int8", "q4"], threadCounts = [1, 2]): Promise<BenchmarkResult> {
  const rows: Row[] = [];
  for (const variant of variants) {
    for (const threads of threadCounts) {
      const plain = await measure(model.dir, variant, threads, "none");
      const fresh = await measure(model.dir, variant, threads, "all");
      rows.push({
        model: `${model.name} ${variant}`,
        threads,
        ...Object.fromEntries(Object.entries(plain).map(([key, value]) => [`plain ${key}`, value])),
        ...Object.fromEntries(Object.entries(fresh).map(([key, value]) => [`new ${key}`, value])),
        "new @1500 / new @16": fresh["tok/s @1500"]! / fresh["tok/s @16"]!,
        "new / plain @1500": fresh["tok/s @1500"]! / plain["tok/s @1500"]!,
        "prefill 512 new / plain": fresh["prefill 512 ms"]! / plain["prefill 512 ms"]!,
      });
    }
  }
  return {
    name: `decode speed as the context grows (${model.name})`,
    note:
      `LocalEngine.generate, ${decodeTokens} greedy tokens after a prompt of 16, 512 or 1500 tokens of real code; plain = the export as it is, ` +
      "new = GroupQueryAttention over a capacity KV buffer + logits only where read. Goals: new @1500 / new @16 >= 0.85; " +
      "new / plain @1500 >= 1.5; prefill 512 new / plain <= 1.",
    rows,
  };
}
