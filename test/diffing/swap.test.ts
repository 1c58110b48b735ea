// Writes compare and swap, on real files: a save that lands at the last moment before Ghost's rename (injected
// there through swapHooks) is never replaced. An apply reports a conflict, the file holds exactly the saved bytes,
// and the checkpoint does not claim the write, so a later revert can not take the save away either; a revert
// merges again onto the save, or reports a conflict. Also on disk:
// a hard-linked file keeps its links, the owner is kept (as root), deleting a symlink deletes the link, and a
// reverted delete gets its mode back.
import { test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, chownSync, existsSync, linkSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { diffFiles, type ChangeSet } from "../../diffing/change-set";
import { CheckpointStore } from "../../diffing/checkpoint";
import { applyChangeSet } from "../../diffing/fs-apply";
import { revertCheckpoint } from "../../diffing/fs-revert";
import { swapHooks } from "../../diffing/fs-write";
import { revertFile } from "../../diffing/revert";
import { forEachSeedAsync, type Random } from "./random";

function folder(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "ghost-swap-"));
  for (const [path, text] of Object.entries(files)) writeFileSync(join(root, path), text);
  return root;
}

function changeSetOf(root: string, proposals: Record<string, string | null>): ChangeSet {
  const original = (path: string) => (existsSync(join(root, path)) ? readFileSync(join(root, path)) : null);
  return diffFiles(Object.entries(proposals).map(([path, proposed]) => ({ path, original: original(path), proposed })));
}

const text = (random: Random, lines: number) => Array.from({ length: lines }, (_, index) => `line ${index} ${random.int(1e6)}\n`).join("");

type Save = "rewrite" | "same size, old mtime" | "append" | "delete" | "create" | "none";

/** The user's save, made on disk the moment the hook runs for `path`; returns the bytes it leaves (null: none). */
function save(path: string, kind: Save, random: Random): Uint8Array | null | undefined {
  const old = existsSync(path) ? readFileSync(path) : null;
  const stats = old === null ? null : statSync(path);
  if (kind === "none") return undefined;
  if (kind === "delete") return old === null ? undefined : (rmSync(path), null);
  if ((kind === "create") !== (old === null)) return undefined; // create only where nothing is; the rest only where something is
  const bytes =
    kind === "append" || kind === "create" ? Buffer.concat([old ?? Buffer.alloc(0), Buffer.from(`saved ${random.int(1e6)}\n`)])
    : kind === "rewrite" ? Buffer.from(text(random, 1 + random.int(5)))
    : Buffer.from(old!.toString("latin1").replace(/[0-9]/, (digit) => String((Number(digit) + 1) % 10)), "latin1");
  if (kind === "rewrite" && old !== null && bytes.equals(old)) return undefined;
  writeFileSync(path, bytes);
  if (kind === "same size, old mtime" && stats) utimesSync(path, stats.atime, stats.mtime);
  return new Uint8Array(bytes);
}

test("property: a save injected right before the swap is kept, reported as a conflict, and left out of the checkpoint", async () => {
  const seen = new Map<string, number>();
  await forEachSeedAsync(150, async (random) => {
    const root = folder({ "a.txt": text(random, 3 + random.int(8)) });
    const proposal = random.pick(["modify", "delete", "create"] as const);
    const path = proposal === "create" ? "new.txt" : "a.txt";
    const changeSet = changeSetOf(root, { [path]: proposal === "delete" ? null : text(random, 4) });
    const kind = random.pick<Save>(["rewrite", "same size, old mtime", "append", "delete", "create", "none"]);
    let saved: Uint8Array | null | undefined;
    swapHooks.beforeCheck = async (target) => {
      if (target.endsWith(path) && saved === undefined) saved = save(target, kind, random);
    };
    const store = CheckpointStore.inMemory();
    const outcome = await applyChangeSet(root, changeSet, { [path]: "accept" }, store).finally(() => (swapHooks.beforeCheck = null));
    assert.equal(outcome.kind, "done");
    if (outcome.kind !== "done") return;
    const onDisk = existsSync(join(root, path)) ? new Uint8Array(readFileSync(join(root, path))) : null;
    const key = `${proposal}, ${saved === undefined ? "no save" : kind}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
    if (saved === undefined) {
      assert.equal(outcome.files[0]!.result, "applied", key);
      assert.deepEqual(onDisk, proposal === "delete" ? null : new TextEncoder().encode(changeSet.files[0]!.proposed!), key);
      return;
    }
    assert.equal(outcome.files[0]!.result, "conflict", key);
    assert.match(outcome.files[0]!.conflicts.at(-1)!.reason, /changed on disk while Ghost was writing it/);
    assert.deepEqual(onDisk, saved, `${key}: the file holds the user's save`);
    assert.equal(outcome.checkpoint, null, `${key}: the checkpoint claims no write`);
    assert.deepEqual(store.list()[0]?.paths ?? [], [], key);
    assert.deepEqual(readdirSync(root).filter((name) => name.endsWith(".ghost-tmp")), [], "no temp file left");
  });
  if (!process.env.GHOST_SEED) assert.ok(seen.size >= 12, [...seen.keys()].join("; "));
});

