// Regression tests for the classes of false claims and false flags the checker made on real repositories (issue
// 14), on the small py-script fixture: acronym class names, a script's module-level variables, f-strings, words that
// contradict their numbers, evidence that does not show the claim, try/finally and module-level try, moved lines,
// and the rule for handlers that swallow errors. Each test also shows the check still fires where it should: patches
// are checked against py-script grown by copies of its own files (helpers.ts grownFixture), enough to be enforced.
import { test } from "node:test";
import assert from "node:assert/strict";
import { addedFromPatch } from "../../../agent/conventions/added-code";
import { checkPatch, type CheckResult } from "../../../agent/conventions/checker";
import { emptyAdjustments } from "../../../agent/conventions/profile";
import { deriveStatements } from "../../../agent/conventions/statements";
import { howOften } from "../../../agent/conventions/wording";
import { grownProfileOf, profileOf, renderFlag, statement } from "./helpers";

/** A patch that creates `path` with `lines`. */
const creating = (path: string, lines: string[]) => [`--- /dev/null`, `+++ b/${path}`, `@@ -0,0 +1,${lines.length} @@`, ...lines.map((line) => `+${line}`), ""].join("\n");

/** Checks a patch against py-script grown to enough files that its conventions are enforced (helpers.ts
 *  grownFixture); the statements' own numbers are read from the fixture as written. */
async function check(patch: string): Promise<CheckResult> {
  const result = await checkPatch(await grownProfileOf("py-script"), patch);
  if ("error" in result) throw new Error(result.error);
  return result;
}

const ruleIds = (result: CheckResult) => result.flags.map((flag) => flag.ruleId);

test("acronym class names (MLP, GRU) are not counted against PascalCase, and a new one is not flagged", async () => {
  const profile = await profileOf("py-script");
  const classes = statement(profile, "python/naming:class");
  assert.equal(`${classes.value} ${classes.n}/${classes.m}`, "PascalCase 5/5", "MLP is neither PascalCase nor UPPER_CASE evidence");
  const gru = ["import torch", "", "", "class GRU(torch.nn.Module):", "    '''A gated recurrent unit.'''", ""];
  assert.ok(!ruleIds(await check(creating("tinynet/gru.py", gru))).includes("python/naming:class"));
  const snake = ["import torch", "", "", "class gated_unit(torch.nn.Module):", "    '''A gated recurrent unit.'''", ""];
  assert.ok(ruleIds(await check(creating("tinynet/gru.py", snake))).includes("python/naming:class"), "a snake_case class still is");
});

test("a script's module-level variables are variables, so constants are UPPER_CASE and a new one beside them is not flagged", async () => {
  const profile = await profileOf("py-script");
  const constants = statement(profile, "python/naming:constant");
  assert.equal(`${constants.value} ${constants.n}/${constants.m}`, "UPPER_CASE 7/7", "train.py's batch_size, model, ... are not constants");
  assert.ok(statement(profile, "python/naming:variable").evidence.some((site) => site.startsWith("train.py:")));
  const added = ["'''Limits.'''", "", "MAX_SHARDS = 64", ""];
  assert.deepEqual(ruleIds(await check(creating("tinynet/limits.py", added))), []);
  const camel = ["'''Limits.'''", "", "maxShards = 64", ""];
  assert.deepEqual(ruleIds(await check(creating("tinynet/limits.py", camel))), ["python/naming:variable"], "a camelCase module-level name breaks snake_case variables");
});

test("f-strings keep their own quotes: double-quoted f-strings in a single-quoted repository are not flagged", async () => {
  const profile = await profileOf("py-script");
  assert.equal(statement(profile, "python/quotes").text, "plain strings always use single quotes");
  const fstrings = ["from tinynet.log import print0", "", "", "def report(step: int) -> None:", "    '''Say where training is.'''", '    print0(f"at step {step}")', ""];
  assert.deepEqual(ruleIds(await check(creating("tinynet/report.py", fstrings))), []);
  const plain = [...fstrings.slice(0, -2), '    print0("at step", step)', ""];
  assert.deepEqual(ruleIds(await check(creating("tinynet/report.py", plain))), ["python/quotes"], "a plain double-quoted string still is");
});

