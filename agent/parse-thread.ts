// One file parsed in a worker thread: the calling side (ParseThread) and the worker's side (serveParseRequests) of
// the request/answer protocol that the tag index and the conventions miner share, so that parsing a large workspace
// never holds the thread that serves the editor. The thread starts on the first request and is ended by dispose();
// a request it cannot answer rejects with the file's name. Knows the protocol; not what is parsed out of a file.
import { parentPort, type Worker } from "node:worker_threads";
import { startWorkerThread } from "./worker-thread";

interface ParseRequest {
  id: number;
  path: string;
  text: string;
}

type ParseResponse<T> = { id: number; result: T | null } | { id: number; error: string };

export class ParseThread<T> {
  private worker: Worker | null = null;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (result: T | null) => void; reject: (error: Error) => void }>();

  /** `entry`: the worker's file (a .js beside the bundle, or the .ts source under tsx); `what` names the thread in
   *  errors ("the tag parsing thread exited"). */
  constructor(
    private readonly entry: string,
    private readonly what: string,
  ) {}

  /** What the worker parses out of one file; null for a file it skips. */
  readonly parse = (path: string, text: string): Promise<T | null> => {
    const worker = (this.worker ??= this.start());
    const id = this.nextId++;
    // Referenced only while it has work: an idle thread must not keep a CLI or test process alive.
    worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, path, text } satisfies ParseRequest);
    });
  };

  async dispose(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private start(): Worker {
    const worker = startWorkerThread(this.entry);
    worker.on("message", (response: ParseResponse<T>) => {
      const waiting = this.pending.get(response.id);
      this.pending.delete(response.id);
      if (this.pending.size === 0) worker.unref();
      if ("error" in response) waiting?.reject(new Error(response.error));
      else waiting?.resolve(response.result);
    });
    // A thread that dies fails what it was asked; the next request starts a new one.
    const failAll = (error: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
    };
    worker.on("error", failAll);
    worker.on("exit", (code) => failAll(new Error(`the ${this.what} thread exited (code ${code})`)));
    return worker;
  }
}

/** The worker's side: answers each request with `parse`'s result, one at a time and in order (the tree-sitter parser
 *  and its wasm heap are the thread's own). */
export function serveParseRequests<T>(parse: (path: string, text: string) => Promise<T | null>): void {
  const port = parentPort!;
  let queue = Promise.resolve();
  port.on("message", (request: ParseRequest) => {
    queue = queue.then(async () => {
      const response: ParseResponse<T> = await parse(request.path, request.text).then(
        (result) => ({ id: request.id, result }),
        (error: unknown) => ({ id: request.id, error: `${request.path}: ${error instanceof Error ? error.message : String(error)}` }),
      );
      port.postMessage(response);
    });
  });
}
