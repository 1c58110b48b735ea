// JavaScript, TypeScript and TSX: quotes, semicolons, trailing commas, names, imports and the APIs called through
// them, try/catch per function, catch bodies, what is thrown, doc comments, and (TypeScript) parameter and return
// type annotations.
import type { Node } from "web-tree-sitter";
import { Bindings } from "../bindings";
import { commentAbove, lineOf, nameChain, nodes, recordDoc, recordName, recordSwallow, recordTrailingComma, recordTries, recordWrapped, type Captures, type SourceFile } from "./shared";
import { caseStyle } from "../naming";

/** Names every module can call without importing them. Test globals (jest, vi, expect) say which framework runs. */
const globals = new Set([
  ...["fetch", "console", "process", "JSON", "Math", "Promise", "Object", "Array", "Date", "Number", "String", "Symbol"],
  ...["Reflect", "Intl", "Buffer", "URL", "URLSearchParams", "setTimeout", "setInterval", "setImmediate", "queueMicrotask"],
  ...["structuredClone", "crypto", "performance", "XMLHttpRequest", "WebSocket", "AbortController", "TextEncoder", "TextDecoder"],
  ...["globalThis", "window", "document", "navigator", "localStorage", "jest", "vi", "expect"],
]);
const functionTypes = new Set(["function_declaration", "generator_function_declaration", "function_expression", "arrow_function", "method_definition"]);
const declarationTypes = new Set(["function_declaration", "generator_function_declaration", "method_definition"]);

export function extractJavaScript(file: SourceFile, captures: Captures): void {
  const bindings = new Bindings(".", (root) => globals.has(root));
  const callees = nodes(captures, "callee");
  for (const node of nodes(captures, "import")) recordImport(file, node, bindings);
  for (const node of callees) if (node.text === "require") recordRequire(file, node, bindings);
  for (const node of callees) recordCall(file, node, bindings);
  for (const node of nodes(captures, "string")) recordQuote(file, node);
  for (const node of nodes(captures, "statement")) recordSemicolon(file, node);
  for (const node of nodes(captures, "list")) recordTrailingComma(file, "trailing-comma", node);
  for (const node of nodes(captures, "call-list")) recordTrailingComma(file, "trailing-comma-call", node);
  recordNames(file, captures);
  const handled = nodes(captures, "try").filter((node) => node.childForFieldName("handler") !== null);
  recordTries(file, nodes(captures, "function"), handled, (type) => functionTypes.has(type));
  for (const node of nodes(captures, "catch")) recordCatch(file, node);
  for (const node of nodes(captures, "throw")) recordThrow(file, node);
  if (file.languageId !== "javascript" && !file.isTest) recordTypes(file, captures);
}

const isLocal = (module: string) => /^(\.|\/|@\/|~\/)/.test(module);
const unquote = (text: string) => text.slice(1, -1);

function recordImport(file: SourceFile, node: Node, bindings: Bindings): void {
  const source = node.childForFieldName("source");
  if (!source || isLocal(unquote(source.text))) return;
  const module = unquote(source.text);
  const line = lineOf(node);
  file.recorder.add("module", module, line, module);
  const clause = node.namedChildren.find((child) => child?.type === "import_clause");
  for (const part of clause?.namedChildren ?? []) {
    if (part?.type === "identifier") bindings.bind(part.text, module);
    else if (part?.type === "namespace_import" && part.namedChildren[0]) bindings.bind(part.namedChildren[0].text, module);
    else if (part?.type === "named_imports") {
      for (const specifier of part.namedChildren) {
        const name = specifier?.childForFieldName("name")?.text;
        if (!name) continue;
        bindings.bind(specifier!.childForFieldName("alias")?.text ?? name, `${module}.${name}`);
        file.recorder.add("api", `${module}.${name}`, line, `${module}.${name}`);
      }
    }
  }
}

