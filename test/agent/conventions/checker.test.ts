// The checker over patches and change sets: a never-used alternative (axios where the repository uses fetch,
// DistributedDataParallel where it calls all_reduce) and a defensive try block where there are almost none are
// flagged with the repository's evidence; the same patches raise nothing where those are the norm. The fixtures have
// 3 to 10 files, too few to enforce a mined convention (support.ts); where a flag or its absence is the point, a
// fixture is grown by copies of its own files (helpers.ts grownFixture).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { checkChangeSet, checkPatch, type CheckResult } from "../../../agent/conventions/checker";
import { diffFiles } from "../../../diffing/change-set";
import { fixture, grownFixture, grownProfileOf, profileOf, readPatch, renderFlag } from "./helpers";

/** Checks a patch against a fixture's profile; `grown`: against the fixture grown to enough files that its
 *  conventions are enforced (helpers.ts grownFixture), where the flag is the point. */
async function check(repository: string, patch: string, disabled: string[] = [], grown = false): Promise<CheckResult> {
  const result = await checkPatch(await (grown ? grownProfileOf : profileOf)(repository), patch, { disabled: new Set(disabled) });
  if ("error" in result) throw new Error(result.error);
  return result;
}

const flagsOf = async (repository: string, patchName: string, grown = false) => (await check(repository, readPatch(patchName), [], grown)).flags.map(renderFlag);

test("adding axios where the repository makes its requests with fetch is flagged, citing the fetch calls", async () => {
  const { flags } = await check("ts-fetch", readPatch("add-axios.patch"));
  assert.deepEqual(flags.map(renderFlag), [
    "src/report-client.ts:1 javascript/alternatives:http-client: adds axios, which this repository never uses; it makes HTTP requests with fetch (src/api-client.ts:13, src/api-client.ts:20)",
  ]);
  assert.deepEqual(flags[0]!.lines, [1, 4], "the import and the call");
  assert.equal(flags[0]!.severity, "warning");
});

test("the same axios patch raises no flag in a repository built on axios", async () => {
  assert.deepEqual(await flagsOf("js-axios", "add-axios.patch", true), []);
});

test("adding DistributedDataParallel where the optimizer calls all_reduce itself is flagged, citing the collectives", async () => {
  const result = await check("py-allreduce", readPatch("add-ddp.patch"));
  assert.deepEqual(result.flags.map(renderFlag), [
    "nanotrain/parallel.py:2 python/alternatives:gradient-sync: adds DistributedDataParallel, which this repository never uses; it syncs gradients with torch.distributed collectives (nanotrain/optim.py:25)",
  ]);
  assert.deepEqual(result.flags[0]!.lines, [2, 7]);
  assert.deepEqual(result.notes.map(renderFlag), ["nanotrain/parallel.py:2 python/new-module: imports torch.nn.parallel, which this repository has never imported"]);
});

test("the same DDP patch raises no flag, and no note, in a repository that wraps its model in DDP", async () => {
  assert.deepEqual(await check("py-ddp", readPatch("add-ddp.patch"), [], true), { flags: [], notes: [] });
});

test("a defensive try/catch is flagged where 1 of 193 functions in 31 files has one, citing that one", async () => {
  assert.deepEqual(await flagsOf("ts-fetch", "add-try-catch.patch", true), [
    "src/load-settings.ts:4 javascript/function-try: adds a try/catch; in this repository functions almost never contain a try/catch: 1 of 193 do (src/read-config.ts:20)",
  ]);
});

test("the same try/catch raises no flag where every function has one", async () => {
  assert.deepEqual(await flagsOf("js-axios", "add-try-catch.patch", true), []);
});

test("a try/except around saving a checkpoint is flagged where only dataset.py catches anything", async () => {
  assert.deepEqual(await flagsOf("py-allreduce", "add-try-except.patch", true), [
    "nanotrain/checkpoint.py:10 python/function-try: adds a try/except; in this repository functions almost never contain a try/except: 1 of 94 do (nanotrain/dataset.py:19)",
  ]);
  assert.deepEqual(await flagsOf("py-ddp", "add-try-except.patch", true), []);
});

test("too few functions (18 in js-standard, under 20) is too weak a convention to flag a try block", async () => {
  const patch = ["--- /dev/null", "+++ b/lib/read_file.js", "@@ -0,0 +1,7 @@", "+function readFile (path) {", "+    try {", "+        return path", "+    } catch (error) {", "+        return null", "+    }", "+}"].join("\n");
  assert.deepEqual((await check("js-standard", patch)).flags, []);
});

test("a switched-off statement raises nothing", async () => {
  assert.deepEqual((await check("ts-fetch", readPatch("add-try-catch.patch"), ["javascript/function-try"], true)).flags, []);
});

