// Tags of one source file: the symbols it defines (with the line that declares them) and the names it references,
// from the grammar's own tags.scm query. Knows one file's text; nothing about the workspace.
import type { Tree } from "web-tree-sitter";
import type { LoadedLanguage } from "./parser";

export interface Definition {
  name: string;
  /** function, method, class, interface, module, ... (from the query's @definition.KIND capture). */
  kind: string;
  /** 0-based line of the declaration's first line. */
  line: number;
  endLine: number;
  /** The declaration's head: its first lines up to the body, e.g. `export function add(a: number, b: number): number`. */
  signature: string;
}

export interface FileTags {
  definitions: Definition[];
  /** Names referenced (called, instantiated, typed), each once. */
  references: string[];
}

const maxSignatureLines = 6;

export function tagsOf(loaded: LoadedLanguage, text: string, tree: Tree): FileTags {
  const definitions: Definition[] = [];
  const references = new Set<string>();
  for (const match of loaded.tagsQuery.matches(tree.rootNode)) {
    const name = match.captures.find((capture) => capture.name === "name")?.node;
    const role = match.captures.find((capture) => capture.name.startsWith("definition.") || capture.name.startsWith("reference."));
    if (!name || !role) continue;
    if (role.name.startsWith("reference.")) {
      references.add(name.text);
      continue;
    }
    const node = role.node;
    definitions.push({
      name: name.text,
      kind: role.name.slice("definition.".length),
      line: node.startPosition.row,
      endLine: node.endPosition.row,
      signature: signatureOf(text, node.startIndex, node.endIndex),
    });
  }
  return { definitions, references: [...references] };
}

/** The declaration up to its body's opening brace or colon, at most a few lines: what a caller needs to know. */
function signatureOf(text: string, start: number, end: number): string {
  const lineStart = text.lastIndexOf("\n", start - 1) + 1;
  const declaration = text.slice(lineStart, end);
  const lines = declaration.split("\n").slice(0, maxSignatureLines);
  const bodyAt = lines.findIndex((line) => /[{:]\s*$/.test(line) || /=>\s*$/.test(line));
  return (bodyAt >= 0 ? lines.slice(0, bodyAt + 1) : lines.slice(0, 1)).join("\n").trimEnd();
}
