// The conventions miner's worker thread: each request is one file's text, answered with its feature tallies
// (featuresOf: tree-sitter parse and the conventions query), so cold mining of a large workspace never blocks the
// thread that asked (the VS Code extension host). See feature-thread.ts for the other side.
import { parentPort } from "node:worker_threads";
import type { FeatureRequest, FeatureResponse } from "./feature-thread";
import { featuresOf } from "./miner";

const port = parentPort!;
// One at a time, in order: the parser and the wasm heap are the thread's own.
let queue = Promise.resolve();
port.on("message", (request: FeatureRequest) => {
  queue = queue.then(async () => {
    const response: FeatureResponse = await featuresOf(request.path, request.text).then(
      (features) => ({ id: request.id, features }),
      (error: Error) => ({ id: request.id, error: `${request.path}: ${error.message}` }),
    );
    port.postMessage(response);
  });
});
