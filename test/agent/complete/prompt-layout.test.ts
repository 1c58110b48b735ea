// The cross-file snippets' layout between keystrokes: what entered keeps its place, newcomers join at the end, and
// when room is needed the snippets no longer asked for leave first.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { ContextSnippet } from "../../../agent/complete/context";
import { PromptLayout } from "../../../agent/complete/prompt-layout";

const snippet = (path: string): ContextSnippet => ({ kind: "definition", path, line: 0, text: "x".repeat(18), reason: path });
const render = (snippets: ContextSnippet[]) => snippets.map((s) => s.path).join(" ");
/** Each snippet costs 18 + 1 + 2 = 21 characters. */
const room = (count: number) => count * 21;

test("snippets that entered keep their order while the candidates change; new ones join at the end", () => {
  const layout = new PromptLayout();
  assert.equal(render(layout.arrange("doc", [snippet("b"), snippet("a")], room(4))), "b a");
  assert.equal(render(layout.arrange("doc", [snippet("c"), snippet("a")], room(4))), "b a c");
  assert.equal(render(layout.arrange("doc", [snippet("a"), snippet("b"), snippet("c")], room(4))), "b a c");
});

test("when a newcomer needs room, the oldest snippet no longer asked for leaves first", () => {
  const layout = new PromptLayout();
  layout.arrange("doc", [snippet("a"), snippet("b"), snippet("c")], room(3));
  assert.equal(render(layout.arrange("doc", [snippet("a"), snippet("d")], room(3))), "a c d");
  assert.equal(render(layout.arrange("other", [snippet("z")], room(3))), "z");
});

test("a budget for one snippet takes the highest-priority candidate", () => {
  const layout = new PromptLayout();
  assert.equal(render(layout.arrange("doc", [snippet("b"), snippet("a")], room(1))), "b");
});
