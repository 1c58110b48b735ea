// Runs one command: argv with no shell, in the workspace folder, stdin closed, stdout and stderr captured together
// with a size bound (head and tail kept). The process gets its own process group, so a timeout, a stop or the end
// of the command kills everything it started (process.kill(-pid)). Knows nothing about the policy or the sandbox:
// a sandboxed command arrives here already wrapped in bwrap's argv.
import { spawn, type ChildProcessByStdio } from "node:child_process";
import type { Readable } from "node:stream";

export interface CommandRun {
  argv: readonly string[];
  cwd: string;
  timeoutMs: number;
  /** Bytes of output kept: the first and last halves of it. */
  outputLimit: number;
  signal: AbortSignal;
  /** The environment; the caller's own when absent. */
  env?: NodeJS.ProcessEnv;
  /** Kills what left the process group (a setsid child): called with every kill of the group, since such a
   *  process holds the output pipes open and the command would never end. */
  killStragglers?: () => Promise<unknown>;
}

export type CommandResult =
  | { kind: "exited"; code: number | null; signal: string | null; output: string; timedOut: boolean; stopped: boolean; ms: number }
  | { kind: "failed-to-start"; reason: string };

export function runProcess(run: CommandRun): Promise<CommandResult> {
  const started = Date.now();
  const output = new HeadTail(run.outputLimit);
  return new Promise((resolve) => {
    if (run.signal.aborted) return resolve({ kind: "exited", code: null, signal: null, output: "", timedOut: false, stopped: true, ms: 0 });
    const child = start(run);
    if ("reason" in child) return resolve(child);
    let [timedOut, stopped] = [false, false];
    let unkillable = "";
    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch (error) {
        // ESRCH: the group is gone already, which is what we wanted. Anything else (EPERM: a setuid program in the
        // group) leaves processes running: the model and the user are told, in the output.
        if ((error as NodeJS.ErrnoException).code !== "ESRCH") unkillable ||= `\n[Ghost could not kill the command's processes: ${(error as Error).message}]`;
      }
      run.killStragglers?.().catch((error: Error) => (unkillable ||= `\n[Ghost could not kill the command's processes: ${error.message}]`));
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
      resolve({ kind: "exited", code, signal, output: output.text() + unkillable, timedOut, stopped, ms: Date.now() - started });
    });
  });
}

/** spawn() throws, rather than emitting "error", when the kernel refuses the exec itself: an argument list over
 *  the kernel's limit (E2BIG), a NUL byte in an argument. Both come from the model's command line, so both are a
 *  command that could not start, which the model reads. */
function start(run: CommandRun): ChildProcessByStdio<null, Readable, Readable> | Extract<CommandResult, { kind: "failed-to-start" }> {
  try {
    return spawn(run.argv[0]!, run.argv.slice(1), { cwd: run.cwd, env: run.env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if (code === undefined) throw error;
    const bytes = run.argv.reduce((sum, arg) => sum + Buffer.byteLength(arg) + 1, 0);
    return { kind: "failed-to-start", reason: `${code === "E2BIG" ? `the command line is too long for the system (${bytes} bytes)` : message} (${code})` };
  }
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
