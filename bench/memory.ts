// Peak memory: each shipped model loaded in a fresh process that generates 64 tokens; the process's peak resident
// set, next to a process that only loads onnxruntime and the engine code (the baseline).
import { execFileSync } from "node:child_process";
import type { Variant } from "../model/store/variants";
import type { BenchmarkResult } from "./report";

const probe = `
  const { LocalEngine } = require("./model/engine");
  (async () => {
    const [dir, variant] = process.argv.slice(1);
    if (dir) {
      const engine = await LocalEngine.load(dir, { variant, threads: 1 });
      for await (const event of engine.generate({ prompt: [{ text: "function main() {" }], maxTokens: 64, stopTokens: [] })) {}
    }
    console.log(process.resourceUsage().maxRSS * 1024);
  })();`;

function peakBytes(args: string[]): number {
  return Number(execFileSync(process.execPath, ["--import", "tsx", "-e", probe, ...args], { encoding: "utf8" }).trim());
}

export function peakMemory(models: { name: string; dir: string; variant: Variant; weightBytes: number }[]): BenchmarkResult {
  const baseline = peakBytes([]);
  const mb = (bytes: number) => bytes / 2 ** 20;
  return {
    name: "peak memory",
    note: `Peak RSS of a process that loads the model and generates 64 tokens; baseline (engine code, no model) ${mb(baseline).toFixed(1)} MB.`,
    rows: models.map((model) => {
      const peak = peakBytes([model.dir, model.variant]);
      return { model: model.name, "weights MB": mb(model.weightBytes), "peak RSS MB": mb(peak), "over baseline MB": mb(peak - baseline) };
    }),
  };
}