test("words agree with numbers: fixed thresholds, 51% is not 'rarely', and 2% of long lines is not 'often'", () => {
  assert.deepEqual(
    [[0, 10], [1, 40], [1, 10], [3, 10], [51, 100], [7, 10], [85, 100], [96, 100], [10, 10]].map(([n, m]) => howOften(n!, m!)),
    ["never", "almost never", "rarely", "sometimes", "sometimes", "usually", "mostly", "almost always", "always"],
  );
  const tally = (counts: Record<string, number>) => Object.fromEntries(Object.entries(counts).map(([value, n]) => [value, { n, files: 1, evidence: [`a.py:${n}`] }]));
  const statements = deriveStatements(
    { python: { "line-length": tally({ "80": 6000, "100": 400, "120": 199, longer: 132 }), "doc-comment": tally({ undocumented: 51, documented: 49 }) } },
    { python: 1 },
    [],
    emptyAdjustments(),
  );
  const lines = statements.find((found) => found.key === "line-length")!;
  assert.equal(`${lines.text}: ${lines.n} of ${lines.m}, ${lines.enforced ? "enforced" : "stated"}`, "lines almost always fit in 120 characters: 6599 of 6731, stated");
  const docs = statements.find((found) => found.key === "doc-comment")!;
  assert.equal(docs.text, "functions and classes sometimes have a doc comment");
});

test("gradient sync is cited where gradients are reduced, not where a metric is", async () => {
  const profile = await profileOf("py-allreduce");
  const sync = statement(profile, "python/alternatives:gradient-sync");
  assert.deepEqual(sync.evidence, ["nanotrain/optim.py:25"], "optim.py:45 reduces the loss for logging");
  const ddpRepository = await profileOf("py-ddp");
  const metric = ["import torch", "import torch.distributed as dist", "", "", "def mean_loss(loss: torch.Tensor) -> torch.Tensor:", '    """The mean loss over ranks."""', "    dist.all_reduce(loss, op=dist.ReduceOp.AVG)", "    return loss", ""];
  const result = await checkPatch(ddpRepository, creating("nanoddp/metrics.py", metric));
  assert.ok(!("error" in result) && !result.flags.some((flag) => flag.ruleId === "python/alternatives:gradient-sync"), "reducing a metric beside DDP is no second way to sync gradients");
});

test("try/finally is not a defensive try, and a module-level try is about no function", async () => {
  const profile = await profileOf("py-script");
  const tries = statement(profile, "python/function-try");
  assert.equal(tries.text, "functions rarely contain a try/except: 1 of 19 do", "read_header's try/finally and the optional import do not count");
  assert.deepEqual(tries.exceptions, ["tinynet/data.py:38"]);
});

test("a moved line is the repository's own code: flags apply only to lines the change writes", async () => {
  const moved = ["--- a/tinynet/data.py", "+++ b/tinynet/data.py", "@@ -1,3 +1,3 @@", "-'''Token shards on disk.'''", "+x = \"token shards\"", " import os", " ", "@@ -50,2 +50,3 @@", " def split_name(path: str) -> str:", "     '''train or val, from the shard's name.'''", "+'''Token shards on disk.'''", ""].join("\n");
  const parsed = addedFromPatch(moved);
  assert.ok(parsed.ok);
  assert.deepEqual([...parsed.files[0]!.added], [1], "line 52 moved down from line 1; line 1 is new");
  const result = await check(moved);
  assert.deepEqual(result.flags.map((flag) => `${flag.ruleId} ${flag.lines.join(",")}`), ["python/quotes 1"]);
});

