// Checkpoints keep exact bytes, in memory or in a folder of sha256-named blobs with an append-only, zod-checked
// index that two stores (two processes) share without losing entries; a damaged store is an error that says so,
// never a silently wrong restore.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { execFile } from "node:child_process";
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
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

test("a damaged index or blob is an error naming the file; a last line cut short by a crash is skipped", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ghost-checkpoints-"));
  const store = await CheckpointStore.open(dir);
  const checkpoint = await store.record("one", [{ path: "a.txt", before: bytes("a"), after: bytes("b") }]);
  const blob = join(dir, "objects", createHash("sha256").update("a").digest("hex"));
  writeFileSync(blob, "tampered");
  await assert.rejects((await CheckpointStore.open(dir)).get(checkpoint.id), new RegExp(`checkpoint blob ${blob} is damaged`));
  const index = join(dir, "index.jsonl");
  const line = readFileSync(index, "utf8");
  appendFileSync(index, line.slice(0, 40));
  assert.deepEqual((await CheckpointStore.open(dir)).list().map((entry) => entry.label), ["one"]);
  const entry = JSON.parse(line);
  entry.files[0].before = "not a hash";
  writeFileSync(index, `${JSON.stringify(entry)}\n`);
  await assert.rejects(CheckpointStore.open(dir), /index\.jsonl:1 is not a Ghost checkpoint entry/);
  writeFileSync(index, "{ truncated\n");
  await assert.rejects(CheckpointStore.open(dir), /index\.jsonl:1 is not valid JSON/);
});

test("an index from before the append-only one is still read", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ghost-checkpoints-"));
  const files = [{ path: "a.txt", before: null, after: null }];
  writeFileSync(join(dir, "index.json"), JSON.stringify({ version: 1, checkpoints: [{ id: "old", label: "legacy", createdAt: "then", files }] }));
  const store = await CheckpointStore.open(dir);
  await store.record("new", []);
  assert.deepEqual((await CheckpointStore.open(dir)).list().map((entry) => entry.label), ["legacy", "new"]);
});

test("property: two stores on one folder, recording at once (in this process and in two others), drop nothing", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ghost-checkpoints-"));
  const [a, b] = [await CheckpointStore.open(dir), await CheckpointStore.open(dir)];
  const recordMany = (store: CheckpointStore, name: string) =>
    Promise.all(Array.from({ length: 40 }, (_, index) => store.record(`${name}${index}`, [{ path: `${name}.txt`, before: bytes(`${name}${index}`), after: null }])));
  const children = ["c", "d"].map((name) => recordInChild(dir, name));
  const made = [...(await recordMany(a, "a")), ...(await recordMany(b, "b"))];
  await Promise.all(children);
  const reopened = await CheckpointStore.open(dir);
  const labels = reopened.list().map((entry) => entry.label).sort();
  const want = ["a", "b", "c", "d"].flatMap((name) => Array.from({ length: 40 }, (_, index) => `${name}${index}`)).sort();
  assert.deepEqual(labels, want);
  for (const checkpoint of made) assert.equal(render(await reopened.get(checkpoint.id)), render(checkpoint));
  // A store that was open all along finds what the others recorded since.
  const fromChild = reopened.list().find((entry) => entry.label === "c7")!;
  assert.equal(render(await a.get(fromChild.id)), "c.txt: c7 -> null");
});

/** Another process recording 40 checkpoints into `dir`, as a second window or the CLI would. */
function recordInChild(dir: string, name: string): Promise<void> {
  const code = `const { CheckpointStore } = require(${JSON.stringify(join(__dirname, "../../diffing/checkpoint"))});
    (async () => { const store = await CheckpointStore.open(${JSON.stringify(dir)});
      await Promise.all(Array.from({ length: 40 }, (_, i) => store.record("${name}" + i, [{ path: "${name}.txt", before: new TextEncoder().encode("${name}" + i), after: null }]))); })()
      .catch((error) => { console.error(error); process.exit(1); });`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["--import", "tsx", "-e", code], (error, _stdout, stderr) => (error ? reject(new Error(stderr || error.message)) : resolve()));
  });
}
