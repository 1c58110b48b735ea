// Commands: argv without a shell, output bounded to its head and tail, a timeout or a stop that kills the whole
// process group, and (where bwrap works) the autopilot sandbox: no network, writes only inside the workspace,
// .git read-only.
import { test } from "node:test";
import { homedir } from "node:os";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { runProcess, type CommandResult } from "../../../agent/tools/run-command";
import { probeSandbox } from "../../../agent/tools/sandbox";
import { fingerprint, finish, makeWorld, reply, runScript } from "./harness";

const run = (argv: string[], options: { timeoutMs?: number; outputLimit?: number; signal?: AbortSignal; cwd?: string } = {}) =>
  runProcess({ argv, cwd: options.cwd ?? process.cwd(), timeoutMs: options.timeoutMs ?? 10_000, outputLimit: options.outputLimit ?? 4096, signal: options.signal ?? new AbortController().signal });

const exited = (result: CommandResult) => {
  assert.equal(result.kind, "exited");
  return result as Extract<CommandResult, { kind: "exited" }>;
};

/** Running, not a zombie: a killed grandchild is reparented, and a container's pid 1 may never reap it. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, "utf8") : "";
  return !/^\d+ \(.*\) Z/.test(stat);
}

test("argv runs without a shell: shell syntax is just text", async () => {
  const result = exited(await run(["node", "-e", "console.log(process.argv.slice(1).join(','))", "a && b", "$(id)", "*"]));
  assert.equal(result.output, "a && b,$(id),*\n");
  assert.equal(result.code, 0);
});

test("output keeps its head and tail within the bound, and says how much was dropped", async () => {
  const result = exited(await run(["node", "-e", "process.stdout.write('a'.repeat(5000) + 'b'.repeat(5000))"], { outputLimit: 100 }));
  assert.equal(result.output, `${"a".repeat(50)}\n[… 9900 bytes of output omitted …]\n${"b".repeat(50)}`);
});

test("a timeout kills the command and everything it started", async () => {
  const world = await makeWorld();
  const script = "const c = require('child_process').spawn('sleep', ['30']); require('fs').writeFileSync('pid', String(c.pid)); setInterval(() => {}, 1000)";
  const started = Date.now();
  const result = exited(await run(["node", "-e", script], { timeoutMs: 700, cwd: world.root }));
  assert.equal(result.timedOut, true);
  assert.ok(Date.now() - started < 5000);
  const grandchild = Number(await readFile(join(world.root, "pid"), "utf8"));
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(alive(grandchild), false);
});

test("a stop kills the command at once", async () => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 200);
  const started = Date.now();
  const result = exited(await run(["sleep", "30"], { signal: controller.signal }));
  assert.equal(result.stopped, true);
  assert.ok(Date.now() - started < 3000);
});

test("a command that does not exist is a result, not a crash", async () => {
  const result = await run(["ghost-no-such-command"]);
  assert.deepEqual(result, { kind: "failed-to-start", reason: "ghost-no-such-command: spawn ghost-no-such-command ENOENT" });
});

test("autopilot without a working sandbox asks every command, and says so", async () => {
  const world = await makeWorld();
  const { approvals, result } = await runScript(world, 4, [reply("run_command", { command: "touch made" }), finish], { sandbox: { available: false, reason: "bwrap is not available (ENOENT); install bubblewrap" } });
  assert.equal(approvals.length, 1);
  assert.equal(approvals[0]!.reason, "no sandbox (bwrap is not available (ENOENT); install bubblewrap): every command is asked");
  assert.match(result.messages.at(-2)!.content, /The user rejected this/);
});

test("autopilot runs commands in the sandbox: no network, writes only in the workspace, .git read-only, an empty home", async (context) => {
  const sandbox = await probeSandbox();
  if (!sandbox.available) return context.skip(sandbox.reason);
  const world = await makeWorld();
  const before = await fingerprint(world.outside);
  const script = [
    "const fs = require('fs'), os = require('os');",
    "const tryWrite = (p) => { try { fs.writeFileSync(p, 'x'); return 'wrote'; } catch (e) { return e.code; } };",
    "console.log(JSON.stringify({ net: Object.keys(os.networkInterfaces()).filter((n) => n !== 'lo'),",
    "  inside: tryWrite('made.txt'), outside: tryWrite('../outside/pwned'), git: tryWrite('.git/hooks-pwned'), home: tryWrite(os.homedir() + '/ghost-pwned'), homedir: os.homedir() }));",
  ].join(" ");
  const { approvals, result } = await runScript(world, 4, [reply("run_command", { command: `node -e "${script.replaceAll('"', '\\"')}"` }), finish], { sandbox: "real" });
  assert.equal(approvals.length, 0);
  const observation = result.messages.at(-2)!.content;
  assert.match(observation, /Ran in the sandbox/);
  // ENOENT: the world lives under /tmp, which the sandbox replaces with its own empty tmpfs.
  // The home the command sees is an empty one of its own: what it writes there never reaches the user's.
  assert.match(observation, /\{"net":\[\],"inside":"wrote","outside":"(EROFS|ENOENT)","git":"EROFS","home":"wrote","homedir":"\/home\/sandbox"\}/);
  assert.equal(await readFile(join(world.root, "made.txt"), "utf8"), "x");
  assert.equal(existsSync(join(homedir(), "ghost-pwned")), false);
  assert.equal(await fingerprint(world.outside), before);
});
