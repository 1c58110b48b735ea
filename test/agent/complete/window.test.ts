import { test } from "node:test";
import assert from "node:assert/strict";
import { cursorWindow } from "../../../agent/complete/window";

const file = Array.from({ length: 200 }, (_, line) => `line ${line}`).join("\n");
const offsetOf = (line: number, column: number) => file.split("\n").slice(0, line).join("\n").length + (line > 0 ? 1 : 0) + column;

test("prefix and suffix are cut at line boundaries within their budgets", () => {
  const window = cursorWindow(file, offsetOf(150, 4), { prefixChars: 300, suffixChars: 100, suffixLines: 3, anchorLines: 8 });
  assert.ok(window.prefix.length <= 300);
  assert.ok(window.prefix.startsWith("line ") && window.prefix.endsWith("\nline"));
  assert.equal(window.suffix, " 150\nline 151\nline 152\nline 153");
  assert.deepEqual([window.cursorLine, window.cursorColumn], [150, 4]);
  assert.equal(window.prefixStartLine % 8, 0);
});

test("the prefix's first line holds still while the cursor moves within the anchor grid", () => {
  const limits = { prefixChars: 400, suffixChars: 100, suffixLines: 3, anchorLines: 16 };
  const starts = new Set([100, 101, 102, 103].map((line) => cursorWindow(file, offsetOf(line, 2), limits).prefixStartLine));
  assert.equal(starts.size, 1);
});

test("a cursor near the top takes the whole file before it", () => {
  const window = cursorWindow(file, offsetOf(2, 0));
  assert.equal(window.prefix, "line 0\nline 1\n");
  assert.equal(window.prefixStartLine, 0);
});
