// The user keeps working while a command runs. Edits and saves the editor reports (workspace.userEdits, fed by
// VS Code's document events) are the user's, not the command's: reverting the command undoes exactly what the
// command did and keeps every user edit, whether the user saved before the command wrote the file or on top of
// what it wrote. Where the user's lines touch the command's, the revert names the file and leaves it as it is.
// Real files, a real process, the two interleaved through marker files outside the workspace.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { changedSince, describeRevert, revertSteps } from "../../../agent/checkpoints/revert-steps";
import { NodeWorkspace } from "../../../agent/workspace";
import { forEachSeedAsync, type Random } from "../../diffing/random";
import { makeWorld, type World } from "./harness";

/** Waits for `start` (if given), replaces lines (exact text), writes `ready`, waits for `go`, replaces more. */
const commandScript = `
const fs = require("fs");
const [plan] = process.argv.slice(1).map((arg) => JSON.parse(arg));
const wait = (file) => new Promise((resolve) => { const t = setInterval(() => fs.existsSync(file) && (clearInterval(t), resolve()), 5); });
const edit = (edits) => { for (const { path, from, to } of edits) fs.writeFileSync(path, fs.readFileSync(path, "utf8").replace(from + "\\n", to + "\\n")); };
(async () => { fs.writeFileSync(plan.started, ""); edit(plan.early); fs.writeFileSync(plan.ready, ""); await wait(plan.go); edit(plan.late); })();
`;

type LineEdit = { path: string; from: string; to: string };
type UserOp = { path: string; line: string; kind: "replace" | "insert" | "delete"; text: string };

const fileText = (name: string, count: number) => Array.from({ length: count }, (_, index) => `${name} line ${index}`);

function applyUser(lines: string[], ops: readonly UserOp[]): string[] {
  const out = [...lines];
  for (const op of ops) {
    const at = out.indexOf(op.line);
    if (op.kind === "replace") out[at] = op.text;
    else if (op.kind === "insert") out.splice(at + 1, 0, op.text);
    else out.splice(at, 1);
  }
  return out;
}

