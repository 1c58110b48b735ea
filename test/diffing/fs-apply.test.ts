// On disk: a change set applied and reverted in a real folder, paths that lead out of it refused with nothing
// written, and writes that are atomic (no temp file left, the file's mode kept).
import { test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { diffFile, diffFiles, type ChangeSet, type FileDiff } from "../../diffing/change-set";
import { CheckpointStore } from "../../diffing/checkpoint";
import { applyChangeSet, atomicWrite } from "../../diffing/fs-apply";
import { revertCheckpoint } from "../../diffing/fs-revert";
import { describeConflicts, describeRejections } from "../../diffing/render";

/** A folder with these files (text as given, bytes exact). */
function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "ghost-ws-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** Every file under root, as "path: text" lines (temp files would show here too). */
function tree(root: string): string {
  const files = (readdirSync(root, { recursive: true }) as string[]).filter((path) => statSync(join(root, path)).isFile()).sort();
  return files.map((path) => `${path}: ${JSON.stringify(readFileSync(join(root, path), "utf8"))}`).join("\n");
}

function changeSetOf(root: string, proposals: Record<string, string | null>): ChangeSet {
  const original = (path: string) => (existsSync(join(root, path)) ? readFileSync(join(root, path)) : null);
  return diffFiles(Object.entries(proposals).map(([path, proposed]) => ({ path, original: original(path), proposed })));
}

test("apply a change set, then revert it: every file back byte for byte, the created file gone", async () => {
  const root = workspace({ "a.txt": "\uFEFFone\r\ntwo\r\n", "gone.txt": "bye\n", "keep.txt": "x" });
  const before = tree(root);
  const changeSet = changeSetOf(root, { "a.txt": "one\n2\nthree\n", "gone.txt": null, "src/new.ts": "export {};\n", "keep.txt": "y" });
  const store = CheckpointStore.inMemory();
  const outcome = await applyChangeSet(root, changeSet, { "a.txt": "accept", "gone.txt": "accept", "src/new.ts": "accept" }, store);
  assert.equal(outcome.kind, "done");
  if (outcome.kind !== "done") return;
  assert.equal(tree(root), `a.txt: "\uFEFFone\\r\\n2\\r\\nthree\\r\\n"\nkeep.txt: "x"\nsrc/new.ts: "export {};\\n"`);
  const results = outcome.files.map((file) => `${file.path} ${file.result}`);
  assert.deepEqual(results, ["a.txt applied", "gone.txt applied", "src/new.ts applied", "keep.txt unchanged"]);
  const keepHunk = changeSet.files[3]!.hunks[0]!.id;
  assert.equal(describeRejections(outcome.rejections), `keep.txt: the whole file was rejected\nhunk ${keepHunk} at line 1:\n-x\n+y`);
  const reverted = await revertCheckpoint(root, outcome.checkpoint!, store);
  assert.deepEqual(reverted.files.map((file) => `${file.path} ${file.result}`), ["a.txt applied", "gone.txt applied", "src/new.ts applied"]);
  assert.equal(tree(root), before);
});

test("the user edited the file on disk since the proposal: the clean hunk is written, the other is a conflict", async () => {
  const lines = Array.from({ length: 14 }, (_, index) => `${index + 1}\n`).join("");
  const root = workspace({ "n.txt": lines });
  const changeSet = changeSetOf(root, { "n.txt": lines.replace(/^2$/m, "TWO").replace(/^13$/m, "THIRTEEN") });
  writeFileSync(join(root, "n.txt"), lines.replace(/^13$/m, "13 mine"));
  const outcome = await applyChangeSet(root, changeSet, { "n.txt": "accept" }, CheckpointStore.inMemory());
  const results = outcome.kind === "done" && outcome.files.map((file) => `${file.result} at ${file.conflicts.map((conflict) => conflict.line)}`);
  assert.deepEqual(results, ["conflict at 13"]);
  const hunk = changeSet.files[0]!.hunks[1]!.id;
  assert.equal(
    outcome.kind === "done" && describeConflicts("n.txt", outcome.files[0]!.conflicts),
    `n.txt:13: hunk ${hunk}: you changed lines here since the proposal, where (or next to where) this hunk changes the file`,
  );
  assert.equal(readFileSync(join(root, "n.txt"), "utf8"), lines.replace(/^2$/m, "TWO").replace(/^13$/m, "13 mine"));
});

test("paths out of the workspace are refused and nothing is written: .., absolute, symlinks out", async () => {
  const outside = workspace({ "secret.txt": "secret\n" });
  const root = workspace({ "in.txt": "in\n" });
  symlinkSync(outside, join(root, "linked-dir"));
  symlinkSync(join(outside, "secret.txt"), join(root, "linked-file.txt"));
  const fake = (path: string): FileDiff => ({ ...(diffFile({ path: "x.txt", original: null, proposed: "pwned\n" }) as FileDiff), path });
  const store = CheckpointStore.inMemory();
  for (const path of ["../secret.txt", "/tmp/x.txt", "linked-dir/secret.txt", "linked-dir/new.txt", "linked-file.txt"]) {
    const ok = fake("in-ok.txt");
    const outcome = await applyChangeSet(root, { files: [ok, fake(path)], refused: [] }, { "in-ok.txt": "accept", [path]: "accept" }, store);
    assert.equal(outcome.kind, "refused", path);
    const reason = outcome.kind === "refused" ? outcome.refused[0]!.reason : "";
    assert.match(reason, /not a relative path inside the workspace|leads outside the workspace/);
  }
  assert.equal(tree(outside), `secret.txt: "secret\\n"`);
  assert.equal(existsSync(join(root, "in-ok.txt")), false);
  assert.deepEqual(store.list(), []);
});

test("a symlink that stays inside is written through: the link stays a link", async () => {
  const root = workspace({ "real.txt": "a\n" });
  symlinkSync(join(root, "real.txt"), join(root, "alias.txt"));
  const changeSet = changeSetOf(root, { "alias.txt": "b\n" });
  await applyChangeSet(root, changeSet, { "alias.txt": "accept" }, CheckpointStore.inMemory());
  assert.equal(readFileSync(join(root, "real.txt"), "utf8"), "b\n");
  assert.equal(lstatSync(join(root, "alias.txt")).isSymbolicLink(), true);
});

test("atomic write: the mode is kept and no temp file is left, even when the rename fails", async () => {
  const root = workspace({ "run.sh": "#!/bin/sh\necho hi\n" });
  chmodSync(join(root, "run.sh"), 0o750);
  await applyChangeSet(root, changeSetOf(root, { "run.sh": "#!/bin/sh\necho bye\n" }), { "run.sh": "accept" }, CheckpointStore.inMemory());
  assert.equal((statSync(join(root, "run.sh")).mode & 0o777).toString(8), "750");
  assert.deepEqual(readdirSync(root), ["run.sh"]);
  mkdirSync(join(root, "a-folder"));
  await assert.rejects(atomicWrite(join(root, "a-folder"), new Uint8Array([1])), /EISDIR|EEXIST|ENOTEMPTY/);
  assert.deepEqual(readdirSync(root).sort(), ["a-folder", "run.sh"]);
});
