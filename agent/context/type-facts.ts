// Types as written beside JavaScript/TypeScript and Python declarations, read from the syntax tree at index time: a
// variable's or field's annotation or JSDoc `@type`, the class its `new` (Python: its call) builds, the call or
// value it is set from; a function's declared return type (annotation, `-> T` or `@returns`); a class's or
// interface's bases; JSDoc `@typedef`s; and the typed names inside functions and classes (parameters, locals,
// destructured names, loop variables, `this.x = ...` / `self.x = ...`). Kept as written: resolving them against the
// index is member-types.ts's job, at the keystroke. Knows one file's tree.
import type { Node } from "web-tree-sitter";

/** Where a value's type comes from: a type as written (`Foo`, `import('./x').Foo`, `A | B`), another value whose
 *  type it has (`handler`, `z.date()`, `this.#client`: a call stands for what it returns), or an element of another
 *  value (`for (const x of this.#list)`). */
export interface TypeSource {
  kind: "type" | "value" | "element";
  text: string;
}

/** A typed name inside a function or class: a parameter, a local, or `this.x` (named "this.x", "this[key]"; Python's
 *  `self.x` too). */
export interface Binding {
  name: string;
  /** 0-based line where it is declared; it is visible from there (parameters: the whole function) to `endLine`. */
  line: number;
  endLine: number;
  source: TypeSource;
}

export interface TypeFacts {
  type?: TypeSource;
  returns?: string;
  bases?: string[];
}

export const typedLanguages = new Set(["javascript", "typescript", "tsx", "python"]);

/** Nodes between a declaration and the comment written above it. */
const holders = new Set(["variable_declarator", "lexical_declaration", "variable_declaration", "export_statement", "ambient_declaration", "expression_statement", "assignment_expression", "pair"]);
const functionTypes = new Set(["function_declaration", "generator_function_declaration", "function_expression", "function", "arrow_function", "method_definition", "function_signature", "method_signature", "abstract_method_signature"]);

/** The facts of one definition's node. */
export function typeFactsOf(languageId: string, node: Node): TypeFacts {
  if (languageId === "python") return pythonFacts(node);
  switch (node.type) {
    case "variable_declarator":
    case "public_field_definition":
    case "field_definition":
    case "property_signature":
      return valueFacts(node, node.childForFieldName("value"));
    case "assignment_expression":
    case "pair":
      return valueFacts(node, node.childForFieldName(node.type === "pair" ? "value" : "right"));
    case "class_declaration":
    case "abstract_class_declaration":
    case "class":
    case "interface_declaration":
      return { bases: basesOf(node) };
    case "type_alias_declaration": {
      const value = node.childForFieldName("value");
      return value ? { type: { kind: "type", text: value.text } } : {};
    }
    default:
      return functionTypes.has(node.type) ? { returns: returnTypeOf(node) } : {};
  }
}

function valueFacts(node: Node, value: Node | null): TypeFacts {
  const annotation = node.childForFieldName("type");
  const declared = annotation ? annotated(annotation) : null;
  if (declared?.type === "function_type") return { returns: declared.childForFieldName("return_type")?.text };
  if (declared) return { type: { kind: "type", text: declared.text } };
  const documented = jsdocTag(docOf(node), "type");
  if (documented) return { type: { kind: "type", text: documented } };
  if (value && functionTypes.has(unwrapped(value).type)) return { returns: returnTypeOf(unwrapped(value)) };
  const source = value ? sourceOfValue(value) : null;
  return source ? { type: source } : {};
}

/** A `type_annotation`'s type (`: Foo` → Foo); other nodes are the type already. */
function annotated(node: Node): Node | null {
  return node.type === "type_annotation" ? node.namedChildren[0] ?? null : node;
}

function unwrapped(value: Node): Node {
  let at = value;
  while ((at.type === "parenthesized_expression" || at.type === "await_expression" || at.type === "non_null_expression") && at.namedChildren[0]) at = at.namedChildren[0];
  return at;
}

