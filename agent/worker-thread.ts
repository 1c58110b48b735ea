// Starting one of Ghost's worker threads, built or from source. Knows where the code of a worker comes from; not
// what the worker does.
import { createRequire } from "node:module";
import { extname } from "node:path";
import { Worker } from "node:worker_threads";

/** `entry` as built (a .js beside the bundle), or from source (tests, under tsx) the .ts file with tsx's loader
 *  registered in the thread, which does not inherit it. */
export function startWorkerThread(entry: string, workerData?: unknown): Worker {
  if (extname(entry) !== ".ts") return new Worker(entry, { workerData });
  const tsx = createRequire(__filename).resolve("tsx/cjs"); // createRequire: the bundler leaves it alone
  return new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(entry)});`, { eval: true, workerData });
}
