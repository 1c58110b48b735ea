// Runs every benchmark of the model engine and prints each as a table; the whole result also goes to
// bench/results/latest.json. usage: npm run bench [-- name ...]   (throughput, prefix-reuse, worker, memory,
// autocomplete, conventions, speculation, diffing, agent, sandbox)
import { mkdirSync, writeFileSync } from "node:fs";
import { openModelFolder } from "../model/model-folder";
import { shippedModels } from "../test/helpers/models";
import { agentBench } from "./agent";
import { autocompleteBench } from "./autocomplete";
import { conventionsBench } from "./conventions";
import { diffingBench } from "./diffing";
import { peakMemory } from "./memory";
import { prefixReuse } from "./prefix-reuse";
import { sandboxBench } from "./sandbox";
import { speculationBench } from "./speculation";
import { printTable, type BenchmarkResult } from "./report";
import { throughput } from "./throughput";
import { workerOverhead } from "./worker-overhead";

const models = shippedModels();
const mainModel = models.find((model) => model.name === "tiny-coder fp32") ?? models[0]!;

const benchmarks: Record<string, () => Promise<BenchmarkResult | BenchmarkResult[]> | BenchmarkResult> = {
  throughput: () => throughput(models),
  "prefix-reuse": () => prefixReuse(mainModel),
  worker: () => workerOverhead(mainModel),
  memory: () => peakMemory(models.map((model) => ({ ...model, weightBytes: openModelFolder(model.dir, model.variant).weightBytes }))),
  autocomplete: () => autocompleteBench(),
  conventions: () => conventionsBench(),
  speculation: () => speculationBench(mainModel),
  diffing: () => diffingBench(),
  agent: () => agentBench(),
  sandbox: () => sandboxBench(),
};

async function main(wanted: string[]): Promise<void> {
  const results: BenchmarkResult[] = [];
  for (const [name, run] of Object.entries(benchmarks)) {
    if (wanted.length > 0 && !wanted.includes(name)) continue;
    for (const result of [await run()].flat()) {
      printTable(result);
      results.push(result);
    }
  }
  mkdirSync("bench/results", { recursive: true });
  writeFileSync("bench/results/latest.json", `${JSON.stringify({ date: new Date().toISOString(), results }, null, 2)}\n`);
  console.log("\nJSON: bench/results/latest.json");
}

void main(process.argv.slice(2));
