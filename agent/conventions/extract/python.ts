// Python: quotes, trailing commas, names, imports and the APIs called through them, try/except per function, the
// kind of except clause, what is raised, docstrings, and parameter and return annotations.
import type { Node } from "web-tree-sitter";
import { Bindings } from "../bindings";
import { caseStyle } from "../naming";
import { lineOf, nameChain, nodes, recordDoc, recordName, recordSwallow, recordTrailingComma, recordTries, recordWrapped, type Captures, type SourceFile } from "./shared";

const builtins = new Set(["print", "open", "input", "exec", "eval", "breakpoint", "__import__"]);
const broadExceptions = new Set(["Exception", "BaseException"]);

export function extractPython(file: SourceFile, captures: Captures): void {
  const bindings = new Bindings(".", (root) => builtins.has(root));
  for (const node of nodes(captures, "import")) recordImport(file, node, bindings);
  for (const node of nodes(captures, "callee")) recordCall(file, node, bindings);
  for (const node of nodes(captures, "string")) recordQuote(file, node);
  for (const node of nodes(captures, "list")) if (!isOneTuple(node)) recordTrailingComma(file, "trailing-comma", node);
  for (const node of nodes(captures, "call-list")) recordTrailingComma(file, "trailing-comma-call", node);
  for (const node of nodes(captures, "name.class")) recordName(file, "class", node.text, lineOf(node));
  for (const node of nodes(captures, "name.function")) recordName(file, isMethod(node.parent!) ? "method" : "function", node.text, lineOf(node));
  for (const node of nodes(captures, "name.variable")) recordVariable(file, node);
  const handled = nodes(captures, "try").filter((node) => node.namedChildren.some((child) => child?.type === "except_clause" || child?.type === "except_group_clause"));
  recordTries(file, nodes(captures, "function"), handled, (type) => type === "function_definition");
  for (const node of nodes(captures, "catch")) recordExcept(file, node);
  for (const node of nodes(captures, "throw")) recordRaise(file, node);
  for (const node of [...nodes(captures, "function"), ...nodes(captures, "class")]) recordDocstring(file, node);
  for (const node of nodes(captures, "function")) recordAnnotations(file, node);
}

/** `import a.b` binds a; `import a.b as c` binds c to a.b; `from a.b import c as d` binds d to a.b.c. */
function recordImport(file: SourceFile, node: Node, bindings: Bindings): void {
  const line = lineOf(node);
  if (node.type === "import_statement") {
    for (const name of node.childrenForFieldName("name")) {
      const dotted = name.type === "aliased_import" ? name.childForFieldName("name")!.text : name.text;
      file.recorder.add("module", dotted, line, dotted);
      if (name.type === "aliased_import") bindings.bind(name.childForFieldName("alias")!.text, dotted);
      else bindings.bind(dotted.split(".")[0]!, dotted.split(".")[0]!);
    }
    return;
  }
  const module = node.childForFieldName("module_name");
  if (!module || module.type === "relative_import") return;
  file.recorder.add("module", module.text, line, module.text);
  for (const name of node.childrenForFieldName("name")) {
    const imported = name.type === "aliased_import" ? name.childForFieldName("name")!.text : name.text;
    const api = `${module.text}.${imported}`;
    bindings.bind(name.type === "aliased_import" ? name.childForFieldName("alias")!.text : imported, api);
    file.recorder.add("api", api, line, api);
  }
}

/** A call is recorded as its API; one whose arguments name gradients (`p.grad`, `grads`) also as `API(grad)`, so
 *  reducing gradients is told from reducing a metric with the same collective. */
function recordCall(file: SourceFile, callee: Node, bindings: Bindings): void {
  const chain = nameChain(callee, ".");
  const api = chain && bindings.qualify(chain);
  recordWrapped(file, callee, api, chain, (node) => (node.type === "function_definition" ? (node.childForFieldName("name")?.text ?? null) : null));
  if (!api) return;
  file.recorder.add("api", api, lineOf(callee), api);
  const args = callee.parent?.childForFieldName("arguments");
  if (args && /\bgrad(s|ients?)?\b|_grads?\b|\.grad\b/.test(args.text)) file.recorder.add("api", `${api}(grad)`, lineOf(callee), `${api}(grad)`);
}

/** Plain one-line strings only: docstrings are triple-quoted everywhere, and f-strings, raw and byte strings keep
 *  habits of their own (an f-string is often double-quoted where plain strings are single-quoted). A string holding
 *  the other quote has no choice, and nor does one nested in an f-string's braces. */
