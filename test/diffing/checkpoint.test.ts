// Checkpoints keep exact bytes, in memory or in a folder of sha256-named blobs with a zod-checked index, and a
// damaged store is an error that says so, never a silently wrong restore.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CheckpointStore, type Checkpoint } from "../../diffing/checkpoint";

const bytes = (text: string) => new TextEncoder().encode(text);
const render = (checkpoint: Checkpoint | null) =>
  checkpoint?.files.map(({ path, before, after }) => `${path}: ${before && Buffer.from(before)} -> ${after && Buffer.from(after)}`).join("; ");

test("in memory: what was recorded comes back, as a copy the caller can not change afterwards", async () => {
  const store = CheckpointStore.inMemory();
  const before = bytes("old\r\n");
  const checkpoint = await store.record("apply", [
    { path: "a.txt", before, after: bytes("new\r\n") },
    { path: "b.txt", before: null, after: bytes("b") },
  ]);
  before[0] = 0x4f;
  assert.equal(render(await store.get(checkpoint.id)), "a.txt: old\r\n -> new\r\n; b.txt: null -> b");
  assert.deepEqual(store.list().map((entry) => `${entry.label} ${entry.paths.join(",")}`), ["apply a.txt,b.txt"]);
  assert.equal(await store.get("nope"), null);
});

test("in a folder: blobs named by their sha256, stored once, and a reopened store restores the same bytes", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ghost-checkpoints-"));
  const store = await CheckpointStore.open(dir);
  const same = bytes("same bytes\n");
  const first = await store.record("one", [{ path: "a.txt", before: same, after: bytes("\uFEFFx") }]);
  await store.record("two", [{ path: "b.txt", before: same, after: null }]);
  const names = readdirSync(join(dir, "objects")).sort();
  assert.deepEqual(names, [createHash("sha256").update(same).digest("hex"), createHash("sha256").update(bytes("\uFEFFx")).digest("hex")].sort());
  const reopened = await CheckpointStore.open(dir);
  assert.deepEqual(reopened.list().map((entry) => entry.label), ["one", "two"]);
  assert.equal(render(await reopened.get(first.id)), "a.txt: same bytes\n -> \uFEFFx");
});

test("a damaged index or blob is an error naming the file", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ghost-checkpoints-"));
  const store = await CheckpointStore.open(dir);
  const checkpoint = await store.record("one", [{ path: "a.txt", before: bytes("a"), after: bytes("b") }]);
  const blob = join(dir, "objects", createHash("sha256").update("a").digest("hex"));
  writeFileSync(blob, "tampered");
  await assert.rejects((await CheckpointStore.open(dir)).get(checkpoint.id), new RegExp(`checkpoint blob ${blob} is damaged`));
  const index = JSON.parse(readFileSync(join(dir, "index.json"), "utf8"));
  index.checkpoints[0].files[0].before = "not a hash";
  writeFileSync(join(dir, "index.json"), JSON.stringify(index));
  await assert.rejects(CheckpointStore.open(dir), /index\.json is not a Ghost checkpoint index/);
  writeFileSync(join(dir, "index.json"), "{ truncated");
  await assert.rejects(CheckpointStore.open(dir), /index\.json is not valid JSON/);
});
