// Tags of one source file: the symbols it defines (with the line that declares them), the names it references, from
// the grammar's own tags.scm query, and what it imports. Knows one file's text; nothing about the workspace.
import type { Node, Tree } from "web-tree-sitter";
import { moduleLinksOf, type ModuleLink } from "./module-links";
import type { LoadedLanguage } from "./parser";
import { statementKeywords } from "./reserved-words";

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
  /** Names bound by imports and re-exports, with the module they come from. */
  links: ModuleLink[];
}

const maxSignatureLines = 6;

export function tagsOf(loaded: LoadedLanguage, text: string, tree: Tree): FileTags {
  const definitions: Definition[] = [];
  /** `name:line` → its place in `definitions`. */
  const placed = new Map<string, number>();
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
    if (recoveredStatement(loaded.spec.id, name.text, node)) continue;
    // One declaration matched twice (`const f = () => …` is a function to tags.scm and a constant to Ghost's own
    // query; a Rust method is also a function): one definition, the most specific kind.
    const key = `${name.text}:${node.startPosition.row}`;
    const twin = placed.get(key) ?? -1;
    if (twin >= 0 && (definitions[twin]!.kind !== "constant" || role.name === "definition.constant")) continue;
    if (twin < 0) placed.set(key, definitions.length);
    const definition = {
      name: name.text,
      kind: role.name.slice("definition.".length),
      line: node.startPosition.row,
      endLine: node.endPosition.row,
      signature: signatureOf(text, node.startIndex, node.endIndex),
    };
    definitions.splice(twin >= 0 ? twin : definitions.length, twin >= 0 ? 1 : 0, definition);
  }
  return { definitions, references: [...references], links: moduleLinksOf(loaded.spec.id, tree) };
}

/** A "definition" named after a statement keyword that the parser produced while recovering from an error: a
 *  statement (`if (x) {`, `return y`) read as a method head, not a symbol anyone can call. */
function recoveredStatement(languageId: string, name: string, node: Node): boolean {
  if (!statementKeywords[languageId]?.has(name)) return false;
  if (node.hasError) return true;
  for (let at = node.parent; at; at = at.parent) if (at.type === "ERROR") return true;
  return false;
}

/** The declaration up to its body's opening brace or colon, at most a few lines: what a caller needs to know. */
function signatureOf(text: string, start: number, end: number): string {
  const lineStart = text.lastIndexOf("\n", start - 1) + 1;
  const declaration = text.slice(lineStart, end);
  const lines = declaration.split("\n").slice(0, maxSignatureLines);
  const bodyAt = lines.findIndex((line) => /[{:]\s*$/.test(line) || /=>\s*$/.test(line));
  return (bodyAt >= 0 ? lines.slice(0, bodyAt + 1) : lines.slice(0, 1)).join("\n").trimEnd();
}
