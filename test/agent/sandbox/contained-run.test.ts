// runContained on real processes and real folders: a command run on the host (the user's explicit choice) loses
// the processes it left outside its process group; a sandboxed one can not plant a protected path, leaves no mount
// point behind, and gets the allow-listed environment only, pid 1's included. Judged from the disk and /proc.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runContained, type Isolation } from "../../../agent/tools/contained-run";
import { probeSandbox } from "../../../agent/tools/sandbox";
import { processesWith } from "../escapes/world";

async function folder(): Promise<{ root: string; quarantine: string; done: () => Promise<void> }> {
  const base = await mkdtemp(join(tmpdir(), "ghost-contained-"));
  await mkdir(join(base, "workspace", "sub", ".git"), { recursive: true });
  return { root: join(base, "workspace"), quarantine: join(base, "quarantine"), done: () => rm(base, { recursive: true, force: true }) };
}

const run = (root: string, quarantine: string, argv: string[], isolation: Isolation) =>
  runContained({ argv, isolation, root, quarantine, timeoutMs: 10_000, outputLimit: 65_536, signal: new AbortController().signal });

test("a host command's setsid child is killed when the command ends, and never writes", async () => {
  const { root, quarantine, done } = await folder();
  const canary = `canary-${Date.now()}`;
  const result = await run(root, quarantine, ["setsid", "node", "-e", `setTimeout(() => require("fs").writeFileSync("late.txt", "x"), 800); setInterval(() => {}, 1000)`, canary], "host");
  assert.equal(result.kind, "exited");
  assert.deepEqual(processesWith(canary), []);
  await new Promise((resolve) => setTimeout(resolve, 1200));
  assert.equal(existsSync(join(root, "late.txt")), false);
  await done();
});

test("a host command's changes inside existing protected folders are reported, not undone", async () => {
  const { root, quarantine, done } = await folder();
  await mkdir(join(root, ".vscode"));
  await writeFile(join(root, ".vscode", "settings.json"), "{}\n");
  const result = await run(root, quarantine, ["sh", "-c", "echo '{}' > .vscode/tasks.json; echo '[core]' >> sub/.git/config; echo ok > plain.txt"], "host");
  assert.equal(result.kind, "exited");
  if (result.kind !== "exited") return;
  assert.deepEqual(result.violations.map((violation) => `${violation.path} ${violation.undone}: ${violation.what}`), [
    ".vscode false: changed what is inside .vscode: the editor's settings, tasks, launch configurations, MCP servers and extension list",
    "sub/.git false: changed what is inside sub/.git: a git folder (config, hooks)",
  ]);
  assert.equal(await readFile(join(root, ".vscode", "tasks.json"), "utf8"), "{}\n");
  await done();
});

/** false when the sandbox works here, else why the test is skipped. */
async function needsSandbox(): Promise<false | string> {
  const sandbox = await probeSandbox();
  return sandbox.available ? false : `no sandbox here: ${sandbox.reason}`;
}

test("in the sandbox, protected paths stay as they were: planted ones are quarantined, no mount point is left", async (t) => {
  const skip = await needsSandbox();
  if (skip) return t.skip(skip);
  const { root, quarantine, done } = await folder();
  const result = await run(root, quarantine, ["sh", "-c", "echo x > sub/.git/config; echo x > .vscode/tasks.json; mkdir -p deep/.git && echo x > deep/.git/config; echo x > a.code-workspace; echo ok > plain.txt"], "sandbox");
  assert.equal(result.kind, "exited");
  if (result.kind !== "exited") return;
  assert.match(result.output, /sub\/\.git\/config: Read-only file system/);
  assert.match(result.output, /\.vscode\/tasks\.json: Read-only file system/);
  assert.deepEqual(result.violations.map((violation) => `${violation.path} ${violation.undone}`), ["a.code-workspace true", "deep/.git true"]);
  assert.deepEqual((await readdir(root)).sort(), ["deep", "plain.txt", "sub"]);
  assert.deepEqual(await readdir(join(root, "sub", ".git")), []);
  const [moved] = await readdir(quarantine);
  assert.equal(await readFile(join(quarantine, moved!, "deep", ".git", "config"), "utf8"), "x\n");
  await done();
});

test("in the sandbox, the command sees the allow-listed environment only, pid 1 included, and no capabilities", async (t) => {
  const skip = await needsSandbox();
  if (skip) return t.skip(skip);
  const { root, quarantine, done } = await folder();
  process.env.GHOST_TEST_SECRET_TOKEN = "s3cr3t-token";
  try {
    const result = await run(root, quarantine, ["sh", "-c", "env; cat /proc/1/environ | tr '\\0' '\\n'; grep CapEff /proc/self/status; ls -A ~ /run /var/run /root 2>&1"], "sandbox");
    assert.equal(result.kind, "exited");
    if (result.kind !== "exited") return;
    assert.doesNotMatch(result.output, /s3cr3t-token/);
    assert.match(result.output, /^HOME=\/home\/sandbox$/m);
    assert.match(result.output, /^CapEff:\s+0+$/m);
    assert.match(result.output, /\/run': No such file or directory/);
  } finally {
    delete process.env.GHOST_TEST_SECRET_TOKEN;
    await done();
  }
});
