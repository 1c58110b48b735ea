import assert from "node:assert/strict";
import { test } from "node:test";
import { filesNeeded, supported, wilsonLower } from "../../../agent/conventions/support";
import { checkPatch } from "../../../agent/conventions/checker";
import type { Profile } from "../../../agent/conventions/profile";
import { renderProfile } from "../../../agent/conventions/summary";
import { grownProfileOf, profileOf, statement } from "./helpers";

test("support is counted in files: 15 of 15 is too few for a 90% convention, 150 of 150 is enough", () => {
  assert.ok(!supported(15, 0, 0.9));
  assert.ok(supported(150, 0, 0.9));
  assert.ok(!supported(140, 10, 0.9), "93% of 150 files is not 90% with confidence");
  assert.equal(filesNeeded(0.9), 25);
  // The lower bound lies below the share and closes on it as the files grow.
  assert.ok(wilsonLower(9, 10) < 0.9 && wilsonLower(900, 1000) > 0.88 && wilsonLower(900, 1000) < 0.9);
  assert.equal(wilsonLower(0, 0), 0);
});

test("the gate: double quotes in 7 of 7 files are stated but not enforced; in 30 of 30 files they are, and a single-quoted string is flagged", async () => {
  // A new single-quoted string in an existing file, checked against ts-fetch as written (7 files with strings) and
  // grown by 23 copies of its own src/stats.ts (30 files with strings, none single-quoted).
  const patch = ["--- a/src/stats.ts", "+++ b/src/stats.ts", "@@ -1,3 +1,4 @@", ' import type { Order } from "./api-client";', "+const SEPARATOR = ', ';", " ", " export function mean(values: number[]): number {"].join("\n");
  const flagged = async (profile: Profile) => {
    const result = await checkPatch(profile, patch);
    if ("error" in result) throw new Error(result.error);
    return result.flags.map((flag) => `${flag.line} ${flag.ruleId}`);
  };
  const few = await profileOf("ts-fetch");
  const fewQuotes = statement(few, "javascript/quotes");
  assert.deepEqual([fewQuotes.text, fewQuotes.enforced], ["plain strings always use double quotes", false]);
  assert.equal(fewQuotes.support, "not enforced: too few examples (7 of 7 files; 11 would show it)");
  assert.deepEqual(await flagged(few), []);
  assert.ok(renderProfile(few).includes("· plain strings always use double quotes — 32 of 32"), "stated, marked as not enforced");

  const many = await grownProfileOf("ts-fetch", 23);
  const manyQuotes = statement(many, "javascript/quotes");
  assert.deepEqual([manyQuotes.text, manyQuotes.enforced, manyQuotes.support], ["plain strings always use double quotes", true, "enforced: 30 of 30 files keep it"]);
  assert.deepEqual(await flagged(many), ["2 javascript/quotes"]);
});

test("one file that breaks a convention costs more support than one more file that keeps it adds", () => {
  assert.ok(supported(11, 0, 0.8) && !supported(10, 0, 0.8), "11 files with no exception are the fewest");
  assert.ok(!supported(12, 1, 0.8), "12 of 13 is too few once one breaks it");
  assert.ok(supported(30, 1, 0.8));
  assert.deepEqual([filesNeeded(0.8), filesNeeded(0.8, 1)], [11, 20], "with one file breaking it: 19 that keep it, 20 in all");
});

test("every enforced mined statement names the files behind it, and every one held back says how many more it needs", async () => {
  for (const profile of [await profileOf("ts-fetch"), await grownProfileOf("ts-fetch"), await grownProfileOf("py-allreduce")]) {
    for (const entry of profile.statements.filter((candidate) => candidate.support)) {
      const enforced = /^enforced: (\d+) of (\d+) files keep it$/.exec(entry.support!);
      const held = /^not enforced: too few examples \((\d+) of (\d+) files; (\d+) would show it\)$/.exec(entry.support!);
      assert.ok(enforced || held, entry.support);
      const [keep, all] = [Number((enforced ?? held)![1]), Number((enforced ?? held)![2])];
      assert.equal(entry.enforced, Boolean(enforced), entry.text);
      assert.equal(supported(keep, all - keep, 0.8), Boolean(enforced), entry.support);
      if (held) assert.equal(Number(held[3]), filesNeeded(0.8, all - keep), entry.support);
    }
    assert.ok(profile.statements.every((entry) => !entry.enforced || entry.declared !== null || entry.support || entry.key.startsWith("alternatives")), "an enforced mined statement without its files");
  }
});
