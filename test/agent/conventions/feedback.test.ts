// Learning from the user: dismissing a flag lowers its rule's weight until it is no longer enforced; accepting
// suggestions adds their style to the counts; none of it touches the mined tallies. ts-fetch is grown by copies of
// its own files (helpers.ts grownFixture) so that its conventions have files enough to be enforced at all.
import { test } from "node:test";
import assert from "node:assert/strict";
import { checkPatch } from "../../../agent/conventions/checker";
import { adjust } from "../../../agent/conventions/feedback";
import type { Profile } from "../../../agent/conventions/profile";
import { grownProfileOf, readPatch, statement } from "./helpers";

async function flagIds(profile: Profile, patch: string): Promise<string[]> {
  const result = await checkPatch(profile, patch);
  if ("error" in result) throw new Error(result.error);
  return result.flags.map((flag) => flag.ruleId);
}

test("one dismissal leaves a 96% rule off, and an acceptance brings it back", async () => {
  const mined = await grownProfileOf("ts-fetch");
  const dismissed = await adjust(mined, { kind: "flag", ruleId: "javascript/function-try", verdict: "rejected" });
  assert.equal(statement(dismissed, "javascript/function-try").enforced, false);
  assert.deepEqual(await flagIds(dismissed, readPatch("add-try-catch.patch")), []);
  const accepted = await adjust(dismissed, { kind: "flag", ruleId: "javascript/function-try", verdict: "accepted" });
  assert.equal(statement(accepted, "javascript/function-try").enforced, true);
  assert.deepEqual(await flagIds(accepted, readPatch("add-try-catch.patch")), ["javascript/function-try"]);
  assert.deepEqual(accepted.adjustments.rules, { "javascript/function-try": { accepted: 1, rejected: 1 } });
});

test("a unanimous rule survives one dismissal and falls at the second", async () => {
  let profile = await grownProfileOf("ts-fetch");
  const quotes = () => statement(profile, "javascript/quotes");
  profile = await adjust(profile, { kind: "flag", ruleId: "javascript/quotes", verdict: "rejected" });
  assert.equal(quotes().enforced, true);
  assert.equal(quotes().strength, 0.9);
  profile = await adjust(profile, { kind: "flag", ruleId: "javascript/quotes", verdict: "rejected" });
  assert.equal(quotes().enforced, false);
});

test("accepted suggestions in another style count as observations; the mined tallies stay as mined", async () => {
  const mined = await grownProfileOf("ts-fetch");
  let profile = mined;
  for (let i = 0; i < 8; i++) profile = await adjust(profile, { kind: "suggestion", path: "src/x.ts", text: "const a = 'x';\nconst b = 'y';\n", verdict: "accepted" });
  const quotes = statement(profile, "javascript/quotes");
  assert.deepEqual([quotes.value, quotes.n, quotes.m, quotes.enforced], ["double", 56, 72, false]);
  assert.deepEqual(profile.tallies, mined.tallies);
  assert.deepEqual(profile.adjustments.observed["javascript/quotes"], { single: 16 });
});

test("rejecting a suggestion that broke conventions counts as agreeing with each rule it broke", async () => {
  const profile = await adjust(await grownProfileOf("ts-fetch"), { kind: "suggestion", path: "src/x.ts", text: "const a = 'x'\n", verdict: "rejected" });
  assert.deepEqual(profile.adjustments.rules, {
    "javascript/quotes": { accepted: 1, rejected: 0 },
    "javascript/semicolons": { accepted: 1, rejected: 0 },
  });
});
