// `ghost conventions` and `ghost check`, called in-process with their arguments: what they print and the exit
// code they return (usage errors are thrown as UsageError, which the CLI turns into exit code 2).
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { profileSchema } from "../../../agent/conventions/profile";
import { check } from "../../../cli/check";
import { conventions } from "../../../cli/conventions";
import { UsageError } from "../../../cli/options";
import { fixture, fixtures, grownFixture } from "./helpers";

async function run(t: TestContext, command: (args: string[]) => Promise<number>, args: string[]): Promise<{ code: number; out: string }> {
  const printed: string[] = [];
  t.mock.method(console, "log", (text: string) => printed.push(text));
  const code = await command(args);
  return { code, out: printed.join("\n") };
}

const patch = (name: string) => join(fixtures, "patches", name);

test("conventions DIR prints the readable summary; --json prints the profile", async (t) => {
  const text = await run(t, conventions, [fixture("py-allreduce")]);
  assert.equal(text.code, 0);
  assert.match(text.out, /^Conventions of 8 files \(Python 8\)/);
  const json = await run(t, conventions, [fixture("py-allreduce"), "--json"]);
  assert.equal(profileSchema.parse(JSON.parse(json.out)).files, 8);
});

test("check exits 1 and prints the flag when the patch breaks a convention", async (t) => {
  const { code, out } = await run(t, check, [patch("add-ddp.patch"), "--root", fixture("py-allreduce")]);
  assert.equal(code, 1);
  assert.deepEqual(out.split("\n"), [
    "nanotrain/parallel.py:2  warning  adds DistributedDataParallel, which this repository never uses; it syncs gradients with torch.distributed collectives (nanotrain/optim.py:25)  [python/alternatives:gradient-sync] (also lines 7)",
    "nanotrain/parallel.py:2  note  imports torch.nn.parallel, which this repository has never imported",
    "1 flag",
  ]);
});

test("check exits 0 when the patch follows the conventions, and --json gives flags and notes", async (t) => {
  const { code, out } = await run(t, check, [patch("add-ddp.patch"), "--root", fixture("py-ddp")]);
  assert.deepEqual([code, out], [0, "follows the repository's conventions"]);
  // ts-fetch grown by copies of its own files: enough files for its try convention to be enforced.
  const json = await run(t, check, [patch("add-try-catch.patch"), "--root", grownFixture("ts-fetch"), "--json"]);
  assert.equal(json.code, 1);
  assert.deepEqual(JSON.parse(json.out).flags.map((flag: { ruleId: string }) => flag.ruleId), ["javascript/function-try"]);
});

test("check --disable switches a statement off", async (t) => {
  const root = grownFixture("ts-fetch");
  assert.equal((await run(t, check, [patch("add-try-catch.patch"), "--root", root])).code, 1, "flagged while on");
  const { code } = await run(t, check, [patch("add-try-catch.patch"), "--root", root, "--disable", "javascript/function-try"]);
  assert.equal(code, 0);
});

test("usage errors: no patch, a missing patch, a folder that is not one, text that is not a diff", async (t) => {
  await assert.rejects(run(t, check, []), UsageError);
  await assert.rejects(run(t, check, [patch("missing.patch")]), /is not a file/);
  await assert.rejects(run(t, check, [patch("add-ddp.patch"), "--root", patch("add-ddp.patch")]), /is not a folder/);
  await assert.rejects(run(t, check, [join(fixture("ts-fetch"), "AGENTS.md"), "--root", fixture("ts-fetch")]), UsageError);
  await assert.rejects(run(t, conventions, ["a", "b"]), UsageError);
});
