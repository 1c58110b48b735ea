// Accepting per file, per hunk or per line applies exactly what was accepted, and reports the rest for the agent.
import { test } from "node:test";
import assert from "node:assert/strict";
import { applyPatch } from "diff";
import { applyFile } from "../../diffing/apply";
import { diffFile, type FileDiff } from "../../diffing/change-set";
import { describeRejections } from "../../diffing/render";
import { selectedText, selectFile, selectionSchema } from "../../diffing/selection";
import { assertBytes, dominant, expected, hunkSteps, parse, randomChoice, randomFile, steps, textOf, toBytes, type SelectionMode } from "./model";
import { forEachSeed, randomEdits } from "./random";

const bytes = (text: string) => new TextEncoder().encode(text);

function diff(original: string | null, proposed: string | null): FileDiff {
  const result = diffFile({ path: "f.txt", original: original === null ? null : bytes(original), proposed });
  assert.ok(!("reason" in result));
  return result;
}

test("per line: accepting one removed and one added line of a hunk makes exactly those two edits", () => {
  const d = diff("a\nb\nc\nd\n", "a\nB\nC\nd\n");
  assert.equal(d.hunks[0]!.lines.join(" "), " a -b -c +B +C  d");
  const choice = { hunks: { [d.hunks[0]!.id]: { lines: [1, 4] } } }; // "-b" and "+C"
  assert.equal(selectedText(d, choice), "a\nc\nC\nd\n");
  assert.equal(describeRejections([selectFile(d, choice).rejection!]), `f.txt: rejected\nhunk ${d.hunks[0]!.id} at line 1:\n-c\n+B`);
});

test("per hunk: unnamed hunks are rejected; per file: accept and reject", () => {
  const original = Array.from({ length: 20 }, (_, index) => `${index}`).join("\n");
  const d = diff(original, original.replace("2", "two").replace("17", "seventeen"));
  assert.equal(d.hunks.length, 2);
  assert.equal(selectedText(d, { hunks: { [d.hunks[1]!.id]: "accept" } }), original.replace("17", "seventeen") + "\n");
  assert.equal(selectedText(d, "accept"), d.newText);
  assert.equal(selectedText(d, "reject"), d.oldText);
  assert.deepEqual(selectFile(d, "reject").rejection?.hunks.map((hunk) => hunk.lines.join(",")), ["-2,+two", "-17,+seventeen"]);
});

test("create and delete, whole or in part", () => {
  const created = diff(null, "x\ny\n");
  assert.deepEqual([selectedText(created, "accept"), selectedText(created, "reject")], ["x\ny\n", null]);
  assert.equal(selectedText(created, { hunks: { [created.hunks[0]!.id]: { lines: [1] } } }), "y\n");
  const deleted = diff("x\ny\n", null);
  assert.deepEqual([selectedText(deleted, "accept"), selectedText(deleted, "reject")], [null, "x\ny\n"]);
  assert.equal(selectedText(deleted, { hunks: { [deleted.hunks[0]!.id]: { lines: [0] } } }), "y\n"); // not deleted: one line stays
  assert.equal(selectedText(deleted, { hunks: { [deleted.hunks[0]!.id]: { lines: [0, 1] } } }), null);
});

test("a choice that names a hunk or line the proposal does not have is a bug, and says so", () => {
  const d = diff("a\n", "b\n");
  assert.throws(() => selectFile(d, { hunks: { nope: "accept" } }), /names hunks not in the proposal: nope/);
  assert.throws(() => selectFile(d, { hunks: { [d.hunks[0]!.id]: { lines: [7] } } }), /has no "\+" or "-" line at 7/);
  assert.equal(selectionSchema.safeParse({ "a.ts": { hunks: { x: { lines: [-1] } } } }).success, false);
});

test("property: a partial accept applies exactly the accepted lines", () => {
  const modes: SelectionMode[] = ["accept", "reject", "hunks", "lines", "lines"];
  let partial = 0;
  forEachSeed(500, (random) => {
    const original = randomFile(random);
    const originalBytes = toBytes(original);
    const proposedLines = randomEdits(random, original.lines.map((line) => line.text));
    const proposed = proposedLines.join(random.chance(0.2) ? "\r\n" : "\n") + (random.chance(0.7) ? "\n" : "");
    const d = diffFile({ path: "f.txt", original: originalBytes, proposed });
    assert.ok(!("reason" in d));
    const [oldText, newText] = [textOf(original.lines), textOf(parse(bytes(proposed)).lines)];
    assert.deepEqual([d.oldText, d.newText], [oldText, newText]);

    // The expected result walks jsdiff's diffLines with the accepted steps, keeping each old line's own ending.
    const all = steps(oldText, newText);
    const map = hunkSteps(all, d.hunks);
    const mode = random.pick(modes);
    const { choice, accepted } = randomChoice(random, d.hunks, map, mode);
    const want = expected(all, accepted, (old) => [original.lines[old]!]).lines;
    assert.equal(selectedText(d, choice), textOf(want));
    const result = applyFile(d, choice, originalBytes);
    assert.equal(result.kind, "applied");
    assertBytes(result.kind === "applied" ? result.bytes : null, toBytes({ ...original, lines: want }, dominant(original)));

    // Per hunk, a second oracle: jsdiff's own applyPatch with only the accepted hunks.
    if (mode === "hunks" && typeof choice === "object") {
      const hunks = d.hunks.filter((hunk) => choice.hunks[hunk.id] === "accept");
      const patched = applyPatch(oldText, { oldFileName: "f", newFileName: "f", oldHeader: "", newHeader: "", hunks });
      assert.equal(selectedText(d, choice), patched);
    }
    const rejected = d.hunks.map((hunk, h) => hunk.lines.filter((_, index) => map[h]![index]! >= 0 && !accepted.has(map[h]![index]!)));
    const reported = selectFile(d, choice).rejection?.hunks ?? [];
    assert.deepEqual(reported.map((hunk) => hunk.lines), rejected.filter((lines) => lines.length > 0));
    if (accepted.size > 0 && accepted.size < map.flat().filter((step) => step >= 0).length) partial++;
  });
  if (!process.env.GHOST_SEED) assert.ok(partial > 100, `only ${partial} partial selections`);
});