test("swallowing handlers: a broad except that only logs or passes is flagged where handlers name specific exceptions", async () => {
  const swallow = ["from tinynet.log import print0", "", "", "def safe_count(path: str) -> int:", "    '''Count, or 0.'''", "    try:", "        return len(path)", "    except Exception as error:", "        print0(error)", "    return 0", ""];
  const result = await check(creating("tinynet/safe.py", swallow));
  const flag = result.flags.find((found) => found.ruleId === "python/swallow");
  assert.ok(flag, JSON.stringify(result.flags.map(renderFlag)));
  assert.equal(flag.line, 8);
  assert.match(flag.message, /^adds an except clause for Exception that only logs, passes or continues; in this repository except clauses never catch everything and only log, pass or continue: 0 of 26 do \(tinynet\/batch_totals\.py:12, tinynet\/batch_totals\.py:40, tinynet\/batch_window\.py:12\)$/);
  const handles = [...swallow.slice(0, 8), "        raise ValueError(path) from error", "    return 0", ""];
  assert.ok(!ruleIds(await check(creating("tinynet/safe.py", handles))).includes("python/swallow"), "a broad except that raises handles the error");
  const cleanup = [...swallow.slice(0, 7), "    finally:", "        print0('counted')", ""];
  assert.deepEqual(ruleIds(await check(creating("tinynet/safe.py", cleanup))), [], "try/finally is not a handler and not a defensive try");
});

test("the repository's own logging helper (print0 around print) counts as logging with print, with its call sites", async () => {
  const profile = await profileOf("py-script");
  const logging = statement(profile, "python/alternatives:logging");
  assert.equal(logging.text, "logs with print (1 in 1 file, and 4 uses of its own print0); never with logging, loguru, structlog");
  assert.ok(logging.evidence.some((site) => site.startsWith("train.py:")), "print0's calls in train.py are cited");
  const usesLogging = ["import logging", "", "", "def report(step: int) -> None:", "    '''Say where training is.'''", "    logging.info('step %d', step)", ""];
  const result = await check(creating("tinynet/report.py", usesLogging));
  assert.deepEqual(ruleIds(result), ["python/alternatives:logging"]);
  const statementOf = (text: string) => statement(profile, "python/paths".replace("paths", "alternatives:paths")).text.includes(text);
  assert.ok(!statementOf("shard_paths"), "a helper that merely calls os.path.join is not another way of handling paths");
});

test("generated files are neither mined nor checked: their style is their generator's", async () => {
  const generated = ["# Contents generated by the script make_tables.py; do not edit.", "", 'TABLE = ["a", "b"]', ""];
  assert.deepEqual(ruleIds(await check(creating("tinynet/tables.py", generated))), []);
  const handWritten = ["# Tables.", "", 'TABLE = ["a", "b"]', ""];
  assert.deepEqual(ruleIds(await check(creating("tinynet/tables.py", handWritten))), ["python/quotes"]);
});

test("names from code that are also Object's own (constructor, toString) are tallied like any other", async () => {
  const { mineWorkspace } = await import("../../../agent/conventions/miner");
  const { mkdtempSync, writeFileSync, rmSync } = await import("node:fs");
  const { join } = await import("node:path");
  const { tmpdir } = await import("node:os");
  const root = mkdtempSync(join(tmpdir(), "ghost-proto-"));
  try {
    writeFileSync(join(root, "a.py"), "def constructor(x):\n    return x\n\n\ndef use():\n    constructor(1)\n    toString(2)\n");
    writeFileSync(join(root, "b.py"), "def use_again():\n    constructor(3)\n");
    const profile = await mineWorkspace(root);
    const name: string = "constructor";
    assert.equal(profile.tallies.python?.call?.[name]?.n, 2);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("the rendered profile shows where a statement holds and where it is broken", async () => {
  const { renderProfile } = await import("../../../agent/conventions/summary");
  const lines = renderProfile(await profileOf("py-script")).split("\n");
  assert.ok(lines.includes("    · functions rarely contain a try/except: 1 of 19 do — 18 of 19 (tinynet/data.py:16, tinynet/data.py:21, tinynet/data.py:29; not at tinynet/data.py:38)  [python/function-try]"), lines.join("\n"));
});
