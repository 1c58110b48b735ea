// Rust: trailing commas, names, `use` paths and the APIs and macros called through them, error propagation (`?`
// against `.unwrap()`/`.expect()` outside tests), doc comments (`///`) and inline `#[cfg(test)]` test modules.
import type { Node } from "web-tree-sitter";
import { Bindings } from "../bindings";
import { commentAbove, lineOf, nameChain, nodes, recordDoc, recordName, recordTrailingComma, type Captures, type SourceFile } from "./shared";

const localRoots = new Set(["crate", "self", "super", "Self"]);

export function extractRust(file: SourceFile, captures: Captures): void {
  // A lower-case path root that is neither bound nor a module of this file is a crate (`reqwest::get`); an unbound
  // type (`Vec::new`) is not an API.
  const modules = new Set(nodes(captures, "mod").map((node) => node.text));
  const bindings = new Bindings("::", (root) => /^[a-z]/.test(root) && !localRoots.has(root) && !modules.has(root));
  for (const node of nodes(captures, "import")) recordUse(file, node.childForFieldName("argument"), "", bindings);
  for (const node of nodes(captures, "callee")) recordApi(file, node, bindings, "");
  for (const node of nodes(captures, "macro")) recordApi(file, node, bindings, "!");
  for (const node of nodes(captures, "list")) recordTrailingComma(file, "trailing-comma", node);
  for (const node of nodes(captures, "call-list")) recordTrailingComma(file, "trailing-comma-call", node);
  for (const name of nodes(captures, "name.function")) recordName(file, isMethod(name.parent!) ? "method" : "function", name.text, lineOf(name));
  for (const kind of ["type", "constant", "variable"]) for (const name of nodes(captures, `name.${kind}`)) recordName(file, kind, name.text, lineOf(name));
  for (const node of nodes(captures, "documentable")) {
    const name = node.childForFieldName("name")?.text ?? "";
    if (!inTestModule(node)) recordDoc(file, commentAbove(node, (comment) => comment.text.startsWith("///")), lineOf(node), name);
  }
  recordErrorPropagation(file, captures);
  for (const node of nodes(captures, "attribute")) {
    if (node.text.replace(/\s+/g, "") === "#[cfg(test)]") file.recorder.add("test-location", "inline test module", lineOf(node));
  }
}

const isMethod = (item: Node) => item.parent?.type === "declaration_list" && /^(impl|trait)_item$/.test(item.parent.parent?.type ?? "");

/** `use a::b::C;` binds C to a::b::C, `use a::{b, c as d}` binds b and d, `use a::b as e` binds e. */
function recordUse(file: SourceFile, node: Node | null, prefix: string, bindings: Bindings): void {
  if (!node) return;
  const join = (path: string) => (prefix ? `${prefix}::${path}` : path);
  if (node.type === "scoped_use_list") {
    const path = join(node.childForFieldName("path")?.text ?? "");
    for (const item of node.childForFieldName("list")?.namedChildren ?? []) recordUse(file, item, path, bindings);
    return;
  }
  if (node.type === "use_list") {
    for (const item of node.namedChildren) recordUse(file, item, prefix, bindings);
    return;
  }
  const path = join((node.type === "use_as_clause" ? node.childForFieldName("path") : node)?.text ?? "");
  if (localRoots.has(path.split("::")[0]!) || node.type === "use_wildcard") return;
  const segments = path.split("::");
  const module = segments.length > 1 ? segments.slice(0, -1).join("::") : path;
  file.recorder.add("module", module, lineOf(node), module);
  if (segments.length > 1) file.recorder.add("api", path, lineOf(node), path);
  bindings.bind(node.type === "use_as_clause" ? node.childForFieldName("alias")!.text : segments[segments.length - 1]!, path);
}

/** A call through a path or a bound name (a bare `helper()` is a local function), or any macro (`println!`). */
function recordApi(file: SourceFile, node: Node, bindings: Bindings, suffix: string): void {
  const chain = nameChain(node, "::");
  if (!chain || (chain.length === 1 && !suffix && !bindings.has(chain[0]!))) return;
  const api = bindings.qualify(chain) ?? (suffix && chain.length === 1 ? chain[0] : null);
  if (api) file.recorder.add("api", api + suffix, lineOf(node), api + suffix);
}

/** Outside tests: `?` propagates an error; `.unwrap()` and `.expect()` panic on one. */
function recordErrorPropagation(file: SourceFile, captures: Captures): void {
  if (file.isTest) return;
  for (const node of nodes(captures, "propagate")) if (!inTestModule(node)) file.recorder.add("error-propagation", "?", lineOf(node));
  for (const node of nodes(captures, "method")) {
    if ((node.text === "unwrap" || node.text === "expect") && !inTestModule(node)) file.recorder.add("error-propagation", node.text, lineOf(node), `.${node.text}()`);
  }
}

function inTestModule(node: Node): boolean {
  for (let parent = node.parent; parent; parent = parent.parent) {
    if (parent.type === "mod_item" && parent.childForFieldName("name")?.text === "tests") return true;
  }
  return false;
}
