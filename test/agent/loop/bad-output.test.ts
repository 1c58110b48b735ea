// Bad model output that used to crash or hang the whole task, played through the loop: each comes back as an
// observation (or a format error) the model reads, and the task goes on to finish. The audit log keeps malformed
// replies, and a crash still writes the task's end.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { defaultRules } from "../../../agent/autonomy";
import { jsonlAudit, memoryAudit, type Audit } from "../../../agent/loop/audit-log";
import { runAgent } from "../../../agent/loop/loop";
import { ScriptedModel } from "../../../agent/loop/scripted-model";
import { runProcess } from "../../../agent/tools/run-command";
import { NodeWorkspace } from "../../../agent/workspace";
import { finish, makeWorld, reply, runScript } from "./harness";

const observed = (content: string) => content.replace(/^Observation:\n/, "");

test("paths the file system refuses, the workspace folder as a file, a pipe and a huge file: each an observation", async () => {
  const long = "a".repeat(300);
  const world = await makeWorld({ "big.log": "x\n".repeat(4_500_000) });
  execFileSync("mkfifo", [join(world.root, "pipe")]);
  const calls = [
    reply("read_file", { path: "./" }),
    reply("create_file", { path: "./", content: "x" }),
    reply("delete_file", { path: "." }),
    reply("read_file", { path: long }),
    reply("create_file", { path: `src/${long}`, content: "x" }),
    reply("list_files", { path: long }),
    reply("search", { query: "x", path: long }),
    reply("read_file", { path: "pipe" }),
    reply("read_file", { path: "big.log" }),
  ];
  const { result } = await runScript(world, 3, [...calls, finish], { approve: () => "approve" });
  assert.equal(result.kind, "finished");
  const observations = result.messages.filter((message) => message.role === "user").slice(1).map((message) => observed(message.content));
  const tooLong = (tool: string) => new RegExp(`^${tool} failed: ENAMETOOLONG: name too long, \\w+ '${world.root}/(src/)?a{300}'$`);
  assert.deepEqual(observations.slice(0, 3), [
    "./ is the workspace folder, not a file; list_files shows what it holds",
    "create_file ./: that is the workspace folder, not a file. Nothing was written.",
    "delete_file .: that is the workspace folder, not a file. Nothing was written.",
  ]);
  assert.match(observations[3]!, tooLong("read_file"));
  assert.match(observations[4]!, tooLong("create_file"));
  assert.match(observations[5]!, tooLong("list_files"));
  assert.match(observations[6]!, tooLong("search"));
  assert.deepEqual(observations.slice(7), ["pipe: can not be read (not a regular file)", "big.log: can not be read (9000000 bytes, over the 8388608 bytes Ghost reads)"]);
  assert.equal(existsSync(join(world.root, "src", long.slice(0, 10))), false);
});

test("a 200 KB command is a format error the model reads, and the audit log keeps the malformed reply", async () => {
  const huge = reply("run_command", { command: `echo ${"x".repeat(200_000)}` });
  const { result, audit } = await runScript(await makeWorld(), 4, [huge, finish], { approve: () => "approve" });
  assert.equal(result.kind, "finished");
  assert.match(result.messages[3]!.content, /^Format error: bad arguments for run_command .*: ✖ Too big: expected string to have <=32768 characters\n  → at command\./);
  const logged = audit.entries.find((entry) => entry.event === "format-error");
  assert.ok(logged && logged.event === "format-error");
  assert.equal(logged.step, 1);
  assert.match(logged.error, /Too big/);
  assert.equal(logged.reply.length, 4000 + "… (196058 more characters)".length);
});

test("a command line the kernel refuses (E2BIG, a NUL byte) is a command that could not start, not a crash", async () => {
  const signal = new AbortController().signal;
  const run = (argv: string[]) => runProcess({ argv, cwd: process.cwd(), timeoutMs: 5000, outputLimit: 1024, signal });
  assert.deepEqual(await run(["echo", "x".repeat(200_000)]), { kind: "failed-to-start", reason: "the command line is too long for the system (200006 bytes) (E2BIG)" });
  const nul = await run(["echo", "a\u0000b"]);
  assert.equal(nul.kind, "failed-to-start");
  assert.match(nul.kind === "failed-to-start" ? nul.reason : "", /must be a string without null bytes.*\(ERR_INVALID_ARG_VALUE\)$/);
});

test("a catastrophically backtracking search pattern is stopped in its worker, and the task goes on", async () => {
  const world = await makeWorld({ "src/b.txt": "baa\n", "src/long.txt": `${"a".repeat(34)}!\n`, "src/ok.ts": "const aaa = 1;\n" });
  const started = Date.now();
  const { result } = await runScript(world, 2, [reply("search", { query: "(a+)+$" }), reply("search", { query: "aaa =" }), finish]);
  assert.equal(result.kind, "finished");
  assert.ok(Date.now() - started < 10_000, `${Date.now() - started} ms`);
  const [stuck, next] = result.messages.filter((message) => message.content.startsWith("Observation:")).map((message) => observed(message.content));
  // The file before the stuck one was searched; its hits are kept.
  assert.equal(stuck, "src/b.txt:1: baa\n(the search stopped early: no progress for 2 s: the pattern backtracks too much (nested repeats such as (a+)+); simplify it)");
  assert.equal(next, "src/ok.ts:1: const aaa = 1;");
});

test("an error that escapes a step ends the task in the audit log as crashed, then reaches the caller", async () => {
  const world = await makeWorld();
  const workspace = await NodeWorkspace.open(world.root, world.storage);
  const audit = memoryAudit();
  const model = new ScriptedModel([reply("list_files", {})]); // asked for a second reply, the script throws
  await assert.rejects(
    runAgent("the task", { model, workspace, audit, approve: async () => "reject" }, { level: 2, rules: defaultRules }),
    /the script has only 1 outputs and the agent asked for more/,
  );
  assert.deepEqual(audit.entries.at(-1), { event: "end", outcome: "crashed", message: "the script has only 1 outputs and the agent asked for more" });
});

test("an audit log that can not be written stops the task loudly, and nothing runs unlogged", async () => {
  const world = await makeWorld();
  const workspace = await NodeWorkspace.open(world.root, world.storage);
  const file = join(world.storage, "audit.jsonl");
  const logged = jsonlAudit(file, "t1");
  // The log works for the task's start; when the policy's decision is to be logged, it has become a folder.
  const audit: Audit = async (entry) => {
    if (entry.event === "decision") await rm(file).then(() => mkdir(file));
    return logged(entry);
  };
  const model = new ScriptedModel([reply("create_file", { path: "new.ts", content: "x\n" }), finish]);
  await assert.rejects(
    runAgent("the task", { model, workspace, audit, approve: async () => "approve" }, { level: 3, rules: defaultRules }),
    (error: NodeJS.ErrnoException) => /^the audit log .*audit\.jsonl could not be written: EISDIR/.test(error.message) && error.code === undefined,
  );
  assert.equal(existsSync(join(world.root, "new.ts")), false);
});
