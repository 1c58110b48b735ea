// The memory check refuses models by their predicted peak: the prediction must cover what a real worker reaches (else
// Ghost would load a model that then swaps or is killed) without being far above it (else it would refuse models that
// fit), measured by the operating system on the worker users run; and a refusal must come with the numbers. A model's
// first load must not cost the worker more than any other load (the graph rewrite runs in a process of its own).
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { estimatePeak, type KvShape } from "../../model/memory";
import { attentionShapeOf, openModelFolder } from "../../model/model-folder";
import type { VariantChoice } from "../../model/store/variants";
import { WorkerModel, type WorkerStatus } from "../../model/worker-client";
import { shippedModels, tinyCoder } from "../helpers/models";
import { shippedWorker } from "./shipped-worker";

const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
const code = "export function fibonacci(n: number): number {\n  return n < 2 ? n : fibonacci(n - 1) + fibonacci(n - 2);\n}\n";
const maxTokens = 64;

function kvShape(dir: string, variant: VariantChoice) {
  const folder = openModelFolder(dir, variant);
  const contextLength = folder.config.max_position_embeddings!;
  const attention = attentionShapeOf(folder.config, contextLength)!;
  const kv: KvShape = { layers: folder.config.num_hidden_layers, heads: attention.heads, kvHeads: attention.kvHeads, headDim: attention.headDim };
  return { folder, contextLength, kv };
}

for (const model of shippedModels().filter((candidate) => candidate.name.startsWith("tiny-coder "))) {
  test(`${model.name}: the predicted peak covers the shipped worker's measured peak, within a quarter above it`, async (t) => {
    const { folder, kv } = kvShape(model.dir, model.variant);
    const worker = await WorkerModel.start(model.dir, { variant: model.variant, threads: 2 }, undefined, await shippedWorker());
    let promptTokens = 0;
    for await (const event of worker.generate({ prompt: [{ text: code.repeat(30) }], maxTokens, stopTokens: [] })) if (event.type === "done") promptTokens = event.stats.promptTokens;
    const { peakBytes } = await worker.memory();
    await worker.dispose();
    // The same work on both sides: the context this request used.
    const estimate = estimatePeak(folder.weightBytes, kv, promptTokens + maxTokens);
    t.diagnostic(`${promptTokens} + ${maxTokens} tokens: peak ${mb(peakBytes)} MB, predicted ${mb(estimate.total)} MB`);
    assert.ok(promptTokens > 500, `${promptTokens} prompt tokens: a prefill of several chunks`);
    assert.ok(peakBytes <= estimate.total, `measured peak ${mb(peakBytes)} MB > predicted ${mb(estimate.total)} MB`);
    assert.ok(estimate.total <= 1.25 * peakBytes, `predicted ${mb(estimate.total)} MB is far above the measured peak ${mb(peakBytes)} MB`);
  });
}

test("a model whose predicted peak exceeds the memory it may use is refused by the worker, with the numbers", async () => {
  const { folder, contextLength, kv } = kvShape(tinyCoder, "fp32");
  const estimate = estimatePeak(folder.weightBytes, kv, contextLength);
  // Room for the weights many times over, but not for the peak.
  const limit = estimate.total - 2 ** 20;
  assert.ok(limit > 10 * folder.weightBytes);
  const statuses: WorkerStatus[] = [];
  const refused = WorkerModel.start(tinyCoder, { variant: "fp32", threads: 1, memoryLimitBytes: limit }, (status) => statuses.push(status), await shippedWorker());
  const expected =
    `needs about ${mb(estimate.total)} MB to run at its peak (weights ${mb(estimate.weights)} MB, KV cache for ${estimate.contextTokens} tokens ` +
    `${mb(estimate.kvCache)} MB, runtime ${mb(estimate.runtime)} MB) but the limit set by ghost.memoryLimitMB is ${mb(limit)} MB`;
  await assert.rejects(refused, (error: Error) => error.message.includes(expected) || assert.fail(`${error.message}\n  expected: ${expected}`));
  assert.equal(statuses.at(-1)?.state, "failed");
  // The same model with room for its peak loads, and reports the budget the model menu shows.
  const loaded = await WorkerModel.start(tinyCoder, { variant: "fp32", threads: 1, memoryLimitBytes: estimate.total + 2 ** 20 }, undefined, await shippedWorker());
  assert.equal(loaded.info.onnxFile, folder.onnxPath);
  const memory = await loaded.memory();
  await loaded.dispose();
  assert.equal(memory.plannedPeakBytes, estimate.total);
  assert.ok(memory.availableBytes > memory.residentBytes && memory.availableBytes <= totalmem() + memory.residentBytes, `${memory.availableBytes} available`);
});

/** The most the process `pid` has been resident, as the kernel counts it (not as the worker reports itself). */
const peakOf = (pid: number) => Number(/VmHWM:\s*(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) * 1024;

async function loadedPeak(dir: string): Promise<number> {
  const worker = await WorkerModel.start(dir, { variant: "int8", threads: 1 }, undefined, await shippedWorker());
  const peak = peakOf(worker.pid!);
  await worker.dispose();
  return peak;
}

// int8: its weights are inside the .onnx, so rewriting reads all of them. In the worker that cost its peak ~5 MB on
// this 1.9 MB file (and ~240 MB on the ~135M model's, `npm run bench -- memory`); in a process of its own, nothing.
test("a model's first load rewrites its graph outside the worker: the rewrite is cached, and the worker peaks no higher than on a cached load", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "ghost-first-load-"));
  cpSync(tinyCoder, dir, { recursive: true, filter: (source) => !/\.ghost-/.test(source) });
  const first = await loadedPeak(dir);
  const cached = readdirSync(join(dir, "onnx")).filter((name) => /^model_quantized\.ghost-.*\.(onnx|json)$/.test(name));
  assert.equal(cached.length, 2, `the rewrite of model_quantized.onnx is cached: ${readdirSync(join(dir, "onnx")).join(", ")}`);
  const again = await loadedPeak(dir);
  rmSync(dir, { recursive: true });
  t.diagnostic(`worker peak: first load ${mb(first)} MB, cached load ${mb(again)} MB`);
  assert.ok(first <= again + 2 * 2 ** 20, `first load ${mb(first)} MB > cached load ${mb(again)} MB`);
});
