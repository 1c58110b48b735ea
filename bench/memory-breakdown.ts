// Where the model worker's resident memory goes: one fresh child process takes the worker's load steps one at a time
// and reports VmRSS / VmHWM from /proc/self/status and V8's heap / external / arrayBuffers after each: empty process,
// + onnxruntime-node, + Ghost's model code, + the tokenizer, + the load-time graph rewrite (on a fresh copy of the
// model, so it really runs; in its own process, as the worker runs it), + the session, + prefill 512, + decode 128.
// "after GC" columns (the child runs with --expose-gc, for this diagnosis only) show what is still referenced rather
// than garbage not yet collected. The child is this file bundled as the build bundles the worker
// (scripts/node-bundle.mjs) and run by plain Node with the worker's flags, so its floor is the shipped worker's, not
// tsx's (~35 MB larger).
// usage: node --import tsx bench/memory-breakdown.ts [model dir] [variant] [node flags for the child...]
import { fork } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { build } from "esbuild";
import { workerV8Flags } from "../model/worker-client";
import { nodeBundle } from "../scripts/node-bundle.mjs";
import { freshModelCopy } from "./model-copy";

interface Step {
  step: string;
  rssMb: number;
  hwmMb: number;
  heapMb: number;
  externalMb: number;
  arrayBuffersMb: number;
  heapAfterGcMb: number;
  rssAfterGcMb: number;
}

const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
const statusKb = (field: string) => Number(/^\s*(\d+)/.exec(readFileSync("/proc/self/status", "utf8").split(`${field}:`)[1]!)![1]) * 1024;

function snapshot(step: string): Step {
  const usage = process.memoryUsage();
  const before = { rss: statusKb("VmRSS"), hwm: statusKb("VmHWM") };
  (globalThis as { gc?: () => void }).gc?.();
  const after = process.memoryUsage();
  return {
    step,
    rssMb: mb(before.rss),
    hwmMb: mb(before.hwm),
    heapMb: mb(usage.heapUsed),
    externalMb: mb(usage.external),
    arrayBuffersMb: mb(usage.arrayBuffers),
    heapAfterGcMb: mb(after.heapUsed),
    rssAfterGcMb: mb(statusKb("VmRSS")),
  };
}

/** The child: copies the model (only the variant's files) so the graph rewrite runs instead of hitting its cache
 *  (in a process of its own, as in the worker: the row shows what the worker keeps of it). */
async function child(dir: string, variant: string, prompt: string): Promise<void> {
  const steps: Step[] = [snapshot("empty process")];
  const ort = await import("onnxruntime-node");
  void ort;
  steps.push(snapshot("+ onnxruntime-node"));
  const { openModelFolder, attentionShapeOf } = await import("../model/model-folder");
  const { LocalEngine } = await import("../model/engine");
  const { preparedGraph } = await import("../model/graph/rewrite-process");
  steps.push(snapshot("+ Ghost's model code (XGrammar not started)"));
  const copy = freshModelCopy(dir, variant as "fp32");
  let folder: ReturnType<typeof openModelFolder> | null = openModelFolder(copy, variant as "fp32");
  steps.push(snapshot("+ tokenizer (model folder)"));
  const context = folder.config.max_position_embeddings ?? 2048;
  await preparedGraph(folder.onnxPath, { logitsToKeep: true, sharedKv: attentionShapeOf(folder.config, context) });
  // The engine opens the folder (and its tokenizer) itself: this one goes, so the next rows hold one tokenizer.
  folder = null;
  steps.push(snapshot("+ graph rewrite (in its own process)"));
  const engine = await LocalEngine.load(copy, { variant: variant as "fp32", threads: 2 });
  steps.push(snapshot("+ engine load (session)"));
  for await (const event of engine.generate({ prompt: [{ text: prompt }], maxTokens: 1, stopTokens: [] })) void event;
  steps.push(snapshot("+ prefill 512"));
  for await (const event of engine.generate({ prompt: [{ text: prompt }], maxTokens: 129, stopTokens: [] })) void event;
  steps.push(snapshot("+ decode 128"));
  rmSync(copy, { recursive: true });
  process.send!(steps);
}

let bundle: Promise<string> | null = null;

/** This file as the build bundles the worker, inside node_modules so that onnxruntime-node resolves as in dist/;
 *  built once per run, not once per model. */
function bundled(): Promise<string> {
  bundle ??= (async () => {
    const folder = join(__dirname, "..", "node_modules", ".cache", "ghost-memory-breakdown");
    // The graph rewrite's process beside it, where model/graph/rewrite-process.ts forks it from.
    await build({ entryPoints: { breakdown: __filename, "graph-rewrite": join(__dirname, "..", "model", "graph", "graph-rewrite.ts") }, outdir: folder, ...nodeBundle });
    return join(folder, "breakdown.js");
  })();
  return bundle;
}

async function run(dir: string, variant: string, prompt: string, execArgv: string[]): Promise<Step[]> {
  const script = await bundled();
  return new Promise((resolve, reject) => {
    const worker = fork(script, ["--child", dir, variant, prompt], { execArgv, stdio: ["ignore", "inherit", "inherit", "ipc"] });
    worker.on("message", (steps) => resolve(steps as Step[]));
    worker.on("exit", (code) => code !== 0 && reject(new Error(`breakdown child exited ${code}`)));
  });
}

/** ~512 tokens of TypeScript's own source, as bench/memory.ts prompts. */
async function promptFor(dir: string, variant: string): Promise<string> {
  const { openModelFolder } = await import("../model/model-folder");
  const text = readFileSync(join(dirname(require.resolve("typescript")), "typescript.js"), "utf8").slice(200_000, 260_000);
  const tokenizer = openModelFolder(dir, variant as "fp32").tokenizer;
  return tokenizer.decode(tokenizer.encode(text).slice(0, 512));
}

async function main(): Promise<void> {
  if (process.argv[2] === "--child") return child(process.argv[3]!, process.argv[4]!, process.argv[5]!);
  const dir = process.argv[2] ?? join(process.cwd(), "test", "fixtures", "models", "tiny-coder");
  const variant = process.argv[3] ?? "fp32";
  const extra = process.argv.slice(4);
  // The worker's own flags (model/worker-client.ts) and GC on request; no tsx.
  const steps = await run(dir, variant, await promptFor(dir, variant), ["--expose-gc", ...workerV8Flags, ...extra]);
  console.log(`${dir} (${variant}) ${extra.join(" ")}`);
  console.table(steps);
}

void main();
