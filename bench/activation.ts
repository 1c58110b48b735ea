// Ghost's activation in the real extension host and its memory before and after first use (needs the VS Code tools
// of bash scripts/vscode-tools.sh: code-server and chromium): packages the VSIX from the current build, then runs
// test/vscode/bench-activation.mjs (code-server with the VSIX installed, N windows opened one after another, then a
// user's first keystrokes in the last). Activation counts from the activation bundle's first statement (VS Code has
// resolved the activation event and requires dist/extension.js) to activate() returning, as Ghost logs it, split
// into loading (evaluating) the bundle, VS Code's own preparation (the extension's context, which VS Code prepares
// beside the loading and activate() waits for) and activate(); CPU time is the extension host process's over that
// span.
import { execFileSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { median, type BenchmarkResult, type Row } from "./report";

interface Activation {
  wallMs: number;
  cpuMs: number;
  loadingMs: number;
  vscodeMs: number;
  activateMs: number;
  hostMB: number;
}

interface Measured {
  activations: Activation[];
  firstUse: { workersBefore: number; wallMs: number; cpuMs: number; loadingMs: number; startMs: number; hostMB: number | null; workerMB: number | null };
}

export async function activationBench(windows = 5): Promise<BenchmarkResult[]> {
  execFileSync("node", ["scripts/package.mjs", "--no-build"], { stdio: ["ignore", "ignore", "inherit"] });
  const output = execFileSync("node", ["test/vscode/bench-activation.mjs", String(windows)], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], timeout: 600_000 });
  const { activations, firstUse } = JSON.parse(output.trim().split("\n").at(-1)!) as Measured;
  const load = `load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`;
  // Ghost's own share: evaluating its activation bundle and running activate(); the rest of the wall time is VS Code's.
  const own = (a: Activation) => a.loadingMs + a.activateMs;
  const row = (window: string, a: Activation, ownMs = own(a)): Row => ({ window, "wall ms": a.wallMs, "Ghost's own ms": ownMs, "CPU ms": a.cpuMs, "loading code ms": a.loadingMs, "VS Code ms": a.vscodeMs, "activate() ms": a.activateMs, "host MB": a.hostMB });
  const of = (key: keyof Activation) => median(activations.map((a) => a[key]));
  return [
    {
      name: "activation",
      note: `Installed VSIX in code-server, one window after another (${load}). From loading dist/extension.js (the activation shell) to activate() returning; VS Code ms: from the bundle loaded to VS Code calling activate() (VS Code preparing the extension's context, which it does beside the loading, and whatever else the host's thread runs meanwhile); Ghost's own ms: the rest; CPU ms: the whole host process's; host MB: the extension host's resident memory then, before any use. Goal: median wall < 200 ms.`,
      rows: [
        ...activations.map((a, index) => row(String(index + 1), a)),
        row("median", { wallMs: of("wallMs"), cpuMs: of("cpuMs"), loadingMs: of("loadingMs"), vscodeMs: of("vscodeMs"), activateMs: of("activateMs"), hostMB: of("hostMB") }, median(activations.map(own))),
      ],
    },
    {
      name: "activation: first use",
      note: "The last window's first keystrokes in main.ts: the shell loads the rest of Ghost (dist/ghost-core.js) and starts it, then the model worker loads the model. Memory read once the model is ready.",
      rows: [
        {
          "workers before": firstUse.workersBefore,
          "load + start ms": firstUse.wallMs,
          "CPU ms": firstUse.cpuMs,
          "loading code ms": firstUse.loadingMs,
          "startGhost() ms": firstUse.startMs,
          "host MB before": activations.at(-1)!.hostMB,
          "host MB after": firstUse.hostMB,
          "worker MB": firstUse.workerMB,
        },
      ],
    },
  ];
}
