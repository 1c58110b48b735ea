// A command's checkpoint covers everything it can touch, on real files with real shell commands: files git ignores
// (logs, .env, local databases), symlinks (removed, created, replaced, a folder swapped for a link out of the
// workspace), modes, hard links. Property: after random commands, reverting the step gives back the exact tree
// (bytes, modes, links), and the revert changes nothing outside the workspace. What it can not keep (an ignored file over
// the budget) is said in the outcome and in the revert report.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmod, lchown, link, lstat, mkdir, readdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describeRevert, revertSteps } from "../../../agent/checkpoints/revert-steps";
import { NodeWorkspace, type CommandOutcome } from "../../../agent/workspace";
import { forEachSeedAsync, type Random } from "../../diffing/random";
import { fingerprint, makeWorld, type World } from "./harness";

export async function sh(workspace: NodeWorkspace, script: string): Promise<Extract<CommandOutcome, { kind: "exited" }>> {
  const outcome = await workspace.run({ argv: ["sh", "-c", script], isolation: "host", timeoutMs: 30_000, outputLimit: 100_000, label: script }, new AbortController().signal);
  assert.equal(outcome.kind, "exited", JSON.stringify(outcome));
  if (outcome.kind !== "exited") throw new Error("unreachable");
  assert.equal(outcome.code, 0, outcome.output);
  return outcome;
}

/** A workspace with tracked and ignored files of several modes, symlinks in and out, a hard link, binary bytes. */
async function richWorld(): Promise<World> {
  const world = await makeWorld({
    ".gitignore": "*.log\n.env\n*.db\nbuild/\n",
    "notes.log": "important notes\n",
    ".env": "SECRET=1\n",
    "data.db": "SQLite format 3\0\u0001\u0002",
    "build/out.js": "built\n",
    "run.sh": "#!/bin/sh\necho hi\n",
    "private.txt": "mine\n",
    "a.txt": "a\n",
    "docs/guide.md": "# guide\n",
  });
  await chmod(join(world.root, "run.sh"), 0o755);
  await chmod(join(world.root, "private.txt"), 0o600);
  await chmod(join(world.root, ".env"), 0o600);
  await symlink("a.txt", join(world.root, "alias.txt"));
  await symlink("docs", join(world.root, "docs-link.lnk"));
  await link(join(world.root, "a.txt"), join(world.root, "hard.txt"));
  if (asRoot) for (const file of [".env", "private.txt", "docs/guide.md"]) await lchown(join(world.root, file), 1234, 5678);
  return world;
}

const files = ["notes.log", ".env", "data.db", "build/out.js", "run.sh", "private.txt", "a.txt", "hard.txt", "docs/guide.md", "src/a.ts"];
/** A hard link a command removes or renames comes back as a file of its own (documented in README): not here. */
const removable = files.filter((file) => file !== "hard.txt" && file !== "a.txt");
const links = ["alias.txt", "docs-link.lnk", "link-out", "git-config-link"];
const folders = ["src", "docs", "build"];

function randomOp(random: Random): string {
  const [file, linkName, folder, gone] = [random.pick(files), random.pick(links), random.pick(folders), random.pick(removable)];
  return random.pick([
    `truncate -s 0 ${file}`,
    `printf 'more\\n' >> ${file}`,
    `rm -f ${gone}`,
    `chmod ${random.pick(["755", "600", "644", "640"])} ${file}`,
    `rm -f ${linkName}`,
    `ln -sfn ${random.pick(["a.txt", "../outside", "nowhere"])} new-${random.int(3)}.lnk`,
    `rm -f ${gone} && ln -s a.txt ${file}`,
    `rm -rf ${folder} && ln -s ../outside ${folder}`,
    `rm -rf ${folder}`,
    `mkdir -p made/deep && printf 'new\\n' > made/deep/n.txt && printf 'x' > made/fresh.log`,
    `find . -name '*.lnk' -delete`,
    `printf '\\000\\001\\377' > bin-${random.int(2)}.db`,
    `mv -f ${gone} moved-${random.int(2)}.txt`,
    `printf 'SECRET=2\\n' > .env`,
    `rm -rf ${folder} && printf 'now a file' > ${folder}`,
    `rm -f ${gone} && mkdir -p ${gone}/inner && printf 'y' > ${gone}/inner/z.txt`,
  ]);
}

