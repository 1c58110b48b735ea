// Ghost's side of the model worker: implements Model by forwarding to a child process, and restarts that process
// (saying so through onStatus) when it dies, so the next request works. Knows the protocol, not the engine.
import { fork, type ChildProcess } from "node:child_process";
import { z } from "zod";
import type { ChatMessage, GenerateEvent, GenerateRequest, Model, ModelInfo, WarmRequest, WarmStats } from "./model";
import { fromWorkerSchema, workerMemorySchema, type FromWorker, type ToWorker, type WorkerMemory } from "./worker-protocol";
import type { EngineOptions } from "./engine";
import { childEntry, childFlags } from "./child-flags";

export type WorkerStatus =
  | { state: "loading" }
  | { state: "ready"; info: ModelInfo }
  | { state: "crashed"; message: string }
  | { state: "failed"; message: string };

type Reply = Exclude<FromWorker, { type: "loaded" | "load-failed" }>;

/** Next to this file in the source tree and in dist/ alike: worker-main.ts under tsx, worker-main.js bundled. */
const workerEntry = childEntry(__dirname, __filename, "worker-main");

/** V8's young generation grows to 16 MB semi-spaces and keeps them resident; the worker's JavaScript allocates
 *  little and briefly (per-token arrays, the tokenizer's caches), so 1 MB ones trim its peak RSS at no clear cost in
 *  CPU time (bench/memory-breakdown.ts). And no TurboFan: the worker's JavaScript is glue around onnxruntime, whose
 *  native code does the work, while TurboFan's code and compile-time memory held ~6 MB of its peak (shipped worker,
 *  tiny-coder, prefill 512 + decode 128: 107.5 -> 101.8 MB); the worker's CPU time for a whole request was the same
 *  within noise (tiny-coder, ~135M q4 and int8). The loop it slows most is argmax over the vocabulary (0.05 -> 1 ms a
 *  token at 49k on Node 20; Node 22+, VS Code's, still optimizes it with Maglev). Only flags every supported Node
 *  takes: the worker runs under whichever Node hosts Ghost, and one unknown flag stops it at start (exit code 9);
 *  V8's finer tiering flags (e.g. --interrupt-budget, which saved the same with argmax still optimized) differ
 *  between V8 versions. */
export const workerV8Flags = ["--max-semi-space-size=1", "--no-opt"];

function workerFlags(entry: string): string[] {
  return [...childFlags(entry), ...workerV8Flags];
}

export class WorkerModel implements Model {
  private child!: ChildProcess;
  private ready!: Promise<ModelInfo>;
  private nextId = 0;
  private readonly listeners = new Map<number, (reply: Reply) => void>();
  private disposed = false;
  info!: ModelInfo;

  private constructor(
    private readonly dir: string,
    private readonly options: EngineOptions,
    private readonly onStatus: (status: WorkerStatus) => void,
    private readonly entry: string,
  ) {}

