// The loop's control flow, on a scripted model: named outcomes, limits on steps, tokens, wall time and malformed
// replies, a stop that lands within one command, proposals at suggest, conventions flags, the audit log; then the
// whole loop on the shipped test model, which mostly writes nonsense and so must end at a limit, cleanly.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { defaultRules } from "../../../agent/autonomy";
import { jsonlAudit } from "../../../agent/loop/audit-log";
import { runAgent } from "../../../agent/loop/loop";
import { ScriptedModel } from "../../../agent/loop/scripted-model";
import { NodeWorkspace } from "../../../agent/workspace";
import { LocalEngine } from "../../../model/engine";
import { tinyCoder } from "../../helpers/models";
import { finish, makeWorld, reply, runScript } from "./harness";

const list = reply("list_files", {});

test("finish ends the task with its summary; every step's observation is in the history", async () => {
  const world = await makeWorld();
  const { result } = await runScript(world, 2, [reply("read_file", { path: "src/a.ts" }), reply("finish", { summary: "read it" })]);
  assert.equal(result.kind, "finished");
  assert.equal(result.kind === "finished" && result.summary, "read it");
  assert.equal(result.steps, 2);
  assert.deepEqual(result.messages.map((message) => message.role), ["system", "user", "assistant", "user", "assistant"]);
  assert.equal(result.messages[3]!.content, "Observation:\nsrc/a.ts (1 lines):\n    1  export const a = 1;");
});

test("the step limit", async () => {
  const { result } = await runScript(await makeWorld(), 2, [list, list, list, list], { limits: { steps: 3 } });
  assert.deepEqual([result.kind, result.kind === "limit-exceeded" && result.limit, result.kind !== "finished" && result.message], ["limit-exceeded", "steps", "the task used all 3 steps"]);
});

test("malformed replies come back as format errors, a valid call resets the count, and too many in a row end the task", async () => {
  const { result, model } = await runScript(await makeWorld(), 2, ["hmm", "```json\n{\"tool\": \"nope\"}\n```", list, "a", "b", "c"], { limits: { formatErrors: 3 } });
  assert.equal(result.kind, "limit-exceeded");
  assert.equal(result.kind === "limit-exceeded" && result.message, "3 replies in a row held no valid tool call (the last: the reply holds no tool call)");
  assert.match(model.prompts[1]!, /Format error: the reply holds no tool call\.\nReply with exactly one tool call/);
  assert.match(model.prompts[2]!, /Format error: there is no tool "nope"/);
  assert.equal(result.steps, 6);
});

test("the token limit counts what the model generated over the task", async () => {
  const wordy = `${"word ".repeat(30)}\n${list}`;
  const { result } = await runScript(await makeWorld(), 2, [wordy, wordy, wordy], { limits: { tokens: 50 } });
  assert.equal(result.kind === "limit-exceeded" && result.limit, "tokens");
});

test("the wall-time limit caps a command's timeout, then ends the task", async () => {
  const started = Date.now();
  const { result } = await runScript(await makeWorld(), 3, [reply("run_command", { command: "sleep 30" }), list], { limits: { wallMs: 800 }, rules: { allow: [["sleep", "30"]] } });
  assert.equal(result.kind === "limit-exceeded" && result.limit, "time");
  assert.match(result.messages.at(-1)!.content, /killed after the \d+ s timeout/);
  assert.ok(Date.now() - started < 5000);
});

test("a stop during a command ends it at once, and the task ends stopped", async () => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 300);
  const started = Date.now();
  const { result } = await runScript(await makeWorld(), 3, [reply("run_command", { command: "sleep 30" }), list], { rules: { allow: [["sleep", "30"]] }, signal: controller.signal });
  assert.equal(result.kind, "stopped");
  assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
});

test("suggest: a change is a proposal; nothing is written unless the user accepts it, and commands are denied", async () => {
  const world = await makeWorld();
  const edit = (to: string) => reply("edit_file", { path: "src/a.ts", search: "1", replace: to });
  const { approvals, result } = await runScript(world, 1, [edit("2"), edit("3"), reply("run_command", { command: "ls" }), finish], {
    approve: (request) => (request.kind === "change" && request.diff.includes("+export const a = 3;") ? "approve" : "reject"),
  });
  assert.deepEqual(approvals.map((request) => request.kind === "change" && request.proposal), [true, true]);
  assert.equal(await readFile(join(world.root, "src/a.ts"), "utf8"), "export const a = 3;\n");
  const observations = result.messages.filter((message) => message.content.startsWith("Observation:")).map((message) => message.content.split("\n")[1]);
  assert.deepEqual(observations, [
    "The user rejected this (suggest (level 1): a proposal only, nothing is written until you accept it). Nothing was done.",
    "Edited src/a.ts.",
    "Denied: suggest (level 1) runs no commands. Nothing was done.",
  ]);
});