test("breaking a setting the repository declares is an error that names the config line", async () => {
  const patch = ["--- /dev/null", "+++ b/lib/greeting.js", "@@ -0,0 +1,3 @@", "+function greet (name) {", '+    return "hello " + name;', "+}"].join("\n");
  const { flags } = await check("js-standard", patch);
  assert.deepEqual(
    flags.map((flag) => `${flag.severity} ${flag.line} ${flag.message}`),
    [
      "error 2 uses double quotes; .prettierrc:2 declares that plain strings always use single quotes",
      "error 2 ends a statement with a semicolon; .prettierrc:3 declares that statements always leave out the semicolon",
    ],
  );
});

test("a change set is checked on its whole new text, flagging only what its added lines do", async () => {
  const path = "src/stats.ts";
  const original = readFileSync(join(grownFixture("ts-fetch"), path));
  const proposed = `${original}\nexport function median_of(values: number[]): number {\n  const label = 'median';\n  return values.length === 0 ? 0 : values[0]! + label.length;\n}\n`;
  const result = await checkChangeSet(await grownProfileOf("ts-fetch"), diffFiles([{ path, original, proposed }]));
  assert.deepEqual(
    result.flags.map((flag) => `${flag.line} ${flag.ruleId}`),
    ["32 javascript/naming:function", "33 javascript/quotes"],
  );
  assert.match(result.flags[0]!.message, /^names function `median_of` in snake_case; in this repository function names are always camelCase: 82 of 82 \(src\/api-client.ts:25/);
});

test("a bare hunk in the middle of a file is parsed as a fragment, at its own line numbers", async () => {
  const patch = [
    "--- a/src/stats.ts",
    "+++ b/src/stats.ts",
    "@@ -8,4 +8,5 @@",
    "   let largest: Order | undefined;",
    "   for (const order of orders) {",
    "+    console.log('visiting', order.id);",
    "     if (!largest || order.total > largest.total) largest = order;",
    "   }",
  ].join("\n");
  const { flags } = await check("ts-fetch", patch, [], true);
  assert.deepEqual(flags.map((flag) => `${flag.path}:${flag.line} ${flag.ruleId}`), ["src/stats.ts:10 javascript/quotes"]);
});

test("a patch is applied to the original when the caller can read it", async () => {
  const patch = ["--- a/src/stats.ts", "+++ b/src/stats.ts", "@@ -1,3 +1,4 @@", ' import type { Order } from "./api-client";', "+const SEPARATOR = ', ';", " ", " export function mean(values: number[]): number {"].join("\n");
  const profile = await grownProfileOf("ts-fetch");
  const readOriginal = (path: string) => readFileSync(join(grownFixture("ts-fetch"), path), "utf8");
  const result = await checkPatch(profile, patch, { readOriginal });
  assert.ok(!("error" in result));
  assert.deepEqual(result.flags.map((flag) => `${flag.line} ${flag.ruleId}`), ["2 javascript/quotes"]);
});

test("text that is not a unified diff is reported, not thrown", async () => {
  const result = await checkPatch(await profileOf("ts-fetch"), "@@ -1,2 +1,2 @@\n+a\nnot a diff line\n");
  assert.ok("error" in result && result.error.startsWith("not a unified diff"));
});

test("the repository's own modules are never new, nor are their names, even ones imported for the first time", async () => {
  const patch = [
    "--- /dev/null",
    "+++ b/nanotrain/eval.py",
    "@@ -0,0 +1,7 @@",
    "+import nanotrain",
    "+from nanotrain.dataset import SHARD_SUFFIX",
    "+",
    "+",
    "+def shard_name(index: int) -> str:",
    '+    """The file name of a shard."""',
    "+    return f\"{index:05d}{SHARD_SUFFIX}\"",
  ].join("\n");
  assert.deepEqual(await check("py-allreduce", patch, [], true), { flags: [], notes: [] });
});

test("a file's name is judged only when the change creates the file", async () => {
  const path = "src/legacy_utils.ts";
  const original = new TextEncoder().encode('export const LIMIT = 1;\n');
  const profile = await grownProfileOf("ts-fetch");
  const created = await checkChangeSet(profile, diffFiles([{ path, original: null, proposed: 'export const LIMIT = 2;\n' }]));
  assert.deepEqual(created.flags.map((flag) => `${flag.line} ${flag.ruleId}`), ["1 javascript/naming:file"]);
  const modified = await checkChangeSet(profile, diffFiles([{ path, original, proposed: 'export const LIMIT = 2;\n' }]));
  assert.deepEqual(modified.flags, []);
});
