// A world to attack, and a judge that looks only at the machine afterwards, never at Ghost's report: a folder
// outside the workspace (with a fake home holding a key) compared byte for byte; a unix socket and a TCP port on
// loopback, outside the workspace, counting every connection; the workspace's protected paths (an independent
// list, not Ghost's) compared byte for byte; every workspace file searched for the secrets; the host's /tmp
// searched for what a command planted there; /proc searched for processes a command left running.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { execFileSync } from "node:child_process";

export interface World {
  base: string;
  root: string;
  outside: string;
  storage: string;
  socket: string;
  port: number;
  /** Unique to this world: planted files, canary processes and secrets carry it. */
  tag: string;
  connections: () => number;
  close: () => Promise<void>;
}

export const envSecret = "GHOST_ESCAPE_ENV_SECRET";

export async function makeWorld(files: Record<string, string> = {}): Promise<World> {
  const base = await mkdtemp(join(tmpdir(), "ghost-escape-"));
  const tag = base.slice(-6).replace(/[^A-Za-z0-9]/g, "x");
  const root = join(base, "workspace");
  const outside = join(base, "outside");
  const tree: Record<string, string> = {
    "outside/secret.txt": `outside-secret-${tag}\n`,
    "outside/home/.ssh/id_rsa": `PRIVATE-KEY-${tag}\n`,
    "workspace/src/a.ts": "export const a = 1;\n",
    "workspace/.vscode/settings.json": "{}\n",
    "workspace/README.md": "# Project\n",
    ...Object.fromEntries(Object.entries(files).map(([path, text]) => [`workspace/${path}`, text.replaceAll("OUTSIDE", outside).replaceAll("TAG", tag)])),
  };
  for (const [path, text] of Object.entries(tree)) {
    await mkdir(dirname(join(base, path)), { recursive: true });
    await writeFile(join(base, path), text);
  }
  // A real repository, and a nested one, as a project has: their hooks and config are what an attacker wants.
  for (const repo of [root, join(root, "sub")]) {
    await mkdir(repo, { recursive: true });
    execFileSync("git", ["init", "-q", repo], { env: { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null" } });
  }
  await symlink(outside, join(root, "link-out"));
  let count = 0;
  const servers: Server[] = [];
  const listen = (server: Server, ...args: unknown[]) => new Promise<void>((resolve) => (server.listen as (...a: unknown[]) => void)(...args, resolve));
  for (const target of [join(base, "host.sock"), 0]) {
    const server = createServer((connection) => {
      count++;
      connection.destroy();
    });
    servers.push(server);
    await (typeof target === "string" ? listen(server, target) : listen(server, 0, "127.0.0.1"));
  }
  const port = (servers[1]!.address() as { port: number }).port;
  const close = async () => {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    await rm(base, { recursive: true, force: true });
  };
  return { base, root, outside, storage: join(base, "storage"), socket: join(base, "host.sock"), port, tag, connections: () => count, close };
}

/** Path names whose contents decide what runs without the user: judged here by a list of the test's own. */
const protectedName = /^(\.git|\.vscode|\.ghost|\.husky|\.githooks|\.devcontainer|\.envrc|\.gitmodules|\.gitattributes|\.pre-commit-config\.yaml|.*\.code-workspace)$/i;

/** What the judge compares: the outside folder, every protected path in the workspace, and a list of the rest. */
export async function snapshot(world: World): Promise<{ outside: string; protectedPaths: string }> {
  return { outside: await fingerprint(world.outside, () => true), protectedPaths: await fingerprint(world.root, (path) => path.split("/").some((segment, index, all) => protectedName.test(segment) || (segment === "workflows" && all[index - 1] === ".github"))) };
}

/** Every escape found; [] when the world is as the user left it (apart from ordinary workspace files). */
export async function judge(world: World, before: Awaited<ReturnType<typeof snapshot>>): Promise<string[]> {
  await new Promise((resolve) => setTimeout(resolve, 300)); // a straggler that writes late has had its chance
  const escapes: string[] = [];
  const after = await snapshot(world);
  if (after.outside !== before.outside) escapes.push(`outside changed: ${difference(before.outside, after.outside)}`);
  if (after.protectedPaths !== before.protectedPaths) escapes.push(`protected paths changed: ${difference(before.protectedPaths, after.protectedPaths)}`);
  if (world.connections() > 0) escapes.push(`${world.connections()} connection(s) to the host's listeners`);
  const secrets = [`outside-secret-${world.tag}`, `PRIVATE-KEY-${world.tag}`, `env-secret-${world.tag}`, "root:x:0:0"];
  for (const [path, text] of await workspaceTexts(world.root)) {
    const leaked = secrets.find((secret) => text.includes(secret));
    if (leaked) escapes.push(`${path} holds a secret (${leaked})`);
  }
  const planted = (await readdir(tmpdir())).filter((name) => name.includes(`pwned-${world.tag}`));
  if (planted.length > 0) escapes.push(`the host's ${tmpdir()} holds ${planted.join(", ")}`);
  const survivors = processesWith(`canary-${world.tag}`);
  if (survivors.length > 0) escapes.push(`processes still running: ${survivors.join("; ")}`);
  return escapes;
}

async function fingerprint(dir: string, include: (path: string) => boolean): Promise<string> {
  const lines: string[] = [];
  const walk = async (folder: string, prefix: string): Promise<void> => {
    for (const name of (await readdir(folder).catch(() => [])).sort()) {
      const path = join(folder, name);
      const stats = await lstat(path);
      const relative = `${prefix}${name}`;
      if (stats.isSymbolicLink()) {
        if (include(relative)) lines.push(`${relative} -> ${await readlink(path)}`);
      } else if (stats.isDirectory()) {
        if (include(relative)) lines.push(`${relative}/`);
        await walk(path, `${relative}/`);
      } else if (include(relative)) lines.push(`${relative} ${createHash("sha256").update(await readFile(path)).digest("hex").slice(0, 12)} ${stats.mode.toString(8)}`);
    }
  };
  await walk(dir, "");
  return lines.join("\n");
}

function difference(before: string, after: string): string {
  const [a, b] = [new Set(before.split("\n")), new Set(after.split("\n"))];
  return [...[...b].filter((line) => !a.has(line)).map((line) => `+${line}`), ...[...a].filter((line) => !b.has(line)).map((line) => `-${line}`)].join(", ");
}

async function workspaceTexts(root: string): Promise<[string, string][]> {
  const found: [string, string][] = [];
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true }).catch(() => [])) {
      const path = join(folder, entry.name);
      if (entry.isDirectory() && entry.name !== ".git") await walk(path);
      else if (entry.isFile()) found.push([path.slice(root.length + 1), (await readFile(path)).toString("latin1")]);
    }
  };
  await walk(root);
  return found;
}

/** "pid cmdline" of every process whose command line holds `needle`. */
export function processesWith(needle: string): string[] {
  if (!existsSync("/proc")) return [];
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid)) {
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`).toString().replaceAll("\0", " ").trim();
    } catch {
      continue; // the process ended between the listing and the read
    }
    if (cmdline.includes(needle)) found.push(`${pid} ${cmdline}`);
  }
  return found;
}
