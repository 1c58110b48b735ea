// edit_file's search/replace: exactly one occurrence, exact first, then line by line ignoring trailing whitespace.
import { test } from "node:test";
import assert from "node:assert/strict";
import { searchReplace } from "../../../agent/tools/search-replace";

const show = (text: string, search: string, replace: string) => {
  const result = searchReplace(text, search, replace);
  return result.ok ? JSON.stringify(result.text) : `error: ${result.reason}`;
};

test("an exact, unique occurrence is replaced", () => {
  assert.equal(show("a\nb\nc\n", "b\n", "B\n"), `"a\\nB\\nc\\n"`);
  assert.equal(show("let x = 1;\n", "1", "2"), `"let x = 2;\\n"`);
  assert.equal(show("a\nb\nc\n", "b\r\n", "B\r\n"), `"a\\nB\\nc\\n"`);
});

test("trailing whitespace is forgiven, line by line, and the replacement keeps whole lines", () => {
  assert.equal(show("if (a) {  \n  go();\n}\n", "if (a) {\n  go();", "if (b) {\n  stop();"), `"if (b) {\\n  stop();\\n}\\n"`);
  assert.equal(show("x  \ny\n", "x\n", ""), `"y\\n"`);
});

test("none or several occurrences are errors the model can act on", () => {
  assert.equal(show("a\na\n", "a", "b"), "error: the search text occurs 2 times; include more lines so it occurs once");
  assert.equal(show("a \nb\na\t\nb\n", "a\nb", "c"), "error: the search text occurs 2 times; include more lines so it occurs once");
  assert.equal(show("a\n", "z", "b"), "error: the search text does not occur in the file; read the file and copy the lines exactly");
});

test("a long search text against a long repetitive file ends at once, counting up to 10", () => {
  const file = "a\n".repeat(2_000_000);
  const started = Date.now();
  assert.equal(show(file, "a \n".repeat(100_000), "b\n"), "error: the search text occurs 10 or more times; include more lines so it occurs once");
  assert.equal(show(file, "a\n".repeat(100_000), "b\n"), "error: the search text occurs 10 or more times; include more lines so it occurs once");
  assert.ok(Date.now() - started < 5000, `${Date.now() - started} ms`);
  assert.equal(show("x\na  \nb\nx\n", "a\nb", "c"), `"x\\nc\\nx\\n"`);
});