/** `const x = require("m")` and `const { a, b: c } = require("m")`. */
function recordRequire(file: SourceFile, callee: Node, bindings: Bindings): void {
  const call = callee.parent!;
  const source = call.childForFieldName("arguments")?.namedChildren[0];
  if (source?.type !== "string" || isLocal(unquote(source.text))) return;
  const module = unquote(source.text);
  file.recorder.add("module", module, lineOf(call), module);
  const target = call.parent?.type === "variable_declarator" ? call.parent.childForFieldName("name") : null;
  if (target?.type === "identifier") bindings.bind(target.text, module);
  for (const property of target?.type === "object_pattern" ? target.namedChildren : []) {
    if (property?.type === "shorthand_property_identifier_pattern") bindings.bind(property.text, `${module}.${property.text}`);
    const key = property?.type === "pair_pattern" ? property.childForFieldName("key")?.text : undefined;
    const value = property?.childForFieldName("value");
    if (key && value?.type === "identifier") bindings.bind(value.text, `${module}.${key}`);
  }
}

function recordCall(file: SourceFile, callee: Node, bindings: Bindings): void {
  const chain = callee.text === "require" ? null : nameChain(callee, ".");
  const api = chain && bindings.qualify(chain);
  if (callee.parent?.type === "call_expression") recordWrapped(file, callee, api, chain, functionName);
  if (api) file.recorder.add("api", api, lineOf(callee), api);
}

/** A named function: a declaration, or a function or arrow bound by `const name =`. */
function functionName(node: Node): string | null {
  if (node.type === "function_declaration") return node.childForFieldName("name")?.text ?? null;
  if ((node.type === "arrow_function" || node.type === "function_expression") && node.parent?.type === "variable_declarator") return node.parent.childForFieldName("name")?.text ?? null;
  return functionTypes.has(node.type) ? "" : null;
}

/** A string that holds the other quote character has no choice, and JSX attributes follow their own rule. */
function recordQuote(file: SourceFile, node: Node): void {
  const raw = node.text;
  const quote = raw[0];
  if ((quote !== '"' && quote !== "'") || node.parent?.type === "jsx_attribute") return;
  if (raw.slice(1, -1).includes(quote === '"' ? "'" : '"')) return;
  file.recorder.add("quotes", quote === '"' ? "double" : "single", lineOf(node));
}

function recordSemicolon(file: SourceFile, node: Node): void {
  const parent = node.parent;
  if (parent?.type === "for_statement" && parent.childForFieldName("body")?.id !== node.id) return; // for (init; test; ...) needs them
  file.recorder.add("semicolons", node.lastChild?.type === ";" ? "with" : "without", node.endPosition.row + 1);
}

function recordNames(file: SourceFile, captures: Captures): void {
  for (const name of nodes(captures, "name.function")) recordDeclaration(file, "function", name, name.parent!);
  for (const name of nodes(captures, "name.class")) recordDeclaration(file, "class", name, name.parent!);
  for (const name of nodes(captures, "name.method")) if (name.text !== "constructor") recordDeclaration(file, "method", name, name.parent!);
  for (const name of nodes(captures, "name.type")) recordName(file, "type", name.text, lineOf(name));
  for (const name of nodes(captures, "name.variable")) recordVariable(file, name);
}

/** A function, class or method: its name's case, and whether a comment sits right above it. A function named in
 *  PascalCase is a constructor or a component, named as a class is: it says nothing about function names. */
function recordDeclaration(file: SourceFile, kind: string, name: Node, declaration: Node): void {
  const style = caseStyle(name.text);
  if (kind !== "function" || style !== "PascalCase") recordName(file, kind, name.text, lineOf(name), style);
  const outer = declaration.parent?.type === "export_statement" ? declaration.parent : declaration;
  recordDoc(file, commentAbove(outer), lineOf(declaration), name.text);
}

/** `const f = () => ...` names a function. A `const` named in UPPER_CASE is a constant wherever it is, and so is a
 *  top-level one bound to a literal; one bound to a computed value (`const fs = require("fs")`) is a variable. A
 *  PascalCase name (a class, a schema, a component, a lookup table, a type's runtime twin) is named as a class is,
 *  and not counted. Anything else is a variable. */