test("conventions flags: shown in review at every level, given back to the model at the auto levels", async () => {
  const checkChange = () => [{ message: "uses var, which this repository never does", path: "src/a.ts", line: 1 }];
  const edit = reply("edit_file", { path: "src/a.ts", search: "export const a = 1;", replace: "export var a = 1;" });
  for (const level of [2, 3] as const) {
    const { approvals, result } = await runScript(await makeWorld(), level, [edit, finish], { checkChange, approve: () => "approve" });
    const observation = result.messages.at(-2)!.content;
    assert.deepEqual(approvals.map((request) => request.kind === "change" && request.flags.map((flag) => flag.message)), level === 2 ? [["uses var, which this repository never does"]] : []);
    assert.equal(observation.includes("Conventions this change breaks (fix them):\n- src/a.ts:1: uses var"), level === 3);
  }
});

test("the audit log has every call, decision, approval and result as JSON lines in Ghost's storage", async () => {
  const world = await makeWorld();
  const workspace = await NodeWorkspace.open(world.root, world.storage);
  const file = join(world.storage, "audit.jsonl");
  const model = new ScriptedModel([reply("create_file", { path: "b.ts", content: "x\n" }), reply("run_command", { command: "rm -rf ~" }), finish]);
  await runAgent("t", { model, workspace, audit: jsonlAudit(file, "task-1"), approve: async (request) => (request.kind === "change" ? "approve" : "reject") }, { level: 2, rules: defaultRules });
  const lines = (await readFile(file, "utf8")).trim().split("\n").map((line) => JSON.parse(line));
  assert.ok(lines.every((line) => line.taskId === "task-1" && typeof line.time === "string"));
  assert.deepEqual(lines.filter((line) => line.event === "result").map((line) => line.summary), ["Created b.ts.", "The user rejected this (shell syntax (~) needs `sh -c`; always asked). Nothing was done.", "done"]);
  assert.deepEqual(lines.map((line) => [line.event, line.verdict ?? line.answer ?? line.tool ?? line.outcome ?? ""].join(" ").trim()), [
    "task",
    "call create_file",
    "decision ask",
    "approval approve",
    "result",
    "call run_command",
    "decision ask",
    "approval reject",
    "result",
    "call finish",
    "result",
    "end finished",
  ]);
});

test("the whole loop on the shipped test model runs and ends at a limit with a clear message", { skip: !existsSync(tinyCoder) && "the test model is missing" }, async () => {
  const world = await makeWorld();
  const workspace = await NodeWorkspace.open(world.root, world.storage);
  const model = await LocalEngine.load(tinyCoder, { variant: "fp32", threads: 1 });
  try {
    const result = await runAgent(
      "Add a function that doubles a number to src/a.ts",
      { model, workspace, audit: async () => {}, approve: async () => "reject" },
      { level: 2, rules: defaultRules, limits: { steps: 4, stepTokens: 64, formatErrors: 3 } },
    );
    assert.equal(result.kind, "limit-exceeded");
    assert.ok(result.kind === "limit-exceeded" && ["steps", "format-errors", "tokens", "context"].includes(result.limit));
    assert.ok(result.kind === "limit-exceeded" && result.message.length > 10);
    assert.ok(result.tokens > 0);
    assert.equal(await readFile(join(world.root, "src/a.ts"), "utf8"), "export const a = 1;\n");
  } finally {
    await model.dispose();
  }
});

test("the context limit: a conversation that leaves no room for a reply ends the task", async () => {
  const world = await makeWorld({ "big.txt": "word ".repeat(300) });
  const workspace = await NodeWorkspace.open(world.root, world.storage);
  const model = new ScriptedModel([reply("read_file", { path: "big.txt" }), list], { contextLength: 400 });
  const result = await runAgent("t", { model, workspace, audit: async () => {}, approve: async () => "reject" }, { level: 2, rules: defaultRules });
  assert.equal(result.kind === "limit-exceeded" && result.limit, "context");
  assert.match(result.kind === "limit-exceeded" ? result.message : "", /^the conversation \(\d+ tokens\) leaves no room for a reply in the model's context of 400$/);
});
