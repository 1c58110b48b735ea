// The multi-line decision on real tree-sitter parses: only an empty block at the cursor opens it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { opensEmptyBlock } from "../../../agent/complete/multiline";

/** `|` marks the cursor. */
const at = (path: string, marked: string) => opensEmptyBlock(path, marked.replace("|", ""), marked.indexOf("|"));

test("an empty function body opens a block (TypeScript, JavaScript, Go, Rust, Java)", async () => {
  assert.equal(await at("a.ts", "function f(a: number) {\n  |\n}\n"), true);
  assert.equal(await at("a.ts", "function f() {|}"), true);
  assert.equal(await at("a.js", "class A {\n  m() {\n    |\n  }\n}\n"), true);
  assert.equal(await at("a.go", "package m\nfunc f() {\n\t|\n}\n"), true);
  assert.equal(await at("a.rs", "fn f() {\n    |\n}\n"), true);
  assert.equal(await at("A.java", "class A {\n  void f() {\n    |\n  }\n}\n"), true);
});

test("a Python def without a body opens a block", async () => {
  assert.equal(await at("a.py", "def f(x):\n    |"), true);
});

test("a block that already has code, or a cursor mid-line, stays single-line", async () => {
  assert.equal(await at("a.ts", "function f() {\n  const a = 1;\n  |\n}\n"), false);
  assert.equal(await at("a.ts", "const x = |;\n"), false);
  assert.equal(await at("a.ts", "const total = add(|, 2);\n"), false);
  assert.equal(await at("a.py", "def f(x):\n    return x\n|"), false);
});