  /** `entry`: the worker script, by default the one beside this module. Benchmarks and the memory tests pass the
   *  bundle the build ships (dist/worker-main.js), since what they measure is the process users run. */
  static async start(dir: string, options: EngineOptions, onStatus: (status: WorkerStatus) => void = () => {}, entry = workerEntry): Promise<WorkerModel> {
    const model = new WorkerModel(dir, options, onStatus, entry);
    model.launch();
    await model.ready;
    return model;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  async *generate(request: GenerateRequest, signal?: AbortSignal): AsyncGenerator<GenerateEvent> {
    await this.ready;
    const id = this.nextId++;
    const inbox: Reply[] = [];
    let wake: (() => void) | null = null;
    this.listeners.set(id, (reply) => {
      inbox.push(reply);
      wake?.();
    });
    let stopForwarding = () => {};
    try {
      this.send({ type: "generate", id, request });
      stopForwarding = this.forwardAbort(id, signal);
      for (;;) {
        if (inbox.length === 0) await new Promise<void>((resolve) => (wake = resolve));
        const reply = inbox.shift()!;
        if (reply.type === "failed") throw new Error(reply.message);
        if (reply.type !== "event") continue;
        const event = reply.event;
        // Tokens the worker made before it heard the cancel are still in the pipe: an aborted request delivers none.
        if (signal?.aborted && event.type === "token") continue;
        yield event;
        if (event.type === "done") return;
      }
    } finally {
      stopForwarding();
      this.listeners.delete(id);
    }
  }

  /** The worker's engine prefills the prompt; its own generate() preempts the warm-up there, so a completion sent
   *  now does not wait for this one's answer. */
  async warm(request: WarmRequest, signal?: AbortSignal): Promise<WarmStats> {
    const id = this.nextId++;
    let stopForwarding = () => {};
    try {
      return (await this.call({ type: "warm", id, request }, () => (stopForwarding = this.forwardAbort(id, signal)))) as WarmStats;
    } finally {
      stopForwarding();
    }
  }

  /** Called once request `id` is sent, since its cancel must follow it: sends the cancel when `signal` aborts, or
   *  at once if it already has (even while the worker was loading). Returns what stops listening. */
  private forwardAbort(id: number, signal: AbortSignal | undefined): () => void {
    const cancel = () => this.send({ type: "cancel", id });
    if (signal?.aborted) cancel();
    else signal?.addEventListener("abort", cancel, { once: true });
    return () => signal?.removeEventListener("abort", cancel);
  }

  async tokenize(text: string): Promise<number[]> {
    return (await this.call({ type: "tokenize", id: this.nextId++, text })) as number[];
  }

  async chatTokens(messages: ChatMessage[]): Promise<number> {
    return (await this.tokenize(await this.renderChat(messages, true))).length;
  }

  async renderChat(messages: ChatMessage[], addGenerationPrompt: boolean): Promise<string> {
    return (await this.call({ type: "chat", id: this.nextId++, messages, addGenerationPrompt })) as string;
  }

  /** The worker process's resident memory now and at its peak. */
  async memory(): Promise<WorkerMemory> {
    return workerMemorySchema.parse(await this.call({ type: "memory", id: this.nextId++ }));
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.child.kill();
  }

  private async call(message: ToWorker & { id: number }, sent = () => {}): Promise<unknown> {
    await this.ready;
    return new Promise((resolve, reject) => {
      this.listeners.set(message.id, (reply) => {
        this.listeners.delete(message.id);
        if (reply.type === "failed") reject(new Error(reply.message));
        else if (reply.type === "result") resolve(reply.value);
      });
      this.send(message);
      sent();
    });
  }

  private send(message: ToWorker): void {
    this.child.send(message);
  }

  private launch(): void {
    this.onStatus({ state: "loading" });
    const child = fork(this.entry, [], { execArgv: workerFlags(this.entry), stdio: ["ignore", "inherit", "inherit", "ipc"] });
    this.child = child;
    let loaded = false;
    this.ready = new Promise((resolve, reject) => {
      child.on("message", (raw) => {
        const parsed = fromWorkerSchema.safeParse(raw);
        if (!parsed.success) return this.misspoke(child, z.prettifyError(parsed.error), reject);
        const message = parsed.data;
        if (message.type === "loaded") {
          this.info = message.info;
          loaded = true;
          this.onStatus({ state: "ready", info: this.info });
          resolve(this.info);
        } else if (message.type === "load-failed") {
          // A worker without a model is of no use, and its open IPC channel would keep this process alive.
          this.disposed = true;
          child.kill();
          this.onStatus({ state: "failed", message: message.message });
          reject(new Error(message.message));
        } else this.listeners.get(message.id)?.(message);
      });
      child.on("exit", (code, signal) => this.exited(child, loaded, code, signal, reject));
    });
    this.ready.catch(() => {}); // a failed load is reported to whoever awaits `ready`, not as an unhandled rejection
    this.send({ type: "load", dir: this.dir, options: this.options });
  }

  /** A message outside the protocol is a bug (a worker from another build), not a crash a restart would cure: every
   *  request in flight, or the load, fails with what was wrong, and the worker is stopped for good. Thrown inside the
   *  IPC handler instead, it would be an uncaught exception in the extension host, and the requests would hang. */
  private misspoke(child: ChildProcess, problem: string, rejectLoad: (error: Error) => void): void {
    const message = `Ghost's model worker sent a message outside the protocol, so it was stopped: ${problem}`;
    this.disposed = true;
    child.kill();
    for (const [id, listener] of this.listeners) listener({ type: "failed", id, message });
    this.onStatus({ state: "failed", message });
    rejectLoad(new Error(message));
  }

  /** Fails every request in flight with a clear message, then starts a fresh worker, unless we are shutting down
   *  or the model itself kills the worker while loading (restarting would only crash again). */
  private exited(child: ChildProcess, loaded: boolean, code: number | null, signal: NodeJS.Signals | null, rejectLoad: (error: Error) => void): void {
    if (this.disposed || child !== this.child) return;
    const cause = signal ? `killed by ${signal}` : `exit code ${code}`;
    if (!loaded) {
      const message = `Ghost's model worker stopped while loading ${this.dir} (${cause}); the model may be too large for this machine`;
      this.onStatus({ state: "failed", message });
      return rejectLoad(new Error(message));
    }
    const message = `Ghost's model worker stopped (${cause}); it has been restarted, so try the request again`;
    for (const [id, listener] of this.listeners) listener({ type: "failed", id, message });
    this.onStatus({ state: "crashed", message });
    this.launch();
  }
}
