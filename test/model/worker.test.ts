// The model worker: the same answers as in-process, cancellation across the process boundary, and recovery
// when the worker dies mid-generation.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { LocalEngine } from "../../model/engine";
import type { GenerateEvent, GenerateRequest, Model } from "../../model/model";
import { WorkerModel, type WorkerStatus } from "../../model/worker-client";
import { tinyCoder } from "../helpers/models";

const options = { variant: "fp32" as const, threads: 1 };
const request: GenerateRequest = { prompt: [{ text: "const items = [" }], maxTokens: 16, stopTokens: [] };
const workers: WorkerModel[] = [];
after(() => Promise.all(workers.map((worker) => worker.dispose())));

async function tokensOf(model: Model, req: GenerateRequest, signal?: AbortSignal, onToken?: (count: number) => void) {
  const ids: number[] = [];
  let done: Extract<GenerateEvent, { type: "done" }> | undefined;
  for await (const event of model.generate(req, signal)) {
    if (event.type === "token") {
      ids.push(event.id);
      onToken?.(ids.length);
    }
    else done = event;
  }
  return { ids, done: done! };
}

async function startWorker(statuses: WorkerStatus[] = []) {
  const worker = await WorkerModel.start(tinyCoder, options, (status) => statuses.push(status));
  workers.push(worker);
  return worker;
}

test("the worker generates exactly what the in-process engine generates", async () => {
  const engine = await LocalEngine.load(tinyCoder, options);
  const local = await tokensOf(engine, request);
  await engine.dispose();
  const worker = await startWorker();
  const remote = await tokensOf(worker, request);
  assert.deepEqual(remote.ids, local.ids);
  assert.equal(remote.done.text, local.done.text);
  const reference = await LocalEngine.load(tinyCoder, options);
  assert.deepEqual(await worker.tokenize("let x = 1;"), await reference.tokenize("let x = 1;"));
  await reference.dispose();
});

test("the worker reports its own resident memory (what the model menu shows), not this process's", async () => {
  const worker = await startWorker();
  const before = await worker.memory();
  await tokensOf(worker, request);
  const after = await worker.memory();
  // the worker's RSS, read from /proc by pid, is what it reports (to the page, give or take its own allocations)
  const statusRss = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${worker.pid}/status`, "utf8"))![1]) * 1024;
  assert.ok(Math.abs(after.residentBytes - statusRss) < 32 * 2 ** 20, `${after.residentBytes} vs /proc ${statusRss}`);
  assert.ok(after.peakBytes >= after.residentBytes && after.peakBytes >= before.peakBytes);
  assert.ok(after.residentBytes > 30 * 2 ** 20, `a worker with onnxruntime and a model holds more than ${after.residentBytes} bytes`);
});

test("aborting a request in the worker stops it within one token", async () => {
  const worker = await startWorker();
  const controller = new AbortController();
  const result = await tokensOf(worker, { ...request, maxTokens: 300 }, controller.signal, (count) => count === 3 && controller.abort());
  assert.equal(result.done.stats.stopReason, "cancelled");
  assert.ok(result.ids.length <= 4, `${result.ids.length} tokens delivered`);
  // The worker itself stopped too, within the tokens it made before the cancel crossed the process boundary.
  assert.ok(result.done.stats.generatedTokens < 50, `${result.done.stats.generatedTokens} tokens generated of 300`);
});

test("a request whose signal was aborted before it was sent stops in the worker too, not after all its tokens", async () => {
  const worker = await startWorker();
  const controller = new AbortController();
  controller.abort();
  const result = await tokensOf(worker, { ...request, maxTokens: 300 }, controller.signal);
  assert.equal(result.done.stats.stopReason, "cancelled");
  assert.deepEqual(result.ids, []);
  assert.ok(result.done.stats.generatedTokens < 50, `${result.done.stats.generatedTokens} tokens generated of 300`);
});

test("killing the worker mid-generation gives a clear error, Ghost restarts it, and the next request works", async () => {
  const statuses: WorkerStatus[] = [];
  const worker = await startWorker(statuses);
  const firstPid = worker.pid;
  await assert.rejects(
    tokensOf(worker, { ...request, maxTokens: 300 }, undefined, (count) => count === 2 && process.kill(firstPid!, "SIGKILL")),
    /model worker stopped \(killed by SIGKILL\); it has been restarted/,
  );
  const next = await tokensOf(worker, request);
  assert.equal(next.ids.length, 16);
  assert.notEqual(worker.pid, firstPid);
  assert.deepEqual(statuses.map((status) => status.state), ["loading", "ready", "crashed", "loading", "ready"]);
});

test("a model that cannot load reports why, through the worker", async () => {
  await assert.rejects(WorkerModel.start("/nonexistent/model", options), /model folder \/nonexistent\/model does not exist/);
});

test("a message outside the protocol fails the request in flight with what was wrong, and stops the worker for good", async () => {
  const statuses: WorkerStatus[] = [];
  const worker = await startWorker(statuses);
  // What a worker from another build would send: the IPC handler must not throw it into the host.
  const child = (worker as unknown as { child: import("node:child_process").ChildProcess }).child;
  const pending = worker.tokenize("let x = 1;");
  await new Promise((resolve) => setImmediate(resolve)); // the request is sent; its answer is not back yet
  child.emit("message", { type: "result", id: "not a number" });
  await assert.rejects(pending, /model worker sent a message outside the protocol, so it was stopped: ✖ Invalid input/);
  assert.deepEqual(statuses.map((status) => status.state), ["loading", "ready", "failed"]);
  await new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once("exit", resolve)));
  assert.equal(child.signalCode, "SIGTERM");
});
