// The model worker: a child process that hosts one LocalEngine, so that a native crash or an out-of-memory kill
// in onnxruntime takes down only this process, never the VS Code extension host. Speaks worker-protocol over IPC.
import { LocalEngine } from "./engine";
import { availableMemory, folderPeak, type PeakEstimate } from "./memory";
import { toWorkerSchema, type FromWorker } from "./worker-protocol";

let engine: LocalEngine | null = null;
let plannedPeak: PeakEstimate | null = null;
const running = new Map<number, AbortController>();

function send(message: FromWorker): void {
  process.send!(message);
}

/** Runs a request that a "cancel" message with its id aborts. */
async function cancellable(id: number, work: (signal: AbortSignal) => Promise<void>): Promise<void> {
  const controller = new AbortController();
  running.set(id, controller);
  try {
    await work(controller.signal);
  } finally {
    running.delete(id);
  }
}

async function handle(raw: unknown): Promise<void> {
  const message = toWorkerSchema.parse(raw);
  switch (message.type) {
    case "load":
      engine = await LocalEngine.load(message.dir, message.options);
      plannedPeak = folderPeak(engine.folder, engine.info.contextLength, message.options.prefillChunk);
      return send({ type: "loaded", info: engine.info });
    case "generate":
      return cancellable(message.id, async (signal) => {
        for await (const event of engine!.generate(message.request, signal)) send({ type: "event", id: message.id, event });
      });
    case "warm":
      return cancellable(message.id, async (signal) => send({ type: "result", id: message.id, value: await engine!.warm(message.request, signal) }));
    case "cancel":
      return running.get(message.id)?.abort();
    case "tokenize":
      return send({ type: "result", id: message.id, value: await engine!.tokenize(message.text) });
    case "memory":
      return send({
        type: "result",
        id: message.id,
        value: { residentBytes: process.memoryUsage.rss(), peakBytes: process.resourceUsage().maxRSS * 1024, plannedPeakBytes: plannedPeak!.total, availableBytes: availableMemory() },
      });
    case "chat":
      return send({ type: "result", id: message.id, value: await engine!.renderChat(message.messages, message.addGenerationPrompt) });
  }
}

// The process boundary: every failure becomes a message to the parent, never an unhandled rejection.
process.on("message", (raw) => {
  handle(raw).catch((error: Error) => {
    const id = typeof raw === "object" && raw && "id" in raw && typeof raw.id === "number" ? raw.id : -1;
    send(id === -1 ? { type: "load-failed", message: error.message } : { type: "failed", id, message: error.message });
  });
});
process.on("disconnect", () => process.exit(0));
