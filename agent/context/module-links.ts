// What one file imports and re-exports, read from its syntax tree: each name bound by an import, the name it has
// in the module it comes from, and that module's specifier as written. Knows one file's tree; resolving a
// specifier to a file is module-resolver.ts's job.
import type { Node, Tree } from "web-tree-sitter";

export interface ModuleLink {
  /** The name in this file; "*" for `export * from` / `from m import *` / `pub use m::*`. */
  local: string;
  /** The name in the module it comes from: "*" the module itself (`import * as ns`, `import pkg`), "default" a
   *  JavaScript default export. */
  imported: string;
  /** The module specifier as written: "./page", "..util", "crate::a::b", "example.com/m/pkg"; "" this file. */
  from: string;
  /** Also visible to importers of this file under `local` (`export { x } from`, `pub use`, any Python import). */
  reexported: boolean;
}

export function moduleLinksOf(languageId: string, tree: Tree): ModuleLink[] {
  const root = tree.rootNode;
  switch (languageId) {
    case "typescript":
    case "tsx":
    case "javascript":
      return javascriptLinks(root);
    case "python":
      return root.descendantsOfType(["import_statement", "import_from_statement"]).flatMap((node) => pythonLinks(node!));
    case "go":
      return root.descendantsOfType("import_spec").flatMap((node) => goLink(node!));
    case "rust":
      return root.descendantsOfType("use_declaration").flatMap((node) => rustLinks(node!));
    default:
      return [];
  }
}

function javascriptLinks(root: Node): ModuleLink[] {
  const links: ModuleLink[] = [];
  for (const node of root.descendantsOfType(["import_statement", "export_statement"])) {
    const source = node!.childForFieldName("source");
    const from = source ? stringValue(source) : null;
    if (node!.type === "import_statement" && from !== null) links.push(...importClause(node!, from));
    if (node!.type === "export_statement") links.push(...exportClause(node!, from));
  }
  links.push(...commonJsLinks(root));
  // `import { a } from "./x"; export { a as b }` re-exports what was imported; `export { a as b }` of the file's
  // own `a` stays with from "" (this file).
  const imported = new Map(links.filter((link) => link.from !== "").map((link) => [link.local, link]));
  return links.map((link) => {
    const source = link.from === "" ? imported.get(link.imported) : undefined;
    return source ? { ...source, local: link.local, reexported: true } : link;
  });
}

/** CommonJS: `const x = require("./x")` (the module), `const { a, b: c } = require("./x")`,
 *  `const f = require("./x").f`; and what the file exports: `module.exports = name` or a named function or class
 *  (its "default"),
 *  `module.exports = { a, b: c }`, `exports.a = b`. */
function commonJsLinks(root: Node): ModuleLink[] {
  const links: ModuleLink[] = [];
  for (const declarator of root.descendantsOfType("variable_declarator")) {
    const name = declarator!.childForFieldName("name");
    let value = declarator!.childForFieldName("value");
    const member = value?.type === "member_expression" ? value.childForFieldName("property")?.text : undefined;
    if (member) value = value!.childForFieldName("object");
    if (value?.type !== "call_expression" || value.childForFieldName("function")?.text !== "require" || !name) continue;
    const argument = value.childForFieldName("arguments")?.namedChildren[0];
    if (argument?.type !== "string") continue;
    const from = stringValue(argument);
    if (name.type === "identifier") links.push({ local: name.text, imported: member ?? "*", from, reexported: false });
    for (const property of name.type === "object_pattern" ? name.namedChildren : []) {
      if (property!.type === "shorthand_property_identifier_pattern") links.push({ local: property!.text, imported: property!.text, from, reexported: false });
      const [key, value] = [property!.childForFieldName("key"), property!.childForFieldName("value")];
      if (property!.type === "pair_pattern" && key && value?.type === "identifier") links.push({ local: value.text, imported: key.text, from, reexported: false });
    }
  }
  for (const assignment of root.descendantsOfType("assignment_expression")) {
    const target = assignment!.childForFieldName("left")?.text.replace(/\s+/g, "");
    const value = assignment!.childForFieldName("right");
    if (!target || !value) continue;
    if (target === "module.exports" && value.type === "identifier") links.push({ local: "default", imported: value.text, from: "", reexported: true });
    // `module.exports = function lookupFiles() {}` / `= class Agent {}`: the named function or class is the module.
    const declared = ["function_expression", "function", "class"].includes(value.type) ? value.childForFieldName("name")?.text : undefined;
    if (target === "module.exports" && declared) links.push({ local: "default", imported: declared, from: "", reexported: true });
    if (target === "module.exports" && value.type === "object") {
      for (const property of value.namedChildren) {
        if (property!.type === "shorthand_property_identifier") links.push({ local: property!.text, imported: property!.text, from: "", reexported: true });
        const [key, bound] = [property!.childForFieldName("key"), property!.childForFieldName("value")];
        if (property!.type === "pair" && key && bound?.type === "identifier") links.push({ local: key.text, imported: bound.text, from: "", reexported: true });
      }
    }
    const named = /^(?:module\.)?exports\.([\w$]+)$/.exec(target)?.[1];
    if (named && value.type === "identifier") links.push({ local: named, imported: value.text, from: "", reexported: true });
  }
  return links;
}

function importClause(node: Node, from: string): ModuleLink[] {
  const clause = node.namedChildren.find((child) => child!.type === "import_clause");
  if (!clause) return [];
  return clause.namedChildren.flatMap((part): ModuleLink[] => {
    if (part!.type === "identifier") return [{ local: part!.text, imported: "default", from, reexported: false }];
    if (part!.type === "namespace_import") return part!.namedChildren[0] ? [{ local: part!.namedChildren[0].text, imported: "*", from, reexported: false }] : [];
    return specifiers(part!, "import_specifier").map(({ name, alias }) => ({ local: alias ?? name, imported: name, from, reexported: false }));
  });
}

