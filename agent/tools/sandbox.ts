// The autopilot sandbox: bubblewrap on Linux. The whole file system read-only, the workspace writable (except its
// .git, .ghost, .vscode and .husky folders, which stay read-only: a command must not plant a git hook or raise
// settings),
// a private /tmp, no network, its own pid namespace and session. Whether bwrap is installed and can start here
// (it needs user namespaces) is probed once, by running `true` inside it. Knows nothing about the policy.
import { spawn } from "node:child_process";

export type SandboxStatus = { available: true } | { available: false; reason: string };

export function sandboxArgv(workspace: string, argv: readonly string[]): string[] {
  const readOnly = [".git", ".ghost", ".vscode", ".husky"].flatMap((name) => ["--ro-bind-try", `${workspace}/${name}`, `${workspace}/${name}`]);
  return [
    "bwrap",
    ...["--die-with-parent", "--new-session", "--unshare-net", "--unshare-pid", "--unshare-ipc"],
    ...["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"],
    ...["--bind", workspace, workspace, ...readOnly, "--chdir", workspace],
    "--",
    ...argv,
  ];
}

let probed: Promise<SandboxStatus> | null = null;

/** Probed once per process: installing bwrap while Ghost runs needs a restart of Ghost to be seen. */
export function probeSandbox(): Promise<SandboxStatus> {
  if (process.platform !== "linux") return Promise.resolve({ available: false, reason: `no sandbox on ${process.platform} (bubblewrap is Linux only)` });
  probed ??= new Promise((resolve) => {
    const child = spawn("bwrap", sandboxArgv("/", ["true"]).slice(1), { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", (error) => resolve({ available: false, reason: `bwrap is not available (${(error as NodeJS.ErrnoException).code ?? error.message}); install bubblewrap` }));
    child.on("close", (code) => resolve(code === 0 ? { available: true } : { available: false, reason: `bwrap failed to start: ${stderr.trim() || `exit code ${code}`}` }));
  });
  return probed;
}
