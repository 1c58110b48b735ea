// A change set shows jsdiff's hunks over the normalized texts, with ids that stay put, and refuses what Ghost must
// not touch. Its JSON form is checked by zod, and its hunks are recomputed, never trusted.
import { test } from "node:test";
import assert from "node:assert/strict";
import { diffFile, diffFiles, fromJson, toJson, workspacePath, type FileDiff } from "../../diffing/change-set";
import { renderHunks, unifiedDiff } from "../../diffing/render";
import { selectedText } from "../../diffing/selection";

const bytes = (text: string) => new TextEncoder().encode(text);

function diff(original: string | null, proposed: string | null, path = "src/a.ts"): FileDiff {
  const result = diffFile({ path, original: original === null ? null : bytes(original), proposed });
  assert.ok(!("reason" in result), JSON.stringify(result));
  return result;
}

test("hunks are jsdiff's, over LF-normalized text, with 3 lines of context", () => {
  const original = "1\r\n2\r\n3\r\n4\r\n5\r\n6\r\n7\r\n8\r\n9\r\n10\r\n11\r\n12\r\n";
  const d = diff(original, "1\n2\nTWO\n3\n4\n5\n6\n7\n8\n9\n10\n12\n");
  assert.equal(renderHunks(d), "@@ -1,5 +1,6 @@\n 1\n 2\n+TWO\n 3\n 4\n 5\n@@ -8,5 +9,4 @@\n 8\n 9\n 10\n-11\n 12");
  assert.equal(d.kind, "modify");
  assert.deepEqual([d.format.eol, d.format.finalNewline, d.format.bom], ["\r\n", true, false]);
});

test("a proposal's own line endings and final newline are not changes", () => {
  assert.equal(renderHunks(diff("a\r\nb\r\n", "a\nb")), "");
  assert.equal(renderHunks(diff("a\nb", "a\r\nb\r\n")), "");
});

test("create and delete: one hunk each, all + or all -; an empty new file has none", () => {
  assert.equal(renderHunks(diff(null, "x\ny\n")), "@@ -1,0 +1,2 @@\n+x\n+y");
  assert.equal(renderHunks(diff("x\ny\n", null)), "@@ -1,2 +1,0 @@\n-x\n-y");
  assert.deepEqual([diff(null, "").kind, diff(null, "").hunks.length, diff("x", null).kind], ["create", 0, "delete"]);
});

test("a rewrite too big for jsdiff to align, fast: one exact hunk between the common start and end", () => {
  const lines = (prefix: string) => Array.from({ length: 3000 }, (_, index) => `${prefix}${index}\n`).join("");
  const started = performance.now();
  const d = diff(`head\n${lines("old ")}tail\n`, `head\n${lines("new ")}tail\n`);
  assert.ok(performance.now() - started < 5000, "the diff gave up in time");
  assert.deepEqual(d.hunks.map(({ oldStart, oldLines, newStart, newLines }) => [oldStart, oldLines, newStart, newLines]), [[1, 3002, 1, 3002]]);
  assert.equal(renderHunks(d).split("\n").slice(0, 4).join("|"), "@@ -1,3002 +1,3002 @@| head|-old 0|-old 1");
  assert.equal(selectedText(d, "accept"), d.newText);
});

test("hunk ids depend on what the hunk changes, so a revised proposal keeps the ids of hunks it left alone", () => {
  const original = Array.from({ length: 40 }, (_, index) => `line ${index}`).join("\n");
  const first = diff(original, original.replace("line 3", "LINE 3").replace("line 30", "LINE 30"));
  const revised = diff(original, original.replace("line 3", "LINE 3").replace("line 30", "Line thirty"));
  assert.equal(first.hunks[0]!.id, revised.hunks[0]!.id);
  assert.notEqual(first.hunks[1]!.id, revised.hunks[1]!.id);
  assert.equal(diff(original, original.replace("line 3", "LINE 3"), "other.ts").hunks[0]!.id === first.hunks[0]!.id, false);
});

test("refused: paths that leave the workspace, binary originals, two proposals for one file", () => {
  const changeSet = diffFiles([
    { path: "../outside.ts", original: null, proposed: "x" },
    { path: "/etc/passwd", original: null, proposed: "x" },
    { path: "src/../../outside.ts", original: null, proposed: "x" },
    { path: "C:/windows.ts", original: null, proposed: "x" },
    { path: "image.png", original: new Uint8Array([0x89, 0x50, 0x00, 0x01]), proposed: "x" },
    { path: "./src/./b.ts", original: null, proposed: "b" },
    { path: "src/b.ts", original: null, proposed: "again" },
  ]);
  assert.deepEqual(changeSet.files.map((file) => file.path), ["src/b.ts"]);
  assert.deepEqual(changeSet.refused.map(({ path, reason }) => `${path}: ${reason}`), [
    "../outside.ts: not a relative path inside the workspace",
    "/etc/passwd: not a relative path inside the workspace",
    "src/../../outside.ts: not a relative path inside the workspace",
    "C:/windows.ts: not a relative path inside the workspace",
    "image.png: binary or unsupported encoding: contains NUL bytes",
    "src/b.ts: proposed twice in one change set",
  ]);
  assert.deepEqual(["a/b/../c", "a//b/", "."].map(workspacePath), ["a/c", "a/b", null]);
});

test("JSON: round trip through zod; hunks are recomputed, so a tampered hunk has no effect", () => {
  const changeSet = diffFiles([{ path: "a.txt", original: bytes("\uFEFFone\r\ntwo\r\n"), proposed: "one\n2\n" }]);
  const json = JSON.parse(JSON.stringify(toJson(changeSet)));
  json.files[0].hunks[0].lines = ["+rm -rf /"];
  const back = fromJson(json);
  assert.ok(back.ok);
  assert.equal(renderHunks(back.changeSet.files[0]!), renderHunks(changeSet.files[0]!));
  assert.deepEqual(back.changeSet.files[0]!.original, changeSet.files[0]!.original);
  const bad = fromJson({ files: [{ path: "../x", original: null, proposed: "x", hunks: [] }], refused: [] });
  assert.equal(bad.ok, false);
  assert.match(bad.ok ? "" : bad.error, /canonical relative POSIX path/);
});

test("unified diff: jsdiff's createTwoFilesPatch, /dev/null for a missing side", () => {
  assert.equal(unifiedDiff(diff(null, "x\n", "n.txt")), `${"=".repeat(67)}\n--- /dev/null\n+++ b/n.txt\n@@ -0,0 +1,1 @@\n+x\n`);
  assert.match(unifiedDiff(diff("a\nb\n", "a\nc\n")), /--- a\/src\/a\.ts\n\+\+\+ b\/src\/a\.ts\n@@ -1,2 \+1,2 @@\n a\n-b\n\+c\n$/);
});
