// Java: names (constants are static final fields), imports and the APIs called or constructed through them,
// try/catch per method, the kind of catch, what is thrown, and Javadoc.
import type { Node } from "web-tree-sitter";
import { Bindings } from "../bindings";
import { commentAbove, lineOf, nameChain, nodes, recordDoc, recordName, recordSwallow, recordTries, type Captures, type SourceFile } from "./shared";

/** java.lang classes every file can use without an import. */
const javaLang = new Set(["System", "Math", "String", "Integer", "Long", "Double", "Boolean", "Objects", "Thread", "Runtime", "StringBuilder"]);
const broadExceptions = new Set(["Exception", "Throwable", "RuntimeException"]);
const functionTypes = new Set(["method_declaration", "constructor_declaration", "lambda_expression"]);

export function extractJava(file: SourceFile, captures: Captures): void {
  const bindings = new Bindings(".", (root) => javaLang.has(root));
  for (const node of nodes(captures, "import")) recordImport(file, node, bindings);
  for (const node of nodes(captures, "invocation")) recordInvocation(file, node, bindings);
  for (const node of nodes(captures, "new")) {
    const type = node.type === "generic_type" ? node.namedChildren[0] : node;
    const api = type && bindings.qualify([type.text]);
    if (api) file.recorder.add("api", api, lineOf(node), api);
  }
  for (const name of nodes(captures, "name.class")) recordName(file, "class", name.text, lineOf(name));
  for (const name of nodes(captures, "name.method")) recordName(file, "method", name.text, lineOf(name));
  for (const name of nodes(captures, "name.variable")) recordName(file, "variable", name.text, lineOf(name));
  for (const field of nodes(captures, "field")) recordField(file, field);
  const handled = nodes(captures, "try").filter((node) => node.namedChildren.some((child) => child?.type === "catch_clause"));
  recordTries(file, nodes(captures, "function"), handled, (type) => functionTypes.has(type));
  for (const node of nodes(captures, "catch")) recordCatch(file, node);
  for (const node of nodes(captures, "throw")) {
    const made = node.namedChildren[0]?.type === "object_creation_expression" ? node.namedChildren[0].childForFieldName("type") : null;
    if (made) file.recorder.add("throws", made.text, lineOf(node), made.text);
  }
  for (const node of nodes(captures, "documentable")) {
    const name = node.childForFieldName("name")?.text ?? "";
    recordDoc(file, commentAbove(node, (comment) => comment.text.startsWith("/**")), lineOf(node), name);
  }
}

/** `import a.b.C;` binds C to a.b.C; `import a.b.*;` imports the package a.b. */
function recordImport(file: SourceFile, node: Node, bindings: Bindings): void {
  const path = node.namedChildren.find((child) => child?.type === "scoped_identifier" || child?.type === "identifier")?.text;
  if (!path) return;
  const wildcard = node.namedChildren.some((child) => child?.type === "asterisk");
  const segments = path.split(".");
  const module = wildcard ? path : segments.slice(0, -1).join(".");
  file.recorder.add("module", module, lineOf(node), module);
  if (wildcard) return;
  file.recorder.add("api", path, lineOf(node), path);
  bindings.bind(segments[segments.length - 1]!, path);
}

function recordInvocation(file: SourceFile, node: Node, bindings: Bindings): void {
  const object = node.childForFieldName("object");
  const name = node.childForFieldName("name")?.text;
  const chain = object && nameChain(object, ".");
  const api = chain && name ? bindings.qualify([...chain, name]) : null;
  if (api) file.recorder.add("api", api, lineOf(node), api);
}

/** `static final` fields are constants; other fields are variables. */
function recordField(file: SourceFile, field: Node): void {
  const modifiers = field.namedChildren.find((child) => child?.type === "modifiers")?.text ?? "";
  const constant = /\bstatic\b/.test(modifiers) && /\bfinal\b/.test(modifiers);
  for (const declarator of field.childrenForFieldName("declarator")) {
    const name = declarator.childForFieldName("name");
    if (name) recordName(file, constant ? "constant" : "variable", name.text, lineOf(name));
  }
}

function recordCatch(file: SourceFile, node: Node): void {
  const types = node.descendantsOfType("catch_type")[0]?.namedChildren.map((type) => type?.text ?? "") ?? [];
  const broad = types.some((type) => broadExceptions.has(type));
  file.recorder.add("catch-type", broad ? "broad" : "specific", lineOf(node), types.join(" | "));
  const statements = node.childForFieldName("body")?.namedChildren.filter((child): child is Node => child !== null && !child.type.includes("comment")) ?? [];
  file.recorder.add("catch-body", statements.length === 0 ? "empty" : "handles", lineOf(node));
  recordSwallow(file, node, broad, statements, types.join(" | "));
}
