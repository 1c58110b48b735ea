// Worker overhead: a one-token generation through the child process against the same request in this process,
// with a warm cache (one prompt token prefilled), so the difference is the process boundary itself.
import { performance } from "node:perf_hooks";
import { LocalEngine } from "../model/engine";
import type { Model } from "../model/model";
import type { Variant } from "../model/store/variants";
import { WorkerModel } from "../model/worker-client";
import { median, type BenchmarkResult } from "./report";

const requests = 60;
const request = { prompt: [{ text: "export const answer = " }], maxTokens: 1, stopTokens: [] };

async function timeOneToken(model: Model): Promise<number> {
  const started = performance.now();
  for await (const event of model.generate(request)) if (event.type === "done" && event.stats.generatedTokens !== 1) throw new Error("expected one token");
  return performance.now() - started;
}

export async function workerOverhead(model: { name: string; dir: string; variant: Variant }): Promise<BenchmarkResult> {
  const options = { variant: model.variant, threads: 1 };
  const [local, worker] = [await LocalEngine.load(model.dir, options), await WorkerModel.start(model.dir, options)];
  const inProcess: number[] = [];
  const throughWorker: number[] = [];
  for (let index = 0; index < requests; index++) {
    inProcess.push(await timeOneToken(local));
    throughWorker.push(await timeOneToken(worker));
  }
  await Promise.all([local.dispose(), worker.dispose()]);
  const [a, b] = [median(inProcess.slice(5)), median(throughWorker.slice(5))];
  return {
    name: "worker overhead",
    note: `One-token generation with a warm cache, median of ${requests - 5} alternating requests after 5 warm-ups.`,
    rows: [{ model: model.name, "in-process ms": a, "worker ms": b, "overhead ms": b - a, ratio: b / a }],
  };
}