function recordVariable(file: SourceFile, name: Node): void {
  const declarator = name.parent!;
  const value = declarator.childForFieldName("value");
  const declaration = declarator.parent!;
  const topLevel = declaration.parent?.type === "program" || (declaration.parent?.type === "export_statement" && declaration.parent.parent?.type === "program");
  const isFunction = value?.type === "arrow_function" || value?.type === "function_expression";
  if (isFunction && topLevel) return recordDeclaration(file, "function", name, declaration);
  const style = caseStyle(name.text);
  if (isFunction) return style === "PascalCase" ? undefined : recordName(file, "function", name.text, lineOf(name), style);
  const isConst = declaration.type === "lexical_declaration" && declaration.child(0)?.type === "const";
  if (isConst && (style === "UPPER_CASE" || (topLevel && isLiteral(value)))) return recordName(file, "constant", name.text, lineOf(name), style);
  if (style === "PascalCase") return;
  recordName(file, "variable", name.text, lineOf(name), style);
}

const literalTypes = new Set(["string", "number", "true", "false", "null", "regex"]);
const containerTypes = new Set(["array", "object", "pair", "unary_expression", "parenthesized_expression", "as_expression", "satisfies_expression"]);

/** A value written out: a string, a template without substitutions, a number, boolean, null or regex, or an array or
 *  object of them (`as const` allowed). */
function isLiteral(node: Node | null | undefined): boolean {
  if (!node) return false;
  if (literalTypes.has(node.type)) return true;
  if (node.type === "template_string") return !node.namedChildren.some((child) => child?.type === "template_substitution");
  if (node.type === "pair") return isLiteral(node.childForFieldName("value"));
  if (node.type === "as_expression" || node.type === "satisfies_expression") return isLiteral(node.namedChildren[0]);
  return containerTypes.has(node.type) && node.namedChildren.every((child) => child?.type === "comment" || isLiteral(child));
}

/** Whether a catch block is empty, and whether it swallows: every catch catches everything, so one whose body only
 *  reports or continues (or is empty) swallows the error. */
function recordCatch(file: SourceFile, node: Node): void {
  const body = node.childForFieldName("body");
  const statements = body?.namedChildren.filter((child): child is Node => child !== null && child.type !== "comment") ?? [];
  file.recorder.add("catch-body", statements.length === 0 ? "empty" : "handles", lineOf(node));
  recordSwallow(file, node, true, statements, "every error");
}

/** `throw new NotFound(...)` and `throw Error(...)` name a class; rethrowing a variable names none. */
function recordThrow(file: SourceFile, node: Node): void {
  const thrown = node.namedChildren[0];
  const made = thrown?.type === "new_expression" ? thrown.childForFieldName("constructor") : thrown?.type === "call_expression" ? thrown.childForFieldName("function") : null;
  if (made && /^[A-Z][\w.]*$/.test(made.text.split(".").pop() ?? "")) file.recorder.add("throws", made.text, lineOf(node), made.text);
}

/** Parameters and return types of declared functions and methods outside tests; callbacks are left to inference. */
function recordTypes(file: SourceFile, captures: Captures): void {
  for (const parameter of nodes(captures, "param")) {
    const owner = parameter.parent?.parent;
    if (!owner || !declarationTypes.has(owner.type) || parameter.childForFieldName("pattern")?.type === "this") continue;
    file.recorder.add("param-types", parameter.childForFieldName("type") ? "typed" : "untyped", lineOf(parameter), parameter.text);
  }
  for (const fn of nodes(captures, "function")) {
    const name = fn.childForFieldName("name")?.text;
    if (!declarationTypes.has(fn.type) || !name || name === "constructor" || fn.children.some((child) => child?.type === "set")) continue;
    file.recorder.add("return-types", fn.childForFieldName("return_type") ? "annotated" : "unannotated", lineOf(fn), name);
  }
}