function recordQuote(file: SourceFile, node: Node): void {
  const start = node.child(0)?.text ?? "";
  const quote = start[start.length - 1];
  if (start.endsWith('"""') || start.endsWith("'''") || (quote !== '"' && quote !== "'")) return;
  if (!/^[uU]?$/.test(start.slice(0, -1))) return;
  if (node.parent?.type === "interpolation" || node.parent?.parent?.type === "interpolation") return;
  const content = node.text.slice(start.length, -1);
  if (content.includes(quote === '"' ? "'" : '"')) return;
  file.recorder.add("quotes", quote === '"' ? "double" : "single", lineOf(node));
}

const isOneTuple = (node: Node) => node.type === "tuple" && node.namedChildCount === 1;
/** A def directly in a class body, decorated or not. */
function isMethod(definition: Node): boolean {
  const outer = definition.parent?.type === "decorated_definition" ? definition.parent : definition;
  return outer.parent?.type === "block" && outer.parent.parent?.type === "class_definition";
}

/** Python marks a constant by its name alone (PEP 8): a name in UPPER_CASE is a constant wherever it is bound. Any
 *  other module-level name is module state (a script's settings and objects, a cache, a placeholder set later
 *  through `global`), so a variable; a PascalCase one bound at module level is a type alias or a class made by a
 *  call (namedtuple, TypeVar), named as a class is, and not counted. Names inside functions and classes are
 *  variables. */
function recordVariable(file: SourceFile, name: Node): void {
  const style = caseStyle(name.text);
  const moduleLevel = name.parent!.parent!.parent?.type === "module";
  if (style === "UPPER_CASE") return recordName(file, "constant", name.text, lineOf(name), style);
  if (moduleLevel && style === "PascalCase") return;
  recordName(file, "variable", name.text, lineOf(name), style);
}

/** `except:` is bare, `except Exception` broad, anything narrower specific; a body of only `pass` swallows. */
function recordExcept(file: SourceFile, node: Node): void {
  const caught = node.childForFieldName("value");
  const type = caught?.type === "as_pattern" ? caught.namedChildren[0] : caught;
  const kind = !type ? "bare" : broadExceptions.has(type.text) ? "broad" : "specific";
  file.recorder.add("catch-type", kind, lineOf(node), type?.text ?? "except:");
  const body = node.namedChildren.find((child) => child?.type === "block");
  const statements = body?.namedChildren.filter((child) => child?.type !== "comment") ?? [];
  const empty = statements.every((statement) => statement?.type === "pass_statement" || statement?.text === "...");
  file.recorder.add("catch-body", empty ? "empty" : "handles", lineOf(node));
  recordSwallow(file, node, kind !== "specific", statements.filter((statement) => statement !== null), type?.text ?? "everything");
}

/** `raise ValueError(...)` and `raise KeyError` name a class; a bare `raise` or `raise err` rethrows. */
function recordRaise(file: SourceFile, node: Node): void {
  const raised = node.namedChildren[0];
  const made = raised?.type === "call" ? raised.childForFieldName("function") : raised;
  if (made && /^[A-Z]\w*$/.test(made.text.split(".").pop() ?? "")) file.recorder.add("throws", made.text, lineOf(node), made.text);
}

function recordDocstring(file: SourceFile, definition: Node): void {
  const name = definition.childForFieldName("name")?.text ?? "";
  if (/^__.*__$/.test(name)) return;
  const first = definition.childForFieldName("body")?.namedChildren[0];
  const documented = first?.type === "expression_statement" && first.namedChildren[0]?.type === "string";
  recordDoc(file, documented, lineOf(definition), name);
}

/** Annotated parameters (not self or cls, not *args/**kwargs) and return types, outside tests; dunder methods are
 *  left out. */
function recordAnnotations(file: SourceFile, definition: Node): void {
  const name = definition.childForFieldName("name")?.text ?? "";
  if (/^__.*__$/.test(name) || file.isTest) return;
  for (const parameter of definition.childForFieldName("parameters")?.namedChildren ?? []) {
    if (!parameter || parameter.text === "self" || parameter.text === "cls") continue;
    if (parameter.type === "identifier" || parameter.type === "default_parameter") file.recorder.add("param-types", "untyped", lineOf(parameter), parameter.text);
    else if (parameter.type.startsWith("typed")) file.recorder.add("param-types", "typed", lineOf(parameter), parameter.text);
  }
  file.recorder.add("return-types", definition.childForFieldName("return_type") ? "annotated" : "unannotated", lineOf(definition), name);
}
