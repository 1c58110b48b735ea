// The reading tools through the loop, and failures at the file edge that must come back as observations: a folder
// read as a file, a folder that does not exist, a file created twice, a search whose hits sit in a secret file.
import { test } from "node:test";
import assert from "node:assert/strict";
import { finish, makeWorld, reply, runScript } from "./harness";

async function observations(files: Record<string, string>, calls: string[], level: 2 | 3 = 2): Promise<string[]> {
  const { result } = await runScript(await makeWorld(files), level, [...calls, finish]);
  return result.messages.filter((message) => message.content.startsWith("Observation:")).map((message) => message.content.slice("Observation:\n".length));
}

test("read_file shows numbered lines, a range on request, and plain reasons for what it can not show", async () => {
  const files = { "b.txt": "one\ntwo\nthree\n", "bin.dat": "\u0000\u0001\u0002" };
  assert.deepEqual(
    await observations(files, [
      reply("read_file", { path: "b.txt", start_line: 2, end_line: 3 }),
      reply("read_file", { path: "src" }),
      reply("read_file", { path: "nope.txt" }),
      reply("read_file", { path: "bin.dat" }),
    ]),
    ["b.txt (lines 2-3 of 3; read more with start_line):\n    2  two\n    3  three", "src: can not be read (EISDIR)", "nope.txt: no such file", "bin.dat: binary or unsupported encoding: contains NUL bytes"],
  );
});

test("list_files walks the folder, skipping .git and dependencies; a missing folder is said so", async () => {
  const files = { "node_modules/x/index.js": "", "src/b/c.ts": "" };
  assert.deepEqual(await observations(files, [reply("list_files", {}), reply("list_files", { path: "nope" })]), [
    ".vscode/settings.json\nsrc/a.ts\nsrc/b/c.ts",
    "nope: no such folder",
  ]);
});

test("search finds text (a pattern, or literal text when it is not one) and symbols, and hides hits in protected files", async () => {
  const files = { ".env": "API_KEY=hunter2\n", "src/key.ts": "export function apiKey() { return process.env.API_KEY; }\n" };
  assert.deepEqual(
    await observations(files, [
      reply("search", { query: "API_KEY" }),
      reply("search", { query: "apiKey(" }),
      reply("search", { query: "apiKey", kind: "symbol" }),
    ]),
    [
      "src/key.ts:1: export function apiKey() { return process.env.API_KEY; }\n(1 hit in a protected file not shown)",
      "src/key.ts:1: export function apiKey() { return process.env.API_KEY; }",
      "src/key.ts:1: export function apiKey() { return process.env.API_KEY; }", // the definition's head: here its one line
    ],
  );
});

test("edit and create failures are observations the model can act on", async () => {
  assert.deepEqual(
    await observations({}, [
      reply("create_file", { path: "src/a.ts", content: "x" }),
      reply("create_file", { path: "src", content: "x" }),
      reply("edit_file", { path: "src/a.ts", search: "missing", replace: "x" }),
      reply("edit_file", { path: "src/a.ts", search: "1", replace: "1" }),
      reply("delete_file", { path: "gone.ts" }),
    ], 3),
    [
      "create_file src/a.ts: the file exists already; use edit_file. Nothing was written.",
      "create_file src: can not be read (EISDIR). Nothing was written.",
      "edit_file src/a.ts: the search text does not occur in the file; read the file and copy the lines exactly. Nothing was written.",
      "src/a.ts already holds that text; nothing to change.",
      "delete_file gone.ts: no such file. Nothing was written.",
    ],
  );
});
