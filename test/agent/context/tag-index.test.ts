// The tag index over a fixture workspace, with real tree-sitter grammars.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { buildIndex, TagIndex } from "../../../agent/context/tag-index";

const workspace = join(__dirname, "..", "..", "fixtures", "workspaces", "calc");
const read = (path: string) => readFile(join(workspace, path), "utf8");

async function calcIndex(): Promise<TagIndex> {
  const index = new TagIndex();
  await buildIndex(index, ["src/math.ts", "src/main.ts", "src/stats.py", "README.unknown"], async (path) => (path.endsWith(".unknown") ? "text" : read(path)));
  return index;
}

test("definitions are found with their file, line and signature", async () => {
  const index = await calcIndex();
  const render = (name: string) => index.definitionsOf(name).map((d) => `${d.path}:${d.line + 1} ${d.kind} ${d.signature}`);
  assert.deepEqual(render("add"), ["src/math.ts:2 function export function add(a: number, b: number): number {"]);
  assert.deepEqual(render("Accumulator"), ["src/math.ts:10 class export class Accumulator {"]);
  assert.deepEqual(render("mean"), ["src/stats.py:1 function def mean(values):"]);
  assert.equal(index.fileCount, 3);
});

test("references are recorded per file", async () => {
  const index = await calcIndex();
  assert.deepEqual(index.tagsOf("src/main.ts")!.references.sort(), ["Accumulator", "add", "log", "push", "scale"].sort());
});

test("an update replaces a file's definitions, and removal forgets them", async () => {
  const index = await calcIndex();
  await index.update("src/math.ts", "export function sum(values: number[]): number {\n  return 0;\n}\n");
  assert.deepEqual(index.definitionsOf("add"), []);
  const paths = () => index.definitionsOf("sum").map((definition) => `${definition.path} ${definition.kind}`);
  assert.deepEqual(paths(), ["src/main.ts constant", "src/math.ts function"]);
  index.remove("src/math.ts");
  assert.deepEqual(paths(), ["src/main.ts constant"]);
});

test("progress reaches the total, and an aborted build stops early", async () => {
  const progress: number[] = [];
  await buildIndex(new TagIndex(), ["src/math.ts", "src/main.ts", "src/stats.py"], read, { batch: 1, onProgress: (p) => progress.push(p.done) });
  assert.deepEqual(progress, [1, 2, 3]);
  const controller = new AbortController();
  const partial = new TagIndex();
  await buildIndex(partial, ["src/math.ts", "src/main.ts", "src/stats.py"], read, {
    batch: 1,
    signal: controller.signal,
    onProgress: () => controller.abort(),
  });
  assert.equal(partial.fileCount, 1);
});

test("an index parsing in a worker thread holds the same tags as one parsing in this thread", async () => {
  const { TagParserThread } = await import("../../../agent/context/tag-parser-thread");
  const thread = new TagParserThread();
  const threaded = new TagIndex(thread.parse);
  await buildIndex(threaded, ["src/math.ts", "src/main.ts", "src/stats.py", "README.unknown"], async (path) => (path.endsWith(".unknown") ? "text" : read(path)));
  await thread.dispose();
  const local = await calcIndex();
  for (const path of ["src/math.ts", "src/main.ts", "src/stats.py"]) assert.deepEqual(threaded.tagsOf(path), local.tagsOf(path));
  assert.equal(threaded.fileCount, 3);
});
