// Incremental reparsing: the tree after a sequence of edits, each reparsed from the previous tree, is the tree a
// fresh parse gives (compared as S-expressions).
import { test } from "node:test";
import assert from "node:assert/strict";
import { DocumentTrees, editBetween } from "../../../agent/context/document-trees";
import { languageOf } from "../../../agent/context/languages";
import { loadLanguage } from "../../../agent/context/parser";

const steps = [
  "function add(a, b) {\n  return a + b;\n}\n",
  "function add(a, b) {\n  return a + b;\n}\nconst x = add(",
  "function add(a, b) {\n  return a + b;\n}\nconst x = add(1, 2);\n",
  "// header\nfunction add(a, b, c) {\n  return a + b + c;\n}\nconst x = add(1, 2);\n",
  "",
  "class A { m() {} }\n",
];

test("a tree reparsed edit by edit equals a fresh parse at every step", async () => {
  const trees = new DocumentTrees();
  const loaded = await loadLanguage(languageOf("a.ts")!);
  for (const text of steps) {
    const incremental = (await trees.treeOf("a.ts", text))!.tree.rootNode.toString();
    const fresh = loaded.parser.parse(text)!;
    assert.equal(incremental, fresh.rootNode.toString(), JSON.stringify(text));
    fresh.delete();
  }
});

test("the edit between two texts spans exactly what changed", () => {
  const edit = editBetween("let a = 1;\nlet b = 2;\n", "let a = 1;\nlet bee = 2;\n");
  assert.deepEqual(
    [edit.startIndex, edit.oldEndIndex, edit.newEndIndex, edit.startPosition, edit.oldEndPosition, edit.newEndPosition],
    [16, 16, 18, { row: 1, column: 5 }, { row: 1, column: 5 }, { row: 1, column: 7 }],
  );
});