/** `export * from`, `export * as ns from`, `export { a, b as c } from`; without a source, `export { a as b }` is
 *  kept with from "" and matched to the file's imports by the caller, and `export default name` (or a named
 *  `export default function name`) becomes the file's "default". */
function exportClause(node: Node, from: string | null): ModuleLink[] {
  const value = node.childForFieldName("value") ?? node.childForFieldName("declaration");
  const defaultName = value?.type === "identifier" ? value.text : value?.childForFieldName("name")?.text;
  if (from === null && node.children.some((child) => child!.type === "default") && defaultName) return [{ local: "default", imported: defaultName, from: "", reexported: true }];
  const clause = node.namedChildren.find((child) => child!.type === "export_clause");
  const namespace = node.namedChildren.find((child) => child!.type === "namespace_export");
  if (from !== null && !clause) return [{ local: namespace?.namedChildren[0]?.text ?? "*", imported: "*", from, reexported: true }];
  return clause ? specifiers(clause, "export_specifier").map(({ name, alias }) => ({ local: alias ?? name, imported: name, from: from ?? "", reexported: true })) : [];
}

/** `{ a, b as c }`: each specifier's name and alias; comments and half-typed specifiers are passed over. */
function specifiers(list: Node, type: string): { name: string; alias: string | null }[] {
  return list.namedChildren.flatMap((specifier) => {
    const name = specifier!.type === type ? specifier!.childForFieldName("name") : null;
    return name ? [{ name: name.text, alias: specifier!.childForFieldName("alias")?.text ?? null }] : [];
  });
}

function stringValue(node: Node): string {
  return node.text.slice(1, -1);
}

function pythonLinks(node: Node): ModuleLink[] {
  if (node.type === "import_statement") {
    // `import a.b` binds `a`; `import a.b as m` binds m to a.b.
    return node.childrenForFieldName("name").flatMap((child): ModuleLink[] => {
      if (child!.type !== "aliased_import") return [{ local: child!.text.split(".")[0]!, imported: "*", from: child!.text.split(".")[0]!, reexported: true }];
      const [name, alias] = [child!.childForFieldName("name"), child!.childForFieldName("alias")];
      return name && alias ? [{ local: alias.text, imported: "*", from: name.text, reexported: true }] : [];
    });
  }
  const from = node.childForFieldName("module_name")?.text;
  if (from === undefined) return [];
  if (node.namedChildren.some((child) => child!.type === "wildcard_import")) return [{ local: "*", imported: "*", from, reexported: true }];
  return node.childrenForFieldName("name").flatMap((child): ModuleLink[] => {
    if (child!.type !== "aliased_import") return [{ local: child!.text, imported: child!.text, from, reexported: true }];
    const [name, alias] = [child!.childForFieldName("name"), child!.childForFieldName("alias")];
    return name && alias ? [{ local: alias.text, imported: name.text, from, reexported: true }] : [];
  });
}

function goLink(node: Node): ModuleLink[] {
  const path = node.childForFieldName("path");
  if (!path) return [];
  const from = stringValue(path);
  const alias = node.childForFieldName("name")?.text;
  if (alias === "_") return [];
  // A dot import puts the package's names in this file's scope, like `from m import *`.
  if (alias === ".") return [{ local: "*", imported: "*", from, reexported: false }];
  return [{ local: alias ?? from.split("/").at(-1)!, imported: "*", from, reexported: false }];
}

/** `use a::b::C`, `use a::{B, C as D, self}`, `use a::*`; `pub use` re-exports. The last segment may name a module
 *  or an item: the resolver tries the module first. */
function rustLinks(node: Node): ModuleLink[] {
  const reexported = node.namedChildren.some((child) => child!.type === "visibility_modifier");
  const links: ModuleLink[] = [];
  const visit = (tree: Node, prefix: string): void => {
    const join = (path: string) => (prefix && path ? `${prefix}::${path}` : prefix || path);
    switch (tree.type) {
      case "scoped_identifier":
      case "identifier": {
        const path = join(tree.text.replace(/\s+/g, ""));
        const [from, name] = splitPath(path);
        links.push({ local: name, imported: name, from, reexported });
        break;
      }
      case "use_as_clause": {
        const [path, alias] = [tree.childForFieldName("path"), tree.childForFieldName("alias")];
        if (!path || !alias) break;
        const [from, name] = splitPath(join(path.text));
        links.push({ local: alias.text, imported: name, from, reexported });
        break;
      }
      case "self":
        links.push({ local: prefix.split("::").at(-1)!, imported: "*", from: prefix, reexported });
        break;
      case "use_wildcard":
        links.push({ local: "*", imported: "*", from: join(tree.namedChildren[0]?.text ?? ""), reexported });
        break;
      case "scoped_use_list":
        for (const item of tree.childForFieldName("list")?.namedChildren ?? []) visit(item!, join(tree.childForFieldName("path")?.text ?? ""));
        break;
      case "use_list":
        for (const item of tree.namedChildren) visit(item!, prefix);
        break;
    }
  };
  const argument = node.childForFieldName("argument");
  if (argument) visit(argument, "");
  return links;
}

function splitPath(path: string): [from: string, name: string] {
  const at = path.lastIndexOf("::");
  return at < 0 ? ["", path] : [path.slice(0, at), path.slice(at + 2)];
}
