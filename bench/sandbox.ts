// The sandbox's cost per command, side by side in one run, interleaved: a plain spawn (runProcess, what Ghost did
// before: no sandbox, no protected-path scan) against the product's runContained in the sandbox, for `true` and for
// a command that writes 50 files, on a real workspace: a copy of this repository's own sources (a few hundred files,
// with a .git and a .vscode to bind read-only). Goal: under 50 ms added per command.
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { runContained } from "../agent/tools/contained-run";
import { runProcess } from "../agent/tools/run-command";
import { probeSandbox, sandboxSpawnEnvironment } from "../agent/tools/sandbox";
import { median, type BenchmarkResult, type Row } from "./report";

const rounds = 15;
const writeFiftyFiles = `const fs = require("fs"); fs.mkdirSync("out", { recursive: true }); for (let i = 0; i < 50; i++) fs.writeFileSync("out/f" + i + ".txt", "x".repeat(1000) + Math.random());`;
const commands: [string, string[]][] = [
  ["true", ["true"]],
  ["node writes 50 files", [process.execPath, "-e", writeFiftyFiles]],
];

export async function sandboxBench(): Promise<BenchmarkResult> {
  const status = await probeSandbox();
  if (!status.available) throw new Error(`the sandbox bench needs bubblewrap: ${status.reason}`);
  const base = await mkdtemp(join(tmpdir(), "ghost-sandbox-bench-"));
  const root = join(base, "workspace");
  try {
    for (const folder of ["agent", "model", "diffing", "extension", "cli", "webview", "bench", "scripts"]) await cp(folder, join(root, folder), { recursive: true });
    await mkdir(join(root, ".git", "hooks"), { recursive: true });
    await mkdir(join(root, ".vscode"), { recursive: true });
    await writeFile(join(root, ".vscode", "settings.json"), "{}\n");
    const rows: Row[] = [];
    for (const [name, argv] of commands) rows.push(await measure(name, argv, root, join(base, "quarantine")));
    return {
      name: "sandbox: cost per command",
      note: `Plain spawn vs the product's sandboxed run (bwrap, protected-path scan before and after), median of ${rounds} interleaved rounds on a copy of Ghost's sources. Goal: under 50 ms added per command.`,
      rows,
    };
  } finally {
    await rm(base, { recursive: true, force: true });
  }
}

async function measure(name: string, argv: string[], root: string, quarantine: string): Promise<Row> {
  const plain: number[] = [];
  const sandboxed: number[] = [];
  const signal = new AbortController().signal;
  for (let round = 0; round < rounds; round++) {
    // The same environment as the sandbox's: the caller's may hold NODE_OPTIONS (tsx's loader), which would slow
    // the plain node and flatter the sandbox.
    plain.push(await time(async () => expectSuccess(await runProcess({ argv, cwd: root, env: sandboxSpawnEnvironment(), timeoutMs: 60_000, outputLimit: 4096, signal }))));
    sandboxed.push(await time(async () => expectSuccess(await runContained({ argv, isolation: "sandbox", root, quarantine, timeoutMs: 60_000, outputLimit: 4096, signal }))));
  }
  const [p, s] = [median(plain), median(sandboxed)];
  return { command: name, "plain ms": p, "sandboxed ms": s, "added ms": s - p, ratio: s / p };
}

function expectSuccess(result: { kind: string; code?: number | null; output?: string }): void {
  if (result.kind !== "exited" || result.code !== 0) throw new Error(`the bench command failed: ${JSON.stringify(result).slice(0, 300)}`);
}

async function time(action: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await action();
  return performance.now() - started;
}
