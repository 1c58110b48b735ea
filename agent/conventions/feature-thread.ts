// Feature extraction in a worker thread (conventions-worker.ts): the same featuresOf, off the calling thread, for
// the miner's `parse` option. The thread starts on the first request and is ended by dispose(); a request it cannot
// answer rejects with the file's name. Knows the message protocol; not what the features mean.
import { createRequire } from "node:module";
import { extname, join } from "node:path";
import { Worker } from "node:worker_threads";
import type { FileFeatures } from "./features";

export interface FeatureRequest {
  id: number;
  path: string;
  text: string;
}

export type FeatureResponse = { id: number; features: FileFeatures | null } | { id: number; error: string };

export class FeatureThread {
  private worker: Worker | null = null;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (features: FileFeatures | null) => void; reject: (error: Error) => void }>();

  /** One file's tallies, parsed in the thread; null for a file the miner skips. */
  readonly parse = (path: string, text: string): Promise<FileFeatures | null> => {
    const worker = (this.worker ??= this.start());
    const id = this.nextId++;
    // Referenced only while it has work: an idle thread must not keep a CLI or test process alive.
    worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, path, text } satisfies FeatureRequest);
    });
  };

  async dispose(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private start(): Worker {
    const worker = startWorker();
    worker.on("message", (response: FeatureResponse) => {
      const waiting = this.pending.get(response.id);
      this.pending.delete(response.id);
      if (this.pending.size === 0) worker.unref();
      if ("error" in response) waiting?.reject(new Error(response.error));
      else waiting?.resolve(response.features);
    });
    // A thread that dies fails what it was asked; the next request starts a new one.
    const failAll = (error: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
    };
    worker.on("error", failAll);
    worker.on("exit", (code) => failAll(new Error(`the conventions parsing thread exited (code ${code})`)));
    return worker;
  }
}

/** conventions-worker.js beside the bundle; from source (tests, under tsx) conventions-worker.ts with tsx's loader
 *  registered in the thread, which does not inherit it. */
function startWorker(): Worker {
  const entry = join(__dirname, `conventions-worker${extname(__filename)}`);
  if (extname(entry) !== ".ts") return new Worker(entry);
  const tsx = createRequire(__filename).resolve("tsx/cjs"); // createRequire: the bundler leaves it alone
  return new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(entry)});`, { eval: true });
}
