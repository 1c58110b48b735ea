// A real llama.cpp `llama-server` for the tests of the remote backend: the binary that scripts/llama-server.sh builds
// (cached under Ghost's home, outside the checkout) serving tiny-coder converted to GGUF (scripts/make-test-gguf.py).
// Starts it on a free local port, waits until it is healthy, and stops, kills or restarts it on the same port.
// A server is killed when the test process exits, so a failed test never leaves one running.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { ghostHome } from "../../model/ghost-home";
import { tinyCoder } from "./models";

/** The llama.cpp version scripts/llama-server.sh builds: the one npm's node-llama-cpp@3.21.1 ships. */
const version = "3.21.1";

export const tinyCoderGguf = join(tinyCoder, "gguf", "tiny-coder-f32.gguf");

const binaryPath = () => join(ghostHome(), "tools", `llama-server-${version}`, "bin", "llama-server");

export function llamaServerBuilt(): boolean {
  return existsSync(binaryPath());
}

export function llamaServerBinary(): string {
  if (!llamaServerBuilt()) throw new Error("llama-server is not built: run bash scripts/llama-server.sh");
  return binaryPath();
}

export interface LlamaServer {
  /** The OpenAI-compatible base URL, as a user would put it in `ghost.model`. */
  baseUrl: string;
  port: number;
  /** SIGTERM and wait for exit (SIGKILL if it has not exited after 10 s). */
  stop(): Promise<void>;
  /** Immediate, for "server killed mid-stream" tests (default SIGKILL). */
  kill(signal?: NodeJS.Signals): void;
  /** Start again on the same port (stopping it first if it still runs) and wait until healthy. */
  restart(): Promise<void>;
  /** The server's recent log (its stderr and stdout), for a failing test's message. */
  log(): string;
}

export interface LlamaServerOptions {
  gguf?: string;
  apiKey?: string;
  /** The model name the server answers to (`model` in requests, /v1/models); defaults to the file name. */
  alias?: string;
  /** Tokens of context; every slot may use all of it (a unified KV cache). Default 2048, the model's own. */
  contextSize?: number;
  /** Slots decoding at the same time (default 1). */
  parallel?: number;
  /** More llama-server flags; a flag given here wins over the helper's own. */
  extraArgs?: string[];
}

const running = new Set<ChildProcess>();
const killAll = () => {
  for (const child of running) child.kill("SIGKILL");
};
process.once("exit", killAll);
// A test runner ends a file that ran past its timeout with a signal, which skips "exit" handlers: kill the servers,
// then die of the same signal as if nobody had listened.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    killAll();
    process.kill(process.pid, signal);
  });
}

export async function startLlamaServer(options: LlamaServerOptions = {}): Promise<LlamaServer> {
  const binary = llamaServerBinary();
  const port = await freePort();
  const args = [
    "--model", options.gguf ?? tinyCoderGguf,
    "--host", "127.0.0.1",
    "--port", String(port),
    "--ctx-size", String(options.contextSize ?? 2048),
    "--parallel", String(options.parallel ?? 1),
    "--kv-unified",
    // One thread that sleeps when idle: the test machines are small and shared, and the model is tiny.
    "--threads", "1", "--threads-batch", "1", "--poll", "0",
    "--no-warmup",
    ...(options.alias ? ["--alias", options.alias] : []),
    ...(options.apiKey ? ["--api-key", options.apiKey] : []),
    ...(options.extraArgs ?? []),
  ];
  // The server also reads its flags from LLAMA_ARG_* variables: none may leak in from the developer's shell.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("LLAMA_ARG_")));
  let child: ChildProcess | undefined;
  let output = "";

  const start = async () => {
    output = "";
    const started = spawn(binary, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    child = started;
    running.add(started);
    const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-16_000));
    started.stdout!.on("data", keep);
    started.stderr!.on("data", keep);
    started.once("exit", () => running.delete(started));
    await waitHealthy(port, started, () => output);
  };
  const exited = (target: ChildProcess) =>
    target.exitCode !== null || target.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => target.once("exit", () => resolve()));
  const stop = async () => {
    const target = child;
    if (!target || target.exitCode !== null || target.signalCode !== null) return;
    target.kill("SIGTERM");
    const timer = setTimeout(() => target.kill("SIGKILL"), 10_000);
    await exited(target);
    clearTimeout(timer);
  };

  await start();
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    port,
    stop,
    kill: (signal = "SIGKILL") => void child?.kill(signal),
    restart: async () => {
      await stop();
      await start();
    },
    log: () => output,
  };
}

/** A port nobody listens on now (the kernel's choice), for the server to take. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", () => resolve()));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error("no free port");
  return address.port;
}

/** Polls /health until it says ok (the model is loaded). Fails with the server's log when it exits first or when
 *  60 s pass (a slow, shared machine still loads the tiny model in seconds). */
async function waitHealthy(port: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`llama-server exited (${child.exitCode ?? child.signalCode}) before it was healthy:\n${log()}`);
    }
    const health = await fetch(`http://127.0.0.1:${port}/health`).then(
      async (response) => (response.ok ? ((await response.json()) as { status?: string }).status : undefined),
      () => undefined, // not listening yet
    );
    if (health === "ok") return;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`llama-server on port ${port} was not healthy after 60 s:\n${log()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
