// Runs one command: argv with no shell, in the workspace folder, stdin closed, stdout and stderr captured together
// with a size bound (head and tail kept). The process gets its own process group, so a timeout, a stop or the end
// of the command kills everything it started (process.kill(-pid)). Knows nothing about the policy or the sandbox:
// a sandboxed command arrives here already wrapped in bwrap's argv.
import { spawn } from "node:child_process";

export interface CommandRun {
  argv: readonly string[];
  cwd: string;
  timeoutMs: number;
  /** Bytes of output kept: the first and last halves of it. */
  outputLimit: number;
  signal: AbortSignal;
}

export type CommandResult =
  | { kind: "exited"; code: number | null; signal: string | null; output: string; timedOut: boolean; stopped: boolean; ms: number }
  | { kind: "failed-to-start"; reason: string };

export function runProcess(run: CommandRun): Promise<CommandResult> {
  const started = Date.now();
  const output = new HeadTail(run.outputLimit);
  return new Promise((resolve) => {
    if (run.signal.aborted) return resolve({ kind: "exited", code: null, signal: null, output: "", timedOut: false, stopped: true, ms: 0 });
    const child = spawn(run.argv[0]!, run.argv.slice(1), { cwd: run.cwd, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let [timedOut, stopped] = [false, false];
    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        // ESRCH: the group is gone already, which is what we wanted
      }
    };
    const timer = setTimeout(() => ((timedOut = true), killGroup()), run.timeoutMs);
    const onAbort = () => ((stopped = true), killGroup());
    run.signal.addEventListener("abort", onAbort, { once: true });
    child.stdout.on("data", (chunk: Buffer) => output.add(chunk));
    child.stderr.on("data", (chunk: Buffer) => output.add(chunk));
    // Whatever the command left running in its group would hold the pipes open and outlive it.
    child.on("exit", killGroup);
    child.on("error", (error) => {
      clearTimeout(timer);
      run.signal.removeEventListener("abort", onAbort);
      resolve({ kind: "failed-to-start", reason: `${run.argv[0]}: ${error.message}` });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      run.signal.removeEventListener("abort", onAbort);
      resolve({ kind: "exited", code, signal, output: output.text(), timedOut, stopped, ms: Date.now() - started });
    });
  });
}

/** The first and last `limit / 2` bytes of a stream, and how many bytes between them were dropped. */
class HeadTail {
  private head = Buffer.alloc(0);
  private tail = Buffer.alloc(0);
  private dropped = 0;

  constructor(private readonly limit: number) {}

  add(chunk: Buffer): void {
    const half = this.limit >> 1;
    const intoHead = Math.min(chunk.length, half - this.head.length);
    if (intoHead > 0) this.head = Buffer.concat([this.head, chunk.subarray(0, intoHead)]);
    const rest = chunk.subarray(Math.max(0, intoHead));
    if (rest.length === 0) return;
    const joined = Buffer.concat([this.tail, rest]);
    this.dropped += Math.max(0, joined.length - half);
    this.tail = joined.subarray(Math.max(0, joined.length - half));
  }

  text(): string {
    const gap = this.dropped > 0 ? `\n[… ${this.dropped} bytes of output omitted …]\n` : "";
    return this.head.toString("utf8") + gap + this.tail.toString("utf8");
  }
}
