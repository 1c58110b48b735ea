// The shadow git checkpoint of a command: it sees every file the command created, changed or deleted, byte for byte
// (no eol conversion even when .gitattributes asks for it), skips what .gitignore ignores, and never touches the
// workspace's own .git. Binary files and a path swapped for a symlink out are reverted whole or reported, never
// merged or followed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describeRevert, revertSteps } from "../../../agent/checkpoints/revert-steps";
import { ShadowGit } from "../../../agent/checkpoints/shadow-git";
import { CheckpointStore } from "../../../diffing/checkpoint";
import { fingerprint, makeWorld } from "./harness";

const text = (bytes: Uint8Array | null) => (bytes === null ? "null" : JSON.stringify(Buffer.from(bytes).toString("latin1")));

test("a snapshot pair lists exactly what changed, with the exact bytes, and leaves the workspace's .git alone", async () => {
  const world = await makeWorld({ "crlf.txt": "a\r\nb\r\n", ".gitattributes": "* text=auto eol=lf\n", ".gitignore": "*.log\n", "gone.txt": "bye\n" });
  await rm(join(world.root, ".git"), { recursive: true });
  execFileSync("git", ["init", "-q"], { cwd: world.root });
  const dotGit = await fingerprint(join(world.root, ".git"));
  const shadow = await ShadowGit.open(join(world.storage, "shadow.git"), world.root);
  const before = await shadow.snapshot();
  await writeFile(join(world.root, "crlf.txt"), "a\r\nB\r\n");
  await writeFile(join(world.root, "new.txt"), "new\n");
  await writeFile(join(world.root, "debug.log"), "ignored\n");
  await rm(join(world.root, "gone.txt"));
  const changes = await shadow.changes(before, await shadow.snapshot());
  assert.deepEqual(changes.files.map((file) => `${file.path} ${text(file.before)} -> ${text(file.after)}`), [
    `crlf.txt "a\\r\\nb\\r\\n" -> "a\\r\\nB\\r\\n"`,
    `gone.txt "bye\\n" -> null`,
    `new.txt null -> "new\\n"`,
  ]);
  assert.equal(await fingerprint(join(world.root, ".git")), dotGit);
});

test("binary files are restored whole while untouched since, and reported when changed; a path that now leads out is reported", async () => {
  const world = await makeWorld();
  const store = CheckpointStore.inMemory();
  const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]);
  await mkdir(join(world.root, "out"));
  const made = await store.record("command", [{ path: "image.png", before: null, after: png }]);
  const changed = await store.record("command", [{ path: "other.png", before: png, after: Uint8Array.from([0, 9]) }]);
  const swapped = await store.record("command", [{ path: "out/x.txt", before: new TextEncoder().encode("x\n"), after: null }]);
  await writeFile(join(world.root, "image.png"), png);
  await writeFile(join(world.root, "other.png"), Uint8Array.from([0, 9, 9]));
  await rm(join(world.root, "out"), { recursive: true });
  await symlink(world.outside, join(world.root, "out"));
  const before = await fingerprint(world.outside);
  const report = await revertSteps(world.root, store, [made.id, changed.id, swapped.id]);
  assert.equal(
    describeRevert(report).replace(world.outside, "OUTSIDE"),
    [
      `out/x.txt: out/x.txt leads outside the workspace (to OUTSIDE/x.txt) through a symlink`,
      "other.png: a binary file changed since Ghost's step; Ghost will not overwrite it",
      "image.png: reverted",
    ].join("\n"),
  );
  await assert.rejects(readFile(join(world.root, "image.png")), /ENOENT/);
  assert.equal(await fingerprint(world.outside), before);
});
