// Prompt-lookup speculative decoding on copy-heavy rewrites: the edit-in-place prompt for a rename in a 200-line
// function and for adding a parameter, generated greedily with and without drafting. Outputs are asserted
// identical; reported are forward passes per generated token and the wall-clock ratio.
import { performance } from "node:perf_hooks";
import { editMessages } from "../agent/edit/prompt";
import { linesTarget } from "../agent/edit/target";
import { LocalEngine } from "../model/engine";
import type { GenerateRequest, GenerationStats } from "../model/model";
import type { Variant } from "../model/store/variants";
import type { BenchmarkResult } from "./report";

const maxTokens = 160;

/** A 200-line function of short lines with many uses of `rows` (short, so the whole prompt fits the shipped test
 *  model's 2,048-token context). */
function longFunction(): string {
  const body = Array.from({ length: 196 }, (_, index) => (index % 3 ? "  n++;" : "  g(rows);"));
  return ["export function sum(rows: Row[]) {", "  let n = 0;", ...body, "  return n;", "}"].join("\n") + "\n";
}

/** One request's ids, final stats and wall time. */
export async function timedGenerate(engine: LocalEngine, request: GenerateRequest): Promise<{ ids: number[]; stats: GenerationStats; ms: number }> {
  const ids: number[] = [];
  let stats: GenerationStats | undefined;
  const started = performance.now();
  for await (const event of engine.generate(request)) {
    if (event.type === "token") ids.push(event.id);
    else stats = event.stats;
  }
  return { ids, stats: stats!, ms: performance.now() - started };
}

export async function speculationBench(model: { name: string; dir: string; variant: Variant }): Promise<BenchmarkResult> {
  const text = longFunction();
  const cases = [
    { name: "rename rows → items in a 200-line function", instruction: "Rename the parameter rows to items everywhere." },
    { name: "add a parameter", instruction: "Add a parameter `start: number` and begin n at start." },
  ];
  const engine = await LocalEngine.load(model.dir, { variant: model.variant, threads: 1 });
  const rows = [];
  for (const testCase of cases) {
    const chat = await engine.renderChat(editMessages({ path: "src/report.ts", text, target: linesTarget(text, 0, text.length), instruction: testCase.instruction }), true);
    const request: GenerateRequest = { prompt: [{ text: chat }], maxTokens, stopTokens: [] };
    await engine.nextTokenLogits([{ text: "\n" }]); // the same cold start for both runs
    const plain = await timedGenerate(engine, request);
    await engine.nextTokenLogits([{ text: "\n" }]);
    const drafted = await timedGenerate(engine, { ...request, speculation: { maxDraft: 8, ngram: 3 } });
    if (plain.ids.join() !== drafted.ids.join()) throw new Error(`${testCase.name}: speculation changed the output`);
    rows.push({
      model: model.name,
      rewrite: testCase.name,
      tokens: plain.stats.generatedTokens,
      "passes/token plain": plain.stats.forwardPasses / plain.stats.generatedTokens,
      "passes/token lookup": drafted.stats.forwardPasses / drafted.stats.generatedTokens,
      "wall ms plain": plain.ms,
      "wall ms lookup": drafted.ms,
      "speed-up": plain.ms / drafted.ms,
    });
  }
  await engine.dispose();
  return {
    name: "prompt-lookup speculation",
    note: `Greedy edit-in-place generation of ${maxTokens} tokens, with and without drafting 8 tokens after a matching 3-gram; outputs asserted identical. The shipped test model's output is no real rewrite (it mostly repeats the function's lines), so the gain shows the mechanism at work on copying, not a real model's gain.`,
    rows,
  };
}
