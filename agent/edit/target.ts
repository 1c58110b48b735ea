// What an edit rewrites: the selection as whole lines, or, with nothing selected, the innermost function or method
// around the cursor (from tree-sitter tags). Knows one file's text; nothing of the model.
import { languageOf } from "../context/languages";
import { loadLanguage } from "../context/parser";
import { tagsOf } from "../context/tags";

export interface EditTarget {
  /** Character offsets of the rewritten region: whole lines, ending after a line break where there is one. */
  start: number;
  end: number;
  /** 0-based lines, inclusive. */
  startLine: number;
  endLine: number;
  text: string;
}

/** The region of whole lines covering [start, end). */
export function linesTarget(text: string, start: number, end: number): EditTarget {
  const from = text.lastIndexOf("\n", start - 1) + 1;
  const endsAtLineStart = end > start && text[end - 1] === "\n";
  const lineEnd = endsAtLineStart ? end : text.indexOf("\n", end);
  const to = lineEnd < 0 ? text.length : endsAtLineStart ? lineEnd : lineEnd + 1;
  const startLine = text.slice(0, from).split("\n").length - 1;
  const region = text.slice(from, to);
  return { start: from, end: to, startLine, endLine: startLine + Math.max(0, region.replace(/\n$/, "").split("\n").length - 1), text: region };
}

const functionKinds = new Set(["function", "method"]);

/** The innermost function or method whose lines contain `offset`, or null when the cursor is in none. */
export async function enclosingFunction(path: string, text: string, offset: number): Promise<EditTarget | null> {
  const spec = languageOf(path);
  if (!spec) return null;
  const loaded = await loadLanguage(spec);
  const tree = loaded.parser.parse(text);
  if (!tree) return null;
  const { definitions } = tagsOf(loaded, text, tree);
  tree.delete();
  const line = text.slice(0, offset).split("\n").length - 1;
  const inner = definitions
    .filter((definition) => functionKinds.has(definition.kind) && definition.line <= line && line <= definition.endLine)
    .sort((a, b) => a.endLine - a.line - (b.endLine - b.line))[0];
  if (!inner) return null;
  const lines = text.split("\n");
  const start = lines.slice(0, inner.line).reduce((sum, lineText) => sum + lineText.length + 1, 0);
  const end = lines.slice(0, inner.endLine + 1).reduce((sum, lineText) => sum + lineText.length + 1, 0);
  return linesTarget(text, start, Math.min(end, text.length));
}