/** The type a value expression has, as far as its own text says. */
function sourceOfValue(value: Node): TypeSource | null {
  const at = unwrapped(value);
  switch (at.type) {
    case "new_expression": {
      const constructor = at.childForFieldName("constructor");
      return constructor ? { kind: "type", text: constructor.text } : null;
    }
    case "as_expression":
    case "satisfies_expression": {
      const type = at.namedChildren[1];
      return type ? { kind: "type", text: type.text } : null;
    }
    case "call_expression": {
      const callee = at.childForFieldName("function");
      // `require(...)` is an import (module-links.ts), not a value with a type.
      return callee && isReference(callee) && callee.text !== "require" ? { kind: "value", text: `${callee.text}()` } : null;
    }
    case "identifier":
    case "member_expression":
    case "subscript_expression":
      return isReference(at) ? { kind: "value", text: at.text } : null;
    default:
      return null;
  }
}

/** A chain of names and member accesses (`a.b[c].d`), not an arbitrary expression. */
function isReference(node: Node): boolean {
  if (node.type === "identifier" || node.type === "this") return true;
  if (node.type === "member_expression") return isReference(node.childForFieldName("object")!);
  if (node.type === "subscript_expression") return isReference(node.childForFieldName("object")!) && node.childForFieldName("index")?.type === "identifier";
  if (node.type === "call_expression") return isReference(node.childForFieldName("function")!);
  return false;
}

function returnTypeOf(node: Node): string | undefined {
  const written = node.childForFieldName("return_type");
  const type = written ? annotated(written) : null;
  return type?.text ?? jsdocTag(docOf(node), "returns") ?? jsdocTag(docOf(node), "return") ?? undefined;
}

function basesOf(node: Node): string[] {
  const bases: string[] = [];
  for (const part of node.namedChildren) {
    if (part!.type === "class_heritage") {
      for (const clause of part!.namedChildren) {
        if (clause!.type === "extends_clause") bases.push(...clause!.childrenForFieldName("value").map((value) => value!.text));
        else if (clause!.type === "implements_clause") bases.push(...clause!.namedChildren.map((type) => type!.text));
        else bases.push(clause!.text); // JavaScript: `extends Base`
      }
    }
    if (part!.type === "extends_type_clause") bases.push(...part!.childrenForFieldName("type").map((type) => type!.text));
  }
  return bases;
}

/** The `/** ... *\/` comment written right above a declaration (above the statement that holds it). */
export function docOf(node: Node): string | null {
  let at = node;
  while (at.parent && holders.has(at.parent.type)) at = at.parent;
  const previous = at.previousNamedSibling;
  return previous?.type === "comment" && previous.text.startsWith("/**") ? previous.text : null;
}