test("property: a save injected right before a revert's swap is kept too", async () => {
  await forEachSeedAsync(60, async (random) => {
    const root = folder({ "a.txt": text(random, 6) });
    const store = CheckpointStore.inMemory();
    const applied = await applyChangeSet(root, changeSetOf(root, { "a.txt": text(random, 6) }), { "a.txt": "accept" }, store);
    assert.ok(applied.kind === "done" && applied.checkpoint);
    let saved: Uint8Array | null | undefined;
    const kind = random.pick<Save>(["rewrite", "same size, old mtime", "append", "delete"]);
    swapHooks.beforeCheck = async (target) => void (saved ??= save(target, kind, random));
    const reverted = await revertCheckpoint(root, applied.checkpoint, store).finally(() => (swapHooks.beforeCheck = null));
    const onDisk = existsSync(join(root, "a.txt")) ? new Uint8Array(readFileSync(join(root, "a.txt"))) : null;
    // Merged again onto the save (Ghost's edit undone, the saved lines kept), or a conflict with the save as it is.
    const merged = revertFile(applied.checkpoint.files[0]!, saved ?? null);
    if (reverted.files[0]!.result === "conflict") assert.deepEqual(onDisk, saved, kind);
    else assert.deepEqual([reverted.files[0]!.result, onDisk], ["applied", merged.kind === "reverted" ? merged.bytes : "a conflict"], kind);
  });
});

test("a hard-linked file is written in place: both names show the new bytes and stay one file; revert too", async () => {
  const root = folder({ "a.txt": "one\ntwo\n" });
  linkSync(join(root, "a.txt"), join(root, "b.txt"));
  const store = CheckpointStore.inMemory();
  const applied = await applyChangeSet(root, changeSetOf(root, { "a.txt": "one\n2\n" }), { "a.txt": "accept" }, store);
  const names = () => ["a.txt", "b.txt"].map((name) => `${readFileSync(join(root, name), "utf8")} ${statSync(join(root, name)).ino} ${statSync(join(root, name)).nlink}`);
  const ino = statSync(join(root, "a.txt")).ino;
  assert.deepEqual(names(), [`one\n2\n ${ino} 2`, `one\n2\n ${ino} 2`]);
  assert.ok(applied.kind === "done" && applied.checkpoint);
  await revertCheckpoint(root, applied.checkpoint, store);
  assert.deepEqual(names(), [`one\ntwo\n ${ino} 2`, `one\ntwo\n ${ino} 2`]);
});

test("as root, a rewritten file keeps its owner and group", { skip: process.getuid?.() !== 0 && "needs root" }, async () => {
  const root = folder({ "a.txt": "a\n" });
  chownSync(join(root, "a.txt"), 1234, 5678);
  await applyChangeSet(root, changeSetOf(root, { "a.txt": "b\n" }), { "a.txt": "accept" }, CheckpointStore.inMemory());
  const stats = statSync(join(root, "a.txt"));
  assert.deepEqual([readFileSync(join(root, "a.txt"), "utf8"), stats.uid, stats.gid], ["b\n", 1234, 5678]);
});

test("deleting a symlink deletes the link, not its target; reverting brings the link back as a link", async () => {
  const root = folder({ "real.txt": "real\n" });
  symlinkSync("real.txt", join(root, "alias.txt"));
  const store = CheckpointStore.inMemory();
  const applied = await applyChangeSet(root, changeSetOf(root, { "alias.txt": null }), { "alias.txt": "accept" }, store);
  assert.deepEqual([existsSync(join(root, "alias.txt")), readFileSync(join(root, "real.txt"), "utf8")], [false, "real\n"]);
  assert.ok(applied.kind === "done" && applied.checkpoint);
  await revertCheckpoint(root, applied.checkpoint, store);
  assert.deepEqual([lstatSync(join(root, "alias.txt")).isSymbolicLink(), readlinkSync(join(root, "alias.txt"))], [true, "real.txt"]);
  assert.equal(readFileSync(join(root, "real.txt"), "utf8"), "real\n");
});

test("reverting a delete restores the file's mode (0755, 0600, 0640), and as root its owner", async () => {
  const asRoot = process.getuid?.() === 0;
  for (const mode of [0o755, 0o600, 0o640]) {
    const root = folder({ "run.sh": "#!/bin/sh\n" });
    chmodSync(join(root, "run.sh"), mode);
    if (asRoot) chownSync(join(root, "run.sh"), 1234, 5678);
    const store = CheckpointStore.inMemory();
    const applied = await applyChangeSet(root, changeSetOf(root, { "run.sh": null }), { "run.sh": "accept" }, store);
    assert.ok(applied.kind === "done" && applied.checkpoint);
    await revertCheckpoint(root, applied.checkpoint, store);
    const stats = statSync(join(root, "run.sh"));
    assert.equal((stats.mode & 0o7777).toString(8), mode.toString(8));
    if (asRoot) assert.equal(`${stats.uid}:${stats.gid}`, "1234:5678");
  }
});
