// The memory check refuses models by their peak: the estimate it refuses with must cover what a worker really
// reaches (else Ghost would load a model that then swaps or is killed), measured by the operating system.
import { test } from "node:test";
import assert from "node:assert/strict";
import { estimatePeak } from "../../model/memory";
import { attentionShapeOf, openModelFolder } from "../../model/model-folder";
import { WorkerModel } from "../../model/worker-client";
import { shippedModels } from "../helpers/models";

for (const model of shippedModels().filter((candidate) => candidate.name.startsWith("tiny-coder "))) {
  test(`${model.name}: a worker's peak resident memory stays within the estimate the load check uses`, async (t) => {
    const folder = openModelFolder(model.dir, model.variant);
    const contextLength = folder.config.max_position_embeddings!;
    const attention = attentionShapeOf(folder.config, contextLength)!;
    const estimate = estimatePeak(folder.weightBytes, { layers: folder.config.num_hidden_layers, kvHeads: attention.kvHeads, headDim: attention.headDim }, contextLength);
    const worker = await WorkerModel.start(model.dir, { variant: model.variant, threads: 1 });
    const code = "export function fibonacci(n: number): number {\n  return n < 2 ? n : fibonacci(n - 1) + fibonacci(n - 2);\n}\n";
    for await (const event of worker.generate({ prompt: [{ text: code.repeat(30) }], maxTokens: 64, stopTokens: [] })) void event;
    const { peakBytes } = await worker.memory();
    await worker.dispose();
    t.diagnostic(`peak ${(peakBytes / 2 ** 20).toFixed(0)} MB, estimate ${(estimate.total / 2 ** 20).toFixed(0)} MB`);
    assert.ok(peakBytes <= estimate.total, `peak ${peakBytes} > estimate ${estimate.total}`);
  });
}