/** JSDoc tags with a `{type}`: each tag, its type text (braces balanced), the word after it, and where it is. */
function jsdocTags(doc: string): { tag: string; type: string; name: string; at: number }[] {
  const tags: { tag: string; type: string; name: string; at: number }[] = [];
  for (const match of doc.matchAll(/@(\w+)\s*\{/g)) {
    let depth = 1;
    let at = match.index + match[0].length;
    const start = at;
    for (; at < doc.length && depth > 0; at++) depth += doc[at] === "{" ? 1 : doc[at] === "}" ? -1 : 0;
    if (depth > 0) continue;
    const name = /^\s*\[?\s*([\w$.]+)/.exec(doc.slice(at))?.[1] ?? "";
    tags.push({ tag: match[1]!, type: doc.slice(start, at - 1).replace(/\s*\n\s*\*?\s*/g, " ").trim(), name, at: match.index });
  }
  return tags;
}

function jsdocTag(doc: string | null, tag: string): string | null {
  return doc ? jsdocTags(doc).find((found) => found.tag === tag)?.type ?? null : null;
}

export interface DocumentedType {
  name: string;
  kind: "type" | "field";
  line: number;
  endLine: number;
  signature: string;
  /** A typedef's aliased type (absent for `{object}`, whose `@property` tags are its members). */
  type?: TypeSource;
  container?: string;
}

/** JSDoc `@typedef {T} Name` in a file: type aliases the file's comments declare, and for an object typedef its
 *  `@property {T} name` members. */
export function typedefsOf(root: Node): DocumentedType[] {
  const found: DocumentedType[] = [];
  for (const comment of root.descendantsOfType("comment")) {
    if (!comment!.text.startsWith("/**")) continue;
    const text = comment!.text;
    const rowOf = (at: number) => comment!.startPosition.row + (text.slice(0, at).match(/\n/g)?.length ?? 0);
    let typedef: DocumentedType | null = null;
    for (const tag of jsdocTags(text)) {
      if (tag.tag === "typedef" && tag.name) {
        const object = /^object$/i.test(tag.type);
        typedef = { name: tag.name, kind: "type", line: comment!.startPosition.row, endLine: comment!.endPosition.row, signature: `@typedef {${tag.type}} ${tag.name}`, ...(object ? {} : { type: { kind: "type", text: tag.type } }) };
        found.push(typedef);
      } else if ((tag.tag === "property" || tag.tag === "prop") && tag.name && typedef && !typedef.type) {
        found.push({ name: tag.name, kind: "field", line: rowOf(tag.at), endLine: rowOf(tag.at), signature: `@property {${tag.type}} ${tag.name}`, type: { kind: "type", text: tag.type }, container: typedef.name });
      }
    }
  }
  return found;
}

/** Python: a function's `-> T`, a class's base classes, a module-level `x: T = ...` or `x = Foo(...)`. */
function pythonFacts(node: Node): TypeFacts {
  if (node.type === "function_definition") {
    const returns = node.childForFieldName("return_type")?.text;
    return returns ? { returns } : {};
  }
  if (node.type === "class_definition") {
    const bases = node.childForFieldName("superclasses")?.namedChildren ?? [];
    return { bases: bases.filter((base) => base!.type === "identifier" || base!.type === "attribute").map((base) => base!.text) };
  }
  if (node.type === "assignment") {
    const source = pythonSource(node);
    return source ? { type: source } : {};
  }
  return {};
}

/** A Python assignment's type: its annotation, else the class it calls or the value it copies. */
function pythonSource(assignment: Node): TypeSource | null {
  const annotation = assignment.childForFieldName("type");
  if (annotation) return { kind: "type", text: annotation.text };
  const value = assignment.childForFieldName("right");
  if (value?.type === "call") {
    const callee = value.childForFieldName("function");
    return callee && pythonReference(callee) ? { kind: "value", text: `${callee.text}()` } : null;
  }
  return value && pythonReference(value) ? { kind: "value", text: value.text } : null;
}

function pythonReference(node: Node): boolean {
  if (node.type === "identifier") return true;
  if (node.type === "attribute") return pythonReference(node.childForFieldName("object")!);
  if (node.type === "call") return pythonReference(node.childForFieldName("function")!);
  return false;
}

/** Python's typed names: annotated parameters, assignments in functions (and at module level, visible from the
 *  top: a function runs after the module), `self.x = ...` in a class, `for x in typed`. */
function pythonBindings(root: Node): Binding[] {
  const bindings: Binding[] = [];
  for (const parameters of root.descendantsOfType("parameters")) {
    const fn = parameters!.parent;
    if (!fn) continue;
    for (const parameter of parameters!.namedChildren) {
      const name = parameter!.type === "typed_parameter" ? parameter!.namedChildren[0] : parameter!.type === "typed_default_parameter" ? parameter!.childForFieldName("name") : null;
      const type = parameter!.childForFieldName("type");
      if (name?.type === "identifier" && type) bindings.push({ name: name.text, line: fn.startPosition.row, endLine: fn.endPosition.row, source: { kind: "type", text: type.text } });
    }
  }
  for (const assignment of root.descendantsOfType("assignment")) {
    const left = assignment!.childForFieldName("left");
    const source = pythonSource(assignment!);
    if (!left || !source) continue;
    const fn = enclosing(assignment!, ["function_definition"]);
    if (left.type === "identifier") {
      bindings.push({ name: left.text, line: fn ? assignment!.startPosition.row : 0, endLine: (fn ?? root).endPosition.row, source });
    } else if (left.type === "attribute" && left.childForFieldName("object")?.text === "self") {
      const body = enclosing(assignment!, ["class_definition"]);
      if (body) bindings.push({ name: `this.${left.childForFieldName("attribute")?.text}`, line: assignment!.startPosition.row, endLine: body.endPosition.row, source });
    }
  }
  for (const loop of root.descendantsOfType("for_statement")) {
    const [left, right] = [loop!.childForFieldName("left"), loop!.childForFieldName("right")];
    if (left?.type === "identifier" && right && pythonReference(right)) bindings.push({ name: left.text, line: loop!.startPosition.row, endLine: loop!.endPosition.row, source: { kind: "element", text: right.text } });
  }
  return bindings;
}

/** The typed names inside functions and classes. */
export function bindingsOf(languageId: string, root: Node): Binding[] {
  if (languageId === "python") return pythonBindings(root);
  const bindings: Binding[] = [];
  for (const parameters of root.descendantsOfType("formal_parameters")) {
    const fn = parameters!.parent;
    if (!fn) continue;
    const documented = new Map(jsdocTags(docOf(fn) ?? "").filter((tag) => tag.tag === "param").map((tag) => [tag.name, tag.type]));
    for (const parameter of parameters!.namedChildren) {
      const pattern = parameter!.type === "required_parameter" || parameter!.type === "optional_parameter" ? parameter!.childForFieldName("pattern") : parameter!.type === "assignment_pattern" ? parameter!.childForFieldName("left") : parameter;
      if (pattern?.type !== "identifier") continue;
      const annotation = parameter!.childForFieldName("type");
      const text = annotation ? annotated(annotation)?.text : documented.get(pattern.text);
      if (text) bindings.push({ name: pattern.text, line: fn.startPosition.row, endLine: fn.endPosition.row, source: { kind: "type", text } });
    }
  }
  for (const declarator of root.descendantsOfType("variable_declarator")) {
    const name = declarator!.childForFieldName("name");
    const value = declarator!.childForFieldName("value");
    const block = enclosing(declarator!, ["statement_block", "class_body"]);
    if (!name || !block) continue; // module level: a definition of its own
    const scope = { line: declarator!.startPosition.row, endLine: block.endPosition.row };
    if (name.type === "object_pattern" && value && isReference(unwrapped(value))) {
      // `const { a, b: c } = value`: a is value.a, c is value.b.
      for (const property of name.namedChildren) {
        const [key, bound] = property!.type === "pair_pattern" ? [property!.childForFieldName("key"), property!.childForFieldName("value")] : [property, property];
        if (property!.type !== "pair_pattern" && property!.type !== "shorthand_property_identifier_pattern") continue;
        if (key && (bound?.type === "identifier" || bound?.type === "shorthand_property_identifier_pattern")) bindings.push({ name: bound.text, ...scope, source: { kind: "value", text: `${unwrapped(value).text}.${key.text}` } });
      }
      continue;
    }
    const { type } = valueFacts(declarator!, value);
    if (name.type === "identifier" && type) bindings.push({ name: name.text, ...scope, source: type });
  }
  for (const loop of root.descendantsOfType("for_in_statement")) {
    const [left, right] = [loop!.childForFieldName("left"), loop!.childForFieldName("right")];
    if (loop!.childForFieldName("operator")?.text !== "of" || left?.type !== "identifier" || !right || !isReference(unwrapped(right))) continue;
    bindings.push({ name: left.text, line: loop!.startPosition.row, endLine: loop!.endPosition.row, source: { kind: "element", text: unwrapped(right).text } });
  }
  for (const assignment of root.descendantsOfType("assignment_expression")) {
    const left = assignment!.childForFieldName("left");
    const object = left?.childForFieldName("object");
    const body = object?.type === "this" ? enclosing(assignment!, ["class_body"]) : null;
    if (!left || !body) continue;
    const key = left.type === "member_expression" ? `.${left.childForFieldName("property")?.text}` : left.type === "subscript_expression" ? `[${left.childForFieldName("index")?.text}]` : null;
    const documented = jsdocTag(docOf(assignment!), "type");
    const source = documented ? { kind: "type" as const, text: documented } : sourceOfValue(assignment!.childForFieldName("right")!);
    if (key && source) bindings.push({ name: `this${key}`, line: assignment!.startPosition.row, endLine: body.endPosition.row, source });
  }
  return bindings;
}

function enclosing(node: Node, types: string[]): Node | null {
  for (let at = node.parent; at; at = at.parent) if (types.includes(at.type)) return at;
  return null;
}