async function waitFor(file: string): Promise<void> {
  while (!existsSync(file)) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** The user, in the editor: the first change is reported, the file saved, the save reported. */
async function userSaves(world: World, workspace: NodeWorkspace, path: string, ops: readonly UserOp[]): Promise<void> {
  await workspace.userEdits.edited(path);
  const now = (await readFile(join(world.root, path), "utf8")).split("\n").slice(0, -1);
  await writeFile(join(world.root, path), `${applyUser(now, ops).join("\n")}\n`);
  await workspace.userEdits.saved(path);
}

/** Lines of `lines` at least two away from every line in `taken`: a line untouched by both sits between. */
function freeLines(lines: readonly string[], taken: readonly string[]): string[] {
  const used = taken.map((line) => lines.indexOf(line));
  return lines.filter((_, index) => used.every((other) => Math.abs(other - index) >= 2));
}

test("property: reverting a command keeps every edit the user saved while it ran, before or after the command wrote", async () => {
  await forEachSeedAsync(Number(process.env.GHOST_RUNS ?? 12), async (random) => {
    const names = ["f0.txt", "f1.txt", "f2.txt", "user-only.txt"];
    const originals = Object.fromEntries(names.map((name) => [name, fileText(name, 10 + random.int(10))]));
    const world = await makeWorld(Object.fromEntries(names.map((name) => [name, `${originals[name]!.join("\n")}\n`])));
    const workspace = await NodeWorkspace.open(world.root, world.storage);
    const commandEdits: LineEdit[] = [];
    const userOps: UserOp[] = [];
    for (const name of names) {
      const taken: string[] = [];
      if (name !== "user-only.txt") for (let k = 0; k < 1 + random.int(3); k++) taken.push(random.pick(originals[name]!));
      for (const line of new Set(taken)) commandEdits.push({ path: name, from: line, to: `${line} by the command` });
      if (name === "f2.txt") continue; // only the command touches it
      const free = freeLines(originals[name]!, taken);
      for (const line of new Set(Array.from({ length: 1 + random.int(2) }, () => random.pick(free)))) {
        userOps.push({ path: name, line, kind: random.pick(["replace", "insert", "delete"] as const), text: `typed ${random.int(1e6)}` });
      }
    }
    const userFirst = random.chance(0.5); // the user saves before the command writes, or on top of what it wrote
    const marks = Object.fromEntries(["started", "ready", "go"].map((mark) => [mark, join(world.base, `${mark}-${random.int(1e9)}`)]));
    const plan = { ...marks, early: userFirst ? [] : commandEdits, late: userFirst ? commandEdits : [] };
    const running = workspace.run({ argv: ["node", "-e", commandScript, JSON.stringify(plan)], isolation: "host", timeoutMs: 30_000, outputLimit: 10_000, label: "command" }, new AbortController().signal);
    await waitFor(marks.ready!);
    for (const name of names) await userSaves(world, workspace, name, userOps.filter((op) => op.path === name));
    await writeFile(marks.go!, "");
    const outcome = await running;
    assert.ok(outcome.kind === "exited" && outcome.code === 0, JSON.stringify(outcome));
    assert.deepEqual(outcome.changed.sort(), ["f0.txt", "f1.txt", "f2.txt"], "the user's own file is not the command's");
    const report = await revertSteps(world.root, workspace.store, [outcome.checkpoint!]);
    assert.ok(report.files.every((file) => file.result !== "conflict"), describeRevert(report));
    for (const name of names) {
      const want = `${applyUser(originals[name]!, userOps.filter((op) => op.path === name)).join("\n")}\n`;
      assert.equal(await readFile(join(world.root, name), "utf8"), want, `${name} (${userFirst ? "user first" : "command first"})`);
    }
  });
});

for (const userFirst of [true, false]) {
  test(`the user's edit next to the command's line (${userFirst ? "saved first" : "saved on top"}): revert names the file, leaves both edits`, async () => {
    const lines = fileText("a.txt", 8);
    const world = await makeWorld({ "a.txt": `${lines.join("\n")}\n`, "b.txt": "b\n" });
    const workspace = await NodeWorkspace.open(world.root, world.storage);
    const marks = Object.fromEntries(["started", "ready", "go"].map((mark) => [mark, join(world.base, mark)]));
    const edits = [{ path: "a.txt", from: lines[3], to: "by the command" }, { path: "b.txt", from: "b", to: "B" }];
    const plan = { ...marks, early: userFirst ? [] : edits, late: userFirst ? edits : [] };
    const running = workspace.run({ argv: ["node", "-e", commandScript, JSON.stringify(plan)], isolation: "host", timeoutMs: 30_000, outputLimit: 10_000, label: "command" }, new AbortController().signal);
    await waitFor(marks.ready!);
    await userSaves(world, workspace, "a.txt", [{ path: "a.txt", line: lines[4]!, kind: "replace", text: "by the user" }]);
    await writeFile(marks.go!, "");
    const outcome = await running;
    assert.ok(outcome.kind === "exited");
    const report = await revertSteps(world.root, workspace.store, [outcome.checkpoint!]);
    const why = userFirst
      ? "a.txt: you changed this file while the command ran, on or next to lines the command changed (or it is not text); Ghost can not tell your lines from the command's, so it left the file as it is"
      : "a.txt:5: you changed lines here since Ghost's edit, where (or next to where) the revert would change them back";
    assert.equal(describeRevert(report), `${why}\nb.txt: reverted`);
    assert.match(await readFile(join(world.root, "a.txt"), "utf8"), /by the command\nby the user\n/);
  });
}

test("changedSince lists the files a revert would touch that changed after the step, for the CLI to ask first", async () => {
  const world = await makeWorld({ "a.txt": "a\n", "b.txt": "b\n" });
  const workspace = await NodeWorkspace.open(world.root, world.storage);
  const outcome = await workspace.run({ argv: ["sh", "-c", "echo A > a.txt; echo B > b.txt; ln -s a.txt l"], isolation: "host", timeoutMs: 30_000, outputLimit: 10_000, label: "command" }, new AbortController().signal);
  assert.ok(outcome.kind === "exited" && outcome.checkpoint);
  assert.deepEqual(await changedSince(world.root, workspace.store, [outcome.checkpoint]), []);
  await writeFile(join(world.root, "b.txt"), "B and the user\n");
  assert.deepEqual(await changedSince(world.root, workspace.store, [outcome.checkpoint]), [{ path: "b.txt", checkpoint: outcome.checkpoint }]);
});