test("property: after random commands, reverting the step restores the exact tree: bytes, modes, symlinks, ignored files", async () => {
  await forEachSeedAsync(Number(process.env.GHOST_RUNS ?? 30), async (random) => {
    const world = await richWorld();
    const workspace = await NodeWorkspace.open(world.root, world.storage);
    const [original, originalOwners] = [await fingerprint(world.root), await owners(world.root)];
    const script = Array.from({ length: 1 + random.int(4) }, () => randomOp(random)).join("; ") + "; true";
    const outcome = await sh(workspace, script);
    const outside = await fingerprint(world.outside); // the command may write through a link out; the revert must not
    assert.deepEqual(outcome.unrecorded, [], script);
    const report = await revertSteps(world.root, workspace.store, outcome.checkpoint === null ? [] : [outcome.checkpoint]);
    const conflicts = report.files.filter((file) => file.result === "conflict");
    assert.deepEqual(conflicts, [], `${script}\n${describeRevert(report)}`);
    assert.equal(await fingerprint(world.root), original, script);
    assert.equal(await owners(world.root), originalOwners, `${script}: owners (as root)`);
    assert.equal(await fingerprint(world.outside), outside, script);
    assert.equal(sameInode(world, "a.txt", "hard.txt"), true, `${script}: the hard link is kept`);
  });
});

const asRoot = process.getuid?.() === 0;

/** "path uid:gid" for every file and link under `dir`, links not followed. */
async function owners(dir: string, prefix = ""): Promise<string> {
  const lines: string[] = [];
  for (const name of (await readdir(dir)).sort()) {
    const stats = await lstat(join(dir, name));
    if (stats.isDirectory()) lines.push(await owners(join(dir, name), `${prefix}${name}/`));
    else lines.push(`${prefix}${name} ${stats.uid}:${stats.gid}`);
  }
  return lines.filter(Boolean).join("\n");
}

function sameInode(world: World, a: string, b: string): boolean {
  const ino = (name: string) => execFileSync("stat", ["-c", "%i", join(world.root, name)], { encoding: "utf8" });
  return ino(a) === ino(b);
}

test("the issue's cases, one by one: truncate an ignored log, rm -rf src; ln -s ../victim src, delete a 0755 file", async () => {
  const world = await richWorld();
  await mkdir(join(world.base, "victim"));
  await writeFile(join(world.base, "victim", "keep.txt"), "victim\n");
  const workspace = await NodeWorkspace.open(world.root, world.storage);
  const [original, victim] = [await fingerprint(world.root), await fingerprint(join(world.base, "victim"))];
  const steps = [];
  // The later steps on notes.log and .env find their old bytes in what the earlier steps read (nothing re-read).
  for (const script of ["truncate -s 0 notes.log", "rm -rf src; ln -s ../victim src", "rm run.sh", "find . -name '*.lnk' -delete", "printf 'later\\n' >> notes.log; rm .env", "printf 'again\\n' >> notes.log"]) {
    steps.push((await sh(workspace, script)).checkpoint!);
  }
  const report = await revertSteps(world.root, workspace.store, steps);
  assert.equal(describeRevert(report).split("\n").filter((line) => !line.endsWith(": reverted")).join("\n"), "");
  assert.equal(await fingerprint(world.root), original);
  assert.equal(await fingerprint(join(world.base, "victim")), victim);
});

test("an ignored file over the checkpoint budget: the outcome and the revert report say it was not kept", async () => {
  const world = await richWorld();
  execFileSync("truncate", ["-s", "51M", join(world.root, "big.log")]);
  const workspace = await NodeWorkspace.open(world.root, world.storage);
  const outcome = await sh(workspace, "truncate -s 0 big.log; truncate -s 0 notes.log");
  assert.deepEqual(outcome.unrecorded.map((missed) => `${missed.path}: ${missed.reason}`), [
    "big.log: an ignored file changed whose old bytes were over the checkpoint budget for ignored files (50 MB, 5000 files)",
  ]);
  const report = await revertSteps(world.root, workspace.store, [outcome.checkpoint!]);
  assert.equal(describeRevert(report), "big.log: not restored: an ignored file changed whose old bytes were over the checkpoint budget for ignored files (50 MB, 5000 files)\nnotes.log: reverted");
});
