// `ghost agent log` and `ghost agent revert` end to end, from source in child processes, on tasks a scripted model
// ran at auto-edit: the log lists tasks and steps with their checkpoints and files; a revert undoes one step or a
// whole task, keeps the user's later edits, and asks first (refusing without a terminal) when it would rewrite a
// file changed since Ghost's step.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { appendFile, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { finish, makeWorld, reply, type World } from "../agent/loop/harness";

const repo = resolve(__dirname, "..", "..");
const notes = "one\ntwo\nthree\nfour\nfive\nsix\nseven\n";
const script = [
  reply("edit_file", { path: "notes.txt", search: "two", replace: "TWO" }),
  reply("create_file", { path: "new.txt", content: "new\n" }),
  reply("read_file", { path: "notes.txt" }),
  reply("edit_file", { path: "notes.txt", search: "six", replace: "SIX" }),
  finish,
];

function ghost(world: World, ...args: string[]) {
  const result = spawnSync(process.execPath, ["--import", "tsx", join(repo, "cli", "ghost.ts"), ...args, "--root", world.root], {
    cwd: repo,
    encoding: "utf8",
    input: "", // no terminal: whatever would be asked is refused
    env: { ...process.env, GHOST_HOME: join(world.base, "ghost-home") },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function ranTask(): Promise<{ world: World; taskId: string }> {
  const world = await makeWorld({ "notes.txt": notes });
  await writeFile(join(world.base, "script.json"), JSON.stringify(script));
  const ran = ghost(world, "agent", "edit the notes", "--autonomy", "auto-edit", "--trust", "--model", `scripted:${join(world.base, "script.json")}`, "--json");
  assert.equal(ran.code, 0, ran.stderr);
  assert.equal(await readFile(join(world.root, "notes.txt"), "utf8"), "one\nTWO\nthree\nfour\nfive\nSIX\nseven\n");
  const log = ghost(world, "agent", "log", "--json");
  assert.equal(log.code, 0, log.stderr);
  return { world, taskId: JSON.parse(log.stdout).tasks[0].id };
}

test("agent log lists the task and its steps, each change with its checkpoint and files; a line cut short is reported", async () => {
  const { world, taskId } = await ranTask();
  const { code, stdout } = ghost(world, "agent", "log");
  assert.equal(code, 0);
  const lines = stdout.replace(/checkpoint [\w-]+/g, "checkpoint ID").split("\n");
  assert.match(lines[0]!, new RegExp(`^task ${taskId}  \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z  level 3  "edit the notes"$`));
  assert.deepEqual(lines.slice(1), [
    "  finished: done",
    `  ${taskId}:1  edit_file notes.txt  → Edited notes.txt.`,
    "      checkpoint ID: notes.txt",
    `  ${taskId}:2  create_file new.txt  → Created new.txt.`,
    "      checkpoint ID: new.txt",
    `  ${taskId}:3  read_file notes.txt  → notes.txt (7 lines):`,
    `  ${taskId}:4  edit_file notes.txt  → Edited notes.txt.`,
    "      checkpoint ID: notes.txt",
    `  ${taskId}:5  finish done  → done`,
    "",
  ]);
  // A line cut short (a crash mid-write) is reported with its number; the rest of the log still reads.
  await appendFile(JSON.parse(ghost(world, "agent", "log", "--json").stdout).auditLog, '{"time": "2026-');
  const cut = ghost(world, "agent", "log", "--json");
  assert.equal(cut.code, 0);
  assert.match(cut.stderr, /audit\.jsonl line \d+: not JSON \(/);
  assert.equal(JSON.parse(cut.stdout).tasks.length, 1);
  const unknown = ghost(world, "agent", "revert", "nope");
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /ghost: no task nope in the audit log/);
});

test("agent revert TASK:STEP undoes that step alone, the log records it, and the rest of the task is reverted without it", async () => {
  const { world, taskId } = await ranTask();
  const reverted = ghost(world, "agent", "revert", `${taskId}:2`, "--json");
  assert.equal(reverted.code, 0, reverted.stderr);
  assert.equal(JSON.parse(reverted.stdout).outcome, "reverted");
  assert.equal(existsSync(join(world.root, "new.txt")), false);
  assert.equal(await readFile(join(world.root, "notes.txt"), "utf8"), "one\nTWO\nthree\nfour\nfive\nSIX\nseven\n");
  assert.match(ghost(world, "agent", "log").stdout, /\n {2}reverted at \S+: [\w-]+\n?$/);
  const twice = ghost(world, "agent", "revert", `${taskId}:2`);
  assert.equal(twice.code, 1);
  assert.match(twice.stderr, new RegExp(`ghost: step ${taskId}:2 was reverted already`));
  // The rest of the task: steps 1 and 4, not step 2 again.
  const rest = ghost(world, "agent", "revert", "--json");
  assert.equal(rest.code, 0, rest.stderr);
  assert.equal(JSON.parse(rest.stdout).checkpoints.length, 2);
  assert.equal(await readFile(join(world.root, "notes.txt"), "utf8"), notes);
  const readOnly = ghost(world, "agent", "revert", `${taskId}:3`);
  assert.equal(readOnly.code, 1);
  assert.match(readOnly.stderr, new RegExp(`ghost: step ${taskId}:3 \\(read_file\\) changed nothing: there is nothing to revert`));
});

test("a revert that would rewrite a file changed since is refused without a terminal; --yes reverts and keeps the user's edit", async () => {
  const { world, taskId } = await ranTask();
  await writeFile(join(world.root, "notes.txt"), "one\nTWO\nthree\n4\nfive\nSIX\nseven\n"); // the user's own edit
  const refused = ghost(world, "agent", "revert");
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /These files changed since Ghost's step\. .*\n {2}notes\.txt\nghost: there is no terminal to ask, so nothing was reverted \(pass --yes to revert anyway\)/);
  assert.equal(existsSync(join(world.root, "new.txt")), true, "nothing was reverted");
  const reverted = ghost(world, "agent", "revert", taskId, "--yes");
  assert.equal(reverted.code, 0, reverted.stderr);
  assert.match(reverted.stdout, /^notes\.txt: reverted\nnew\.txt: reverted\nnotes\.txt: reverted\nreverted; undo checkpoints: /);
  assert.equal(await readFile(join(world.root, "notes.txt"), "utf8"), "one\ntwo\nthree\n4\nfive\nsix\nseven\n");
  assert.equal(existsSync(join(world.root, "new.txt")), false);
  const again = ghost(world, "agent", "revert");
  assert.equal(again.code, 1);
  assert.match(again.stderr, /ghost: no task with changes left to revert/);
});

