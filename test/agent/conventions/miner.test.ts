// The miner's cache and incremental updates: a restart re-reads only files whose mtime or size changed, one file's
// new text updates the totals without reading any other file, and either way the profile is the one a fresh mine
// of the same tree gives.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConventionMiner, mineWorkspace } from "../../../agent/conventions/miner";
import { profileSchema } from "../../../agent/conventions/profile";
import { fileSystemReader, type WorkspaceReader } from "../../../agent/conventions/workspace-reader";
import { fixture } from "./helpers";

function copyOf(repository: string): string {
  const root = mkdtempSync(join(tmpdir(), "ghost-conventions-"));
  cpSync(fixture(repository), root, { recursive: true });
  return root;
}

/** A reader that records which source files (under src/ and test/) were read; config files are read every time. */
function countingReader(root: string): WorkspaceReader & { reads: string[] } {
  const inner = fileSystemReader(root);
  const reads: string[] = [];
  const read = (path: string) => {
    if (/^(src|test)\//.test(path)) reads.push(path);
    return inner.read(path);
  };
  return { ...inner, reads, read };
}

const addedFunction = '\nexport function variance(values: number[]): number {\n  const label = "variance";\n  return label.length + mean(values);\n}\n';

test("a second run through the cache reads only the file that changed, and gives a fresh mine's profile", async (t) => {
  const root = copyOf("ts-fetch");
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const cachePath = join(root, ".cache", "conventions.json");
  const first = await ConventionMiner.open(root, { cachePath });
  assert.deepEqual(await first.refresh(), { read: 7, reused: 0, removed: 0 });
  writeFileSync(join(root, "src", "stats.ts"), (await readFile(join(root, "src", "stats.ts"), "utf8")) + addedFunction);
  const reader = countingReader(root);
  const second = await ConventionMiner.open(root, { cachePath, reader });
  assert.deepEqual(await second.refresh(), { read: 1, reused: 6, removed: 0 });
  assert.deepEqual(reader.reads, ["src/stats.ts"]);
  assert.deepEqual((await second.profile()).statements, (await mineWorkspace(root)).statements);
});

test("update() takes one file's new text and reads nothing else; the totals move by that file alone", async (t) => {
  const root = copyOf("ts-fetch");
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const reader = countingReader(root);
  const miner = new ConventionMiner(reader);
  await miner.refresh();
  const before = await miner.profile();
  reader.reads.length = 0;
  const text = (await readFile(join(root, "src", "stats.ts"), "utf8")) + addedFunction;
  await miner.update("src/stats.ts", text);
  const after = await miner.profile();
  assert.deepEqual(reader.reads, []);
  writeFileSync(join(root, "src", "stats.ts"), text);
  assert.deepEqual(after.statements, (await mineWorkspace(root)).statements);
  const quotes = (profile: typeof before) => profile.tallies.javascript!.quotes!.double!.n;
  assert.equal(quotes(after) - quotes(before), 1, "one more double-quoted string");
});

test("a deleted file is dropped from the totals on the next refresh", async (t) => {
  const root = copyOf("ts-fetch");
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const miner = await ConventionMiner.open(root);
  await miner.refresh();
  rmSync(join(root, "src", "read-config.ts"));
  assert.deepEqual(await miner.refresh(), { read: 0, reused: 6, removed: 1 });
  const tries = (await miner.profile()).statements.find((statement) => statement.id === "javascript/function-try")!;
  assert.equal(tries.text, "functions never contain a try/catch: 0 of 23 do");
});

test("a corrupt cache file is an error naming it (it holds what Ghost learned); another version's cache is rebuilt", async (t) => {
  const root = copyOf("py-ddp");
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const cachePath = join(root, "cache.json");
  writeFileSync(cachePath, "{ not json");
  await assert.rejects(ConventionMiner.open(root, { cachePath }), new RegExp(`^Error: the conventions cache ${cachePath} is corrupt \\(.*JSON.*\\); delete it to rebuild it`));
  writeFileSync(cachePath, JSON.stringify({ version: 1, files: { "a.py": { mtimeMs: "yesterday" } } }));
  await assert.rejects(ConventionMiner.open(root, { cachePath }), /is corrupt \(Invalid input: expected number, received string at files\.a\.py\.mtimeMs\)/);
  writeFileSync(cachePath, JSON.stringify({ version: 0, anything: true }));
  const miner = await ConventionMiner.open(root, { cachePath });
  assert.deepEqual(await miner.refresh(), { read: 3, reused: 0, removed: 0 });
});

test("saves never share a temporary file: two at once both land, and the cache reads back whole", async (t) => {
  const root = copyOf("py-ddp");
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const cachePath = join(root, "cache.json");
  const miner = await ConventionMiner.open(root, { cachePath });
  await miner.refresh();
  await Promise.all([miner.save(), miner.save(), miner.save()]);
  assert.equal((await ConventionMiner.open(root, { cachePath })).fileCount, 3);
  assert.deepEqual(readdirSync(root).filter((name) => name.includes("cache")), ["cache.json"]);
});

test("the reader says missing only for what is missing: a link loop is an error, not an absent file", async (t) => {
  const root = mkdtempSync(join(tmpdir(), "ghost-reader-"));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  symlinkSync("loop-b", join(root, "loop-a"));
  symlinkSync("loop-a", join(root, "loop-b"));
  const reader = fileSystemReader(root);
  assert.deepEqual([await reader.read("nope.md"), await reader.stat("nope.ts"), await reader.list("nope")], [null, null, []]);
  await assert.rejects(reader.stat("loop-a"), /ELOOP/);
  await assert.rejects(reader.list("loop-a"), /ELOOP/);
  await assert.rejects(reader.read("loop-a"), /ELOOP/);
});

test("minified files are not mined", async (t) => {
  const root = copyOf("js-axios");
  t.after(() => rmSync(root, { recursive: true, force: true }));
  writeFileSync(join(root, "src", "bundle.min.js"), `var a='x';${"function f(){return 'y'};".repeat(400)}\n`);
  const profile = await mineWorkspace(root);
  assert.equal(profile.files, 3);
  assert.equal(profile.statements.find((statement) => statement.id === "javascript/quotes")!.value, "double");
});

test("the profile is a JSON document its zod schema accepts unchanged", async () => {
  const profile = await mineWorkspace(fixture("py-allreduce"));
  // Compared as JSON: tallies are built without a prototype (names from code such as "constructor" are keys).
  const json = JSON.parse(JSON.stringify(profile));
  assert.deepEqual(profileSchema.parse(json), json);
});
