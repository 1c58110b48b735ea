// Revert undoes Ghost's write: the exact bytes from before when nobody touched the file since; Ghost's edits undone
// and the user's kept when the user edited elsewhere; a conflict when the user changed what Ghost changed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { applyFile } from "../../diffing/apply";
import { diffFile } from "../../diffing/change-set";
import { revertFile, type RevertResult } from "../../diffing/revert";
import { assertBytes, randomFile, textOf, toBytes } from "./model";
import { forEachSeed, randomEdits } from "./random";

const bytes = (text: string) => new TextEncoder().encode(text);
const maybe = (text: string | null) => (text === null ? null : bytes(text));

/** One line: `reverted "bytes"`, `reverted null` (removed), or `conflict @line ...`. */
function revert(before: string | null, after: string | null, current: string | null): string {
  const result: RevertResult = revertFile({ path: "f.txt", before: maybe(before), after: maybe(after) }, maybe(current));
  if (result.kind === "conflict") return `conflict ${result.conflicts.map((conflict) => `@${conflict.line ?? "file"}`).join(" ")}`;
  return `reverted ${result.bytes === null ? "null" : JSON.stringify(Buffer.from(result.bytes).toString())}`;
}

test("untouched since: the exact bytes from before, whatever their format", () => {
  assert.equal(revert("\uFEFFa\r\nb\rc", "\uFEFFa\r\nB\rc", "\uFEFFa\r\nB\rc"), `reverted "\uFEFFa\\r\\nb\\rc"`);
});

test("delete a file and revert; create a file and revert", () => {
  assert.equal(revert("gone\r\n", null, null), `reverted "gone\\r\\n"`);
  assert.equal(revert(null, "new\n", "new\n"), "reverted null");
});

test("whole-file conflicts: created file edited since, deleted file created again, changed file deleted since", () => {
  assert.equal(revert(null, "new\n", "new\nmine\n"), "conflict @file");
  assert.equal(revert("old\n", null, "mine\n"), "conflict @file");
  assert.equal(revert("old\n", "new\n", null), "conflict @file");
});

test("the user edited elsewhere since: Ghost's edit is undone, the user's stays", () => {
  const before = "1\n2\n3\n4\n5\n6\n7\n8\n";
  const after = "1\n2\nTHREE\n4\n5\n6\n7\n8\n";
  assert.equal(revert(before, after, "0\n1\n2\nTHREE\n4\n5\n6\n7 mine\n8\n"), `reverted "0\\n1\\n2\\n3\\n4\\n5\\n6\\n7 mine\\n8\\n"`);
  assert.equal(revert(before, after, "1\n2\nTHREE\n4\n5\n6\n"), `reverted "1\\n2\\n3\\n4\\n5\\n6\\n"`);
});

test("the user changed a line Ghost wrote, or typed right next to it: a conflict, and nothing is reverted", () => {
  const before = "1\n2\n3\n4\n5\n6\n7\n8\n";
  const after = "1\n2\nTHREE\n4\n5\n6\n7\n8\n";
  assert.equal(revert(before, after, "1\n2\nTHREE!\n4\n5\n6\n7\n8\n"), "conflict @3");
  assert.equal(revert(before, after, "1\n2\nTHREE\nmine\n4\n5\n6\n7\n8\n"), "conflict @4");
  assert.equal(revert(before, after, "1\n2\n4\n5\n6\n7\n8\n"), "conflict @3");
});

test("restored lines get their own endings back, even the one that stopped being the last line", () => {
  // Ghost deleted the last line of a file without final newline, so "c" lost its LF; the user then edited "a".
  assert.equal(revert("a\r\nb\rc\nd", "a\r\nb\rc", "A!\r\nb\rc"), `reverted "A!\\r\\nb\\rc\\nd"`);
});

test("property: apply everything, then revert, gives back the original bytes exactly", () => {
  const kinds = { modify: 0, create: 0, delete: 0 };
  forEachSeed(400, (random) => {
    const file = randomFile(random);
    const kind = random.pick(["modify", "modify", "modify", "create", "delete"] as const);
    const original = kind === "create" ? null : toBytes(file);
    const proposed = kind === "delete" ? null : textOf(randomEdits(random, file.lines.map((line) => line.text)).map((text) => ({ text })));
    const diff = diffFile({ path: "f.txt", original, proposed });
    assert.ok(!("reason" in diff));
    const applied = applyFile(diff, "accept", original);
    assert.equal(applied.kind, "applied");
    if (applied.kind !== "applied") return;
    if (kind === "delete") assert.equal(applied.bytes, null);
    const reverted = revertFile({ path: "f.txt", before: original, after: applied.bytes }, applied.bytes);
    assert.equal(reverted.kind, "reverted");
    if (reverted.kind === "reverted") assertBytes(reverted.bytes, original);
    kinds[kind]++;
  });
  if (!process.env.GHOST_SEED) assert.ok(Object.values(kinds).every((count) => count > 40), JSON.stringify(kinds));
});
