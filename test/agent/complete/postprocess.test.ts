import { test } from "node:test";
import assert from "node:assert/strict";
import { postprocess, trimSuffixOverlap, trimUnbalancedClosers } from "../../../agent/complete/postprocess";

test("text the suffix already has is not suggested again", () => {
  assert.equal(trimSuffixOverlap("add(a, b);", ");"), "add(a, b");
  assert.equal(trimSuffixOverlap("value)", "  )\nnext"), "value");
  assert.equal(trimSuffixOverlap("value", "other"), "value");
});

test("a closing bracket the completion did not open ends it", () => {
  assert.equal(trimUnbalancedClosers("a, b) + c"), "a, b");
  assert.equal(trimUnbalancedClosers("f(x[0]) }"), "f(x[0]) ");
  assert.equal(trimUnbalancedClosers("{ a: [1, 2] }"), "{ a: [1, 2] }");
});

test("whitespace-only results are dropped; trailing newlines go, trailing spaces stay", () => {
  assert.equal(postprocess("   \n ", ""), "");
  assert.equal(postprocess("return a + b;\n\n", ""), "return a + b;");
  assert.equal(postprocess("x = ", ""), "x = ");
});
