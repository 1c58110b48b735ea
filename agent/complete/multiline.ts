// Decides whether a completion may span several lines: only when the cursor sits in a block that is still
// empty (`function f() {|}`, a new `def f():` body), decided on the syntax tree. Elsewhere completions stop at the
// end of the line. Knows one file's text and its grammar.
import { DocumentTrees } from "../context/document-trees";
import { languageOf } from "../context/languages";

const blockTypes = new Set(["statement_block", "block", "class_body", "object", "declaration_list", "field_declaration_list", "interface_body", "function_body", "compound_statement"]);

/** `trees` keeps each document's tree between calls, so a keystroke reparses incrementally. Without it the tree is
 *  parsed for this call and freed after it (the wasm heap never shrinks). */
export async function opensEmptyBlock(path: string, text: string, offset: number, trees?: DocumentTrees): Promise<boolean> {
  if (trees) return decide(path, text, offset, trees);
  const once = new DocumentTrees(1);
  const result = await decide(path, text, offset, once);
  once.forget(path);
  return result;
}

async function decide(path: string, text: string, offset: number, trees: DocumentTrees): Promise<boolean> {
  const spec = languageOf(path);
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  const lineEnd = text.indexOf("\n", offset);
  const after = text.slice(offset, lineEnd < 0 ? text.length : lineEnd);
  // Only at the end of what is on the line (or right before the block's own closer).
  if (after.trim() !== "" && !/^\s*[}\])]/.test(after)) return false;
  if (!spec) return /[{:(\[]\s*$/.test(before) || before.trim() === "";
  const parsed = await trees.treeOf(path, text);
  if (!parsed) return false;
  let node = parsed.tree.rootNode.descendantForIndex(Math.max(0, offset - 1));
  while (node && !blockTypes.has(node.type)) node = node.parent;
  if (node) return node.namedChildCount === 0;
  // Python: a `def f():` whose body is not written yet parses as an error ending in a colon.
  return spec.id === "python" && /:\s*$/.test(text.slice(0, offset).trimEnd()) && /\n\s*$/.test(text.slice(0, offset));
}
