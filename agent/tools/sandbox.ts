// The command sandbox: bubblewrap on Linux, as a containment boundary. Every namespace is new (user, pid, ipc,
// uts, cgroup, and the network unless the user granted it for this command), every capability is dropped (also
// when Ghost runs as root), the process dies with Ghost and gets a new session, the environment is cleared down to
// an allow-list. The host is seen read-only and only in part: system and toolchain folders and a few files of
// /etc; $HOME, /root, /run, /var, /tmp and other places that hold sockets or secrets are empty. The workspace is
// writable except its protected paths (protected-paths.ts), which are bound read-only when they exist and masked
// by an empty read-only folder when they do not (protected-scan.ts checks the workspace afterwards). Whether bwrap
// can start here is probed once. Knows nothing about the policy.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { delimiter, dirname, isAbsolute, join } from "node:path";

export type SandboxStatus = { available: true } | { available: false; reason: string };

export interface SandboxPlan {
  workspace: string;
  network: boolean;
  /** Absolute paths of existing protected entries: bound read-only onto themselves. */
  readOnly: readonly string[];
  /** Absolute paths of protected folders that do not exist: an empty read-only folder is mounted there (its mount
   *  point appears on the host while the command runs; the caller removes it afterwards). */
  masks: readonly string[];
}

/** The bwrap program: GHOST_BWRAP may name another one (a test sets a missing one to see Ghost without a sandbox;
 *  that can only take the sandbox away, which makes every command ask). */
export const bwrapProgram = () => process.env.GHOST_BWRAP || "bwrap";

const systemFolders = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/opt", "/nix/store", "/snap/bin"];
/** The few host files a toolchain needs from /etc: the loader's cache, alternatives, time zone, TLS roots. No
 *  passwd, shadow, ssh, sudoers or anything with a secret. */
const etcEntries = ["ld.so.cache", "ld.so.conf", "ld.so.conf.d", "alternatives", "localtime", "timezone", "ssl", "ca-certificates", "ca-certificates.conf", "mime.types", "os-release", "debian_version", "nsswitch.conf", "gitconfig"];
const networkEtc = ["resolv.conf", "hosts", "host.conf", "gai.conf", "services", "protocols"];
/** Variables a command may keep; everything else (tokens, agent sockets, GIT_*, LD_*) is dropped. */
const keptEnvironment = ["PATH", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "LC_MESSAGES", "TERM", "TZ", "NO_COLOR", "FORCE_COLOR", "CI"];
export const sandboxHome = "/home/sandbox";

export function sandboxArgv(plan: SandboxPlan, argv: readonly string[]): string[] {
  return [bwrapProgram(), ...namespaces(plan.network), ...hostView(plan.network), ...workspaceView(plan), ...environment(), "--chdir", plan.workspace, "--", ...argv];
}

function namespaces(network: boolean): string[] {
  return ["--unshare-user", "--unshare-ipc", "--unshare-pid", "--unshare-uts", "--unshare-cgroup-try", ...(network ? [] : ["--unshare-net"]), "--cap-drop", "ALL", "--die-with-parent", "--new-session"];
}

function hostView(network: boolean): string[] {
  const binds = [...systemFolders, ...toolchainFolders()].flatMap((folder) => ["--ro-bind-try", folder, folder]);
  const etc = [...etcEntries, ...(network ? networkEtc : [])].flatMap((name) => ["--ro-bind-try", `/etc/${name}`, `/etc/${name}`]);
  return [...binds, ...etc, "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp", "--tmpfs", "/var/tmp", "--dir", sandboxHome];
}

const toolchains = new Map<string, string[]>();

/** PATH folders outside the system ones and outside $HOME (a toolchain under /usr/local is covered by /usr; one in
 *  ~/.cargo would bring ~/.cargo/credentials with it, so it stays out), plus the folder of the node running Ghost.
 *  Found once per PATH: every command needs them, and the look-ups are synchronous. */
function toolchainFolders(): string[] {
  const path = process.env.PATH ?? "";
  let found = toolchains.get(path);
  if (!found) toolchains.set(path, (found = findToolchainFolders(path)));
  return found;
}

function findToolchainFolders(path: string): string[] {
  const home = homedir();
  const entries = path.split(delimiter).filter((entry) => isAbsolute(entry) && existsSync(entry));
  const folders = [...entries, dirname(process.execPath)]
    .map((entry) => realpathSync(entry))
    .filter((entry) => !systemFolders.some((folder) => entry === folder || entry.startsWith(`${folder}/`)))
    .filter((entry) => entry !== home && !entry.startsWith(`${home}/`) && !entry.startsWith("/tmp/") && !entry.startsWith("/run/") && !entry.startsWith("/var/"))
    .map((entry) => (entry.endsWith("/bin") ? dirname(entry) : entry));
  return [...new Set(folders)].filter((folder) => folder !== "/");
}

function workspaceView(plan: SandboxPlan): string[] {
  const readOnly = plan.readOnly.flatMap((path) => ["--ro-bind", path, path]);
  const masks = plan.masks.flatMap((path) => ["--tmpfs", path, "--remount-ro", path]);
  return ["--bind", plan.workspace, plan.workspace, ...readOnly, ...masks];
}

/** What bwrap itself is started with: its init process (pid 1 inside) keeps the environment it was given, and
 *  /proc/1/environ is readable from the sandbox, so it gets only what the command may see anyway. */
export function sandboxSpawnEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(keptEnvironment.flatMap((name) => (process.env[name] === undefined ? [] : [[name, process.env[name]]])));
}

function environment(): string[] {
  const kept = Object.entries(sandboxSpawnEnvironment()).flatMap(([name, value]) => ["--setenv", name, value!]);
  return ["--clearenv", ...kept, "--setenv", "HOME", sandboxHome, "--setenv", "TMPDIR", "/tmp", "--setenv", "USER", "sandbox"];
}

let probed: Promise<SandboxStatus> | null = null;

/** Probed once per process, by running `true` in a sandbox over an empty folder: installing bwrap while Ghost runs
 *  needs a restart of Ghost to be seen. */
export function probeSandbox(): Promise<SandboxStatus> {
  if (process.platform !== "linux") return Promise.resolve({ available: false, reason: `no sandbox on ${process.platform} (bubblewrap is Linux only)` });
  probed ??= new Promise((resolve) => {
    const folder = mkdtempSync(join(tmpdir(), "ghost-probe-"));
    const argv = sandboxArgv({ workspace: folder, network: false, readOnly: [], masks: [] }, ["true"]);
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    const done = (status: SandboxStatus) => (rmSync(folder, { recursive: true, force: true }), resolve(status));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", (error) => done({ available: false, reason: `bwrap is not available (${(error as NodeJS.ErrnoException).code ?? error.message}); install bubblewrap` }));
    child.on("close", (code) => done(code === 0 ? { available: true } : { available: false, reason: `bwrap can not start here: ${stderr.trim() || `exit code ${code}`}` }));
  });
  return probed;
}
