// Apply writes the accepted parts into the file as it is now: its format kept, the user's later edits kept, and a
// conflict, never an overwrite, where the user changed what a hunk changes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { applyFile, type ApplyResult } from "../../diffing/apply";
import { diffFile, type FileDiff } from "../../diffing/change-set";
import type { FileChoice } from "../../diffing/selection";

const bytes = (text: string) => new TextEncoder().encode(text);
const show = (data: Uint8Array | null | undefined) => (data ? JSON.stringify(Buffer.from(data).toString()) : String(data));

function diff(original: string | null, proposed: string | null): FileDiff {
  const result = diffFile({ path: "f.txt", original: original === null ? null : bytes(original), proposed });
  assert.ok(!("reason" in result));
  return result;
}

/** One line: `applied "bytes"` or `conflict h2@7 ... partial "bytes"` (hN: the Nth hunk; @line in the current file). */
function render(d: FileDiff, result: ApplyResult): string {
  if (result.kind === "applied") return `applied ${show(result.bytes)}`;
  const name = (id: string | null) => (id === null ? "file" : `h${d.hunks.findIndex((hunk) => hunk.id === id) + 1}`);
  const conflicts = result.conflicts.map((conflict) => `${name(conflict.hunkId)}@${conflict.line ?? "-"}`).join(" ");
  return `conflict ${conflicts} partial ${show(result.partial)}`;
}

function apply(original: string | null, proposed: string | null, current: string | null = original, choice: FileChoice = "accept"): string {
  const d = diff(original, proposed);
  return render(d, applyFile(d, choice, current === null ? null : bytes(current)));
}

test("the file's format is kept: CRLF, no final newline, BOM, mixed endings", () => {
  assert.equal(apply("a\r\nb\r\n", "a\nb\nc\n"), `applied "a\\r\\nb\\r\\nc\\r\\n"`);
  assert.equal(apply("a\nb", "a\nB\n"), `applied "a\\nB"`);
  assert.equal(apply("a\nb", "a\nb\nc"), `applied "a\\nb\\nc"`);
  assert.equal(apply("\uFEFFa\nb\n", "a\nB\n"), `applied "\uFEFFa\\nB\\n"`);
  assert.equal(apply("a\r\nb\nc\r\nd\r\n", "a\nb\nx\nc\nd\n"), `applied "a\\r\\nb\\nx\\r\\nc\\r\\nd\\r\\n"`);
  assert.equal(apply("a\rb\r", "a\nB\n"), `applied "a\\rB\\r"`);
});

// Lines 1..14; the proposal changes line 3 and line 13: two hunks, 3 lines of context each.
const numbers = Array.from({ length: 14 }, (_, index) => `${index + 1}\n`).join("");
const proposal = numbers.replace("3\n", "THREE\n").replace("13\n", "THIRTEEN\n");
const wanted = (text: string) => JSON.stringify(text.replace(/^3$/m, "THREE").replace(/^13$/m, "THIRTEEN"));

test("the user kept typing elsewhere: the hunks move past the user's lines, and the user's lines stay", () => {
  const typed = "0\n" + numbers.replace("8\n", "8 typed\n");
  assert.equal(apply(numbers, proposal, typed), `applied ${wanted(typed)}`);
  assert.equal(apply(numbers, proposal, numbers.replace("8\n", "")), `applied ${wanted(numbers.replace("8\n", ""))}`);
  // The user's own CRLF line in an LF file keeps its CRLF.
  assert.equal(apply(numbers, proposal, numbers.replace("8\n", "8\r\n")), `applied ${wanted(numbers.replace("8\n", "8\r\n"))}`);
});

test("the user changed what a hunk changes: that hunk is a conflict, the other applies, the user's text stays", () => {
  const partial = (current: string, clash: "h1" | "h2") =>
    JSON.stringify(clash === "h1" ? current.replace(/^13$/m, "THIRTEEN") : current.replace(/^3$/m, "THREE"));
  const mine = numbers.replace("3\n", "3 mine\n");
  assert.equal(apply(numbers, proposal, mine), `conflict h1@3 partial ${partial(mine, "h1")}`);
  const gone = numbers.replace("13\n", "");
  assert.equal(apply(numbers, proposal, gone), `conflict h2@13 partial ${partial(gone, "h2")}`);
  // Touching counts: a line typed right next to a changed line makes the order a guess.
  const next = numbers.replace("2\n", "2\nmine\n");
  assert.equal(apply(numbers, proposal, next), `conflict h1@3 partial ${partial(next, "h1")}`);
  // The user already made the same change: nothing left to do, no conflict.
  const same = numbers.replace("3\n", "THREE\n");
  assert.equal(apply(numbers, proposal, same), `applied ${wanted(same)}`);
});

test("a user edit too big for jsdiff to align still only claims the lines it changed", () => {
  const file = Array.from({ length: 5000 }, (_, index) => `line ${index}\n`).join("");
  const proposed = file.replace("line 10\n", "line ten\n");
  const rewritten = file.replace(/^line (2\d\d\d)$/gm, "rewritten $1"); // lines 2000-2999: 2,000 lines changed
  assert.equal(apply(file, proposed, rewritten), `applied ${JSON.stringify(rewritten.replace("line 10\n", "line ten\n"))}`);
  const over = file.replace(/^line ([1-3]\d)$/gm, "mine $1"); // lines 10-39, with the line the hunk changes
  assert.match(apply(file, proposed, over.replace(/^line (2\d\d\d)$/gm, "rewritten $1")), /^conflict h1@/);
});

test("whole-file conflicts: deleted since, created since, deleting a file the user edited, a file now binary", () => {
  assert.equal(apply("a\n", "b\n", null), "conflict file@- partial undefined");
  assert.equal(apply(null, "new\n", "mine\n"), "conflict file@- partial undefined");
  assert.equal(apply(null, "new\n", "new\n"), `applied "new\\n"`);
  assert.equal(apply("a\nb\n", null, "a\nb\nmine\n"), "conflict file@- partial undefined");
  assert.equal(apply("a\nb\n", null), "applied null");
  const d = diff("a\n", "b\n");
  assert.equal(render(d, applyFile(d, "accept", new Uint8Array([0xff, 0xfe, 0x61, 0]))), "conflict file@- partial undefined");
});

test("nothing accepted: the current bytes, untouched", () => {
  assert.equal(apply("a\r\n", "b\n", "a\r\nmine", "reject"), `applied "a\\r\\nmine"`);
  assert.equal(apply(null, "b\n", null, "reject"), "applied null");
});
