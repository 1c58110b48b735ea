// Revert after a task that edited a file and ran a command that wrote files: the workspace comes back as it was,
// except for the edit the user made between Ghost's steps, which stays. Compared as a whole-tree rendering.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { revertSteps, describeRevert } from "../../../agent/checkpoints/revert-steps";
import { finish, makeWorld, reply } from "./harness";
import { runScript } from "./harness";

const numbered = Array.from({ length: 12 }, (_, index) => `line ${index + 1}\n`).join("");

/** "path: text" for every file but .git and .vscode, sorted. */
async function tree(root: string): Promise<string> {
  const names = (await readdir(root, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(root.length + 1))
    .filter((path) => !path.startsWith(".git/") && !path.startsWith(".vscode/"))
    .sort();
  const texts = await Promise.all(names.map(async (name) => `${name}: ${JSON.stringify(await readFile(join(root, name), "utf8"))}`));
  return texts.join("\n");
}

const script = [
  reply("edit_file", { path: "a.txt", search: "line 2\n", replace: "line 2 by Ghost\n" }),
  // Writes a new file and changes an existing one: only the shadow git snapshot sees these.
  reply("run_command", { command: `node -e "const fs = require('fs'); fs.writeFileSync('made.txt', 'made\\n'); fs.appendFileSync('b.txt', 'appended\\n')"` }),
  reply("edit_file", { path: "a.txt", search: "line 4\n", replace: "line 4 by Ghost\n" }),
  finish,
];

async function runTask() {
  const world = await makeWorld({ "a.txt": numbered, "b.txt": "b\n", ".gitignore": "ignored.log\n", "ignored.log": "log\n" });
  const original = await tree(world.root);
  const userEdit = async (_outcome: unknown, step: number) => {
    if (step !== 1) return;
    const path = join(world.root, "a.txt");
    await writeFile(path, (await readFile(path, "utf8")).replace("line 10\n", "line 10 by the user\n"));
  };
  const run = await runScript(world, 3, script, { rules: { allow: [["node", "-e", "*"]] }, onStep: userEdit });
  return { world, original, ...run };
}

test("reverting the whole task restores every file Ghost or its command touched, and keeps the user's edit", async () => {
  const { world, original, result, workspace } = await runTask();
  assert.equal(result.kind, "finished");
  assert.equal(result.checkpoints.length, 3);
  assert.equal(
    await tree(world.root),
    [
      `.gitignore: "ignored.log\\n"`,
      `a.txt: ${JSON.stringify(numbered.replace("line 2\n", "line 2 by Ghost\n").replace("line 4\n", "line 4 by Ghost\n").replace("line 10\n", "line 10 by the user\n"))}`,
      `b.txt: "b\\nappended\\n"`,
      `ignored.log: "log\\n"`,
      `made.txt: "made\\n"`,
      `src/a.ts: "export const a = 1;\\n"`,
    ].join("\n"),
  );
  const report = await revertSteps(world.root, workspace.store, result.checkpoints);
  assert.equal(describeRevert(report), "a.txt: reverted\nb.txt: reverted\nmade.txt: reverted\na.txt: reverted");
  assert.equal(await tree(world.root), original.replace("line 10\\n", "line 10 by the user\\n"));
});

test("reverting one step undoes only that step: here the command's files", async () => {
  const { world, result, workspace } = await runTask();
  await revertSteps(world.root, workspace.store, [result.checkpoints[1]!]);
  const now = await tree(world.root);
  assert.doesNotMatch(now, /made\.txt/);
  assert.match(now, /b\.txt: "b\\n"/);
  assert.match(now, /line 2 by Ghost.*line 4 by Ghost.*line 10 by the user/);
});

test("a user edit on a line Ghost changed is a conflict: that file is left alone, the rest is reverted", async () => {
  const { world, result, workspace } = await runTask();
  const path = join(world.root, "a.txt");
  await writeFile(path, (await readFile(path, "utf8")).replace("line 4 by Ghost\n", "line 4 by Ghost and the user\n"));
  const report = await revertSteps(world.root, workspace.store, result.checkpoints);
  assert.equal(describeRevert(report).split("\n")[0], "a.txt:4: you changed lines here since Ghost's edit, where (or next to where) the revert would change them back");
  assert.match(await tree(world.root), /b\.txt: "b\\n"/);
});
