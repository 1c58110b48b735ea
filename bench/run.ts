// Runs every benchmark of the model engine and prints each as a table; the whole result also goes to
// bench/results/latest.json. usage: npm run bench [-- name ...]   (throughput, prefix-reuse, worker, memory, decode-context,
// autocomplete, conventions, conventions-precision, speculation, diffing, agent, sandbox, constrained,
// activation, remote, attention-floor)
import { mkdirSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { openModelFolder } from "../model/model-folder";
import type { Variant } from "../model/store/variants";
import { shippedModels } from "../test/helpers/models";
import { activationBench } from "./activation";
import { agentBench } from "./agent";
import { attentionFloorBench } from "./attention-floor";
import { autocompleteBench } from "./autocomplete";
import { benchModel, benchModelMissing } from "./bench-model";
import { constrainedBench } from "./constrained";
import { conventionsBench } from "./conventions";
import { conventionsPrecisionBench } from "./conventions-precision";
import { decodeContext } from "./decode-context";
import { diffingBench } from "./diffing";
import { memorySettings, peakMemory, type MemoryCase } from "./memory";
import { configurations as typingConfigurations, prefixReuse } from "./prefix-reuse";
import { remoteBench } from "./remote";
import { sandboxBench } from "./sandbox";
import { speculationBench } from "./speculation";
import { printTable, type BenchmarkResult } from "./report";
import { throughput } from "./throughput";
import { workerOverhead } from "./worker-overhead";

const models = shippedModels();
const mainModel = models.find((model) => model.name === "tiny-coder fp32") ?? models[0]!;

const benchmarks: Record<string, () => Promise<BenchmarkResult | BenchmarkResult[]> | BenchmarkResult> = {
  throughput: () => throughput(models),
  "prefix-reuse": () => typingSessions(),
  worker: () => workerOverhead(mainModel),
  memory: () => memoryBenchmarks(),
  "decode-context": () => {
    const list = (value: string | undefined) => value?.split(",").map((item) => item.trim());
    return decodeContext(largeOrTestModel("decode-context"), {
      variants: list(flags.variants) as Variant[] | undefined,
      threads: list(flags.threads)?.map(Number),
    });
  },
  // Evidence for decode-context's @1500/@16 goal: what onnxruntime's CPU kernels let attention alone cost here.
  "attention-floor": () => attentionFloorBench(largeOrTestModel("attention-floor")),
  autocomplete: () => autocompleteBench(mainModel),
  conventions: () => conventionsBench(),
  "conventions-precision": () => conventionsPrecisionBench(),
  speculation: () => speculationBench(mainModel),
  diffing: () => diffingBench(),
  agent: () => agentBench(),
  sandbox: () => sandboxBench(),
  constrained: () => constrainedBench(),
  // In the real extension host (code-server, the VSIX installed): needs bash scripts/vscode-tools.sh.
  activation: () => activationBench(),
  // Against a real llama.cpp server: needs bash scripts/llama-server.sh.
  remote: () => remoteBench(),
};

/** The ~135M model when it has been made, else the test model (saying so). */
function largeOrTestModel(benchmark: string): { name: string; dir: string } {
  const large = benchModel();
  if (large) return { name: "qwen2-135m", dir: large };
  console.log(`\n${benchmark} on the ~135M model skipped (the test model instead): ${benchModelMissing}`);
  return { name: "tiny-coder", dir: mainModel.dir };
}

/** Peak memory before/after on the test model and the ~135M model (fp32, int8, q4), and the session settings. */
async function memoryBenchmarks(): Promise<BenchmarkResult[]> {
  const withWeights = (model: { name: string; dir: string; variant: Variant }): MemoryCase => ({ ...model, weightBytes: openModelFolder(model.dir, model.variant).weightBytes });
  const large = benchModel();
  if (!large) console.log(`\nmemory on the ~135M model skipped: ${benchModelMissing}`);
  const largeCases = large ? (["fp32", "int8", "q4"] as const).map((variant) => withWeights({ name: `qwen2-135m ${variant}`, dir: large, variant })) : [];
  const peaks = await peakMemory([withWeights(mainModel), ...largeCases]);
  return [peaks, ...(largeCases[1] ? [await memorySettings(largeCases[1])] : [])];
}

/** The typing sessions on the test model, and on the ~135M model when it has been made. */
async function typingSessions(): Promise<BenchmarkResult[]> {
  const results = [await prefixReuse(mainModel, { filesPerRepository: 2, keystrokesPerFile: 50 })];
  const large = benchModel();
  // On the ~135M model the product and the product before the warm-up: every configuration would take ~30 minutes.
  const beforeAndProduct = [typingConfigurations[1]!.name, typingConfigurations[2]!.name];
  if (large) results.push(await prefixReuse({ name: "qwen2-135m int8", dir: large, variant: "int8" }, { filesPerRepository: 1, keystrokesPerFile: 40, only: beforeAndProduct }));
  else console.log(`\nprefix-reuse on the ~135M model skipped: ${benchModelMissing}`);
  return results;
}

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

// Flags for the benchmarks that take them (decode-context: --variants fp32,int8 --threads 1); the rest are names.
const { values: flags, positionals } = parseArgs({ args: process.argv.slice(2), allowPositionals: true, options: { variants: { type: "string" }, threads: { type: "string" } } });

void main(positionals);
