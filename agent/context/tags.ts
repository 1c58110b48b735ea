// Tags of one source file: the symbols it defines (with the line that declares them), the names it references, from
// the grammar's own tags.scm query, and what it imports. Knows one file's text; nothing about the workspace.
import type { Node, Tree } from "web-tree-sitter";
import { moduleLinksOf, type ModuleLink } from "./module-links";
import type { LoadedLanguage } from "./parser";
import { statementKeywords } from "./reserved-words";
import { bindingsOf, typedefsOf, typedLanguages, typeFactsOf, type Binding, type TypeSource } from "./type-facts";

export interface Definition {
  name: string;
  /** function, method, class, interface, module, ... (from the query's @definition.KIND capture). */
  kind: string;
  /** 0-based line of the declaration's first line. */
  line: number;
  endLine: number;
  /** The declaration's head: its first lines up to the body, e.g. `export function add(a: number, b: number): number`. */
  signature: string;
  /** The definition it is declared in (a class's method, a namespace's interface, a function's inner function);
   *  absent at module level, where a module's exports are. */
  container?: string;
  /** JavaScript/TypeScript and Python (type-facts.ts): where a variable's, field's or type alias's type comes from. */
  type?: TypeSource;
  /** A function's or method's declared return type. */
  returns?: string;
  /** What a class or interface extends or implements, as written. */
  bases?: string[];
}

export interface FileTags {
  definitions: Definition[];
  /** Names referenced (called, instantiated, typed), each once. */
  references: string[];
  /** Names bound by imports and re-exports, with the module they come from. */
  links: ModuleLink[];
  /** Typed names inside functions and classes (JavaScript/TypeScript, Python): parameters, locals, `this.x`. */
  bindings: Binding[];
}

const maxSignatureLines = 6;

export function tagsOf(loaded: LoadedLanguage, text: string, tree: Tree): FileTags {
  const definitions: Definition[] = [];
  /** `name:line` → its place in `definitions`. */
  const placed = new Map<string, number>();
  const references = new Set<string>();
  const typed = typedLanguages.has(loaded.spec.id);
  /** Each definition's node span, to find the definition it is declared in; `holds` false for an assignment
   *  (`module.exports = function name() {}`), a statement at its own level rather than a scope. */
  const spans: { start: number; end: number; holds: boolean }[] = [];
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
    const written = typed ? typeFactsOf(loaded.spec.id, node) : {};
    // Only the facts the declaration has: an absent one is no key at all (the cache and worker threads agree).
    const facts = Object.fromEntries(Object.entries(written).filter(([, value]) => value !== undefined));
    const definition: Definition = {
      name: name.text,
      kind: callableField(role.name, written) ? "method" : role.name.slice("definition.".length),
      line: node.startPosition.row,
      endLine: node.endPosition.row,
      signature: signatureOf(text, node.startIndex, node.endIndex),
      ...facts,
    };
    definitions.splice(twin >= 0 ? twin : definitions.length, twin >= 0 ? 1 : 0, definition);
    spans.splice(twin >= 0 ? twin : spans.length, twin >= 0 ? 1 : 0, { start: node.startIndex, end: node.endIndex, holds: node.type !== "assignment_expression" && node.type !== "assignment" });
  }
  if (typed && loaded.spec.id !== "python") {
    // Documented types are placed already (an object typedef holds its properties): no span to compare.
    for (const typedef of typedefsOf(tree.rootNode)) {
      definitions.push(typedef);
      spans.push({ start: -1, end: -1, holds: false });
    }
  }
  placeContainers(definitions, spans);
  return { definitions, references: [...references], links: moduleLinksOf(loaded.spec.id, tree), bindings: typed ? bindingsOf(loaded.spec.id, tree.rootNode) : [] };
}

/** A field or property whose value or type is a function (it has a return type, written or not) is called like a
 *  method. */
function callableField(role: string, facts: { returns?: string }): boolean {
  return role === "definition.field" && "returns" in facts;
}

/** Sets each definition's container: the innermost other definition whose node holds its node. */
function placeContainers(definitions: Definition[], spans: readonly { start: number; end: number; holds: boolean }[]): void {
  const order = definitions.map((_, at) => at).sort((a, b) => spans[a]!.start - spans[b]!.start || spans[b]!.end - spans[a]!.end);
  const open: number[] = [];
  for (const at of order) {
    const span = spans[at]!;
    if (span.start < 0) continue;
    while (open.length > 0 && spans[open.at(-1)!]!.end <= span.start) open.pop();
    const holder = open.findLast((candidate) => spans[candidate]!.holds && spans[candidate]!.end >= span.end && (spans[candidate]!.start !== span.start || spans[candidate]!.end !== span.end));
    if (holder !== undefined) definitions[at]!.container = definitions[holder]!.name;
    open.push(at);
  }
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
