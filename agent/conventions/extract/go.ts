// Go: gofmt settles layout, so this reads names (in Go's MixedCaps, exported or not), imports and the APIs called
// through them, and doc comments.
import type { Node } from "web-tree-sitter";
import { Bindings } from "../bindings";
import { caseStyle } from "../naming";
import { commentAbove, lineOf, nameChain, nodes, recordDoc, recordName, type Captures, type SourceFile } from "./shared";

const builtins = new Set(["panic", "recover", "print", "println"]);

export function extractGo(file: SourceFile, captures: Captures): void {
  const bindings = new Bindings(".", (root) => builtins.has(root));
  for (const node of nodes(captures, "import")) recordImport(file, node, bindings);
  for (const node of nodes(captures, "callee")) {
    const chain = nameChain(node, ".");
    const api = chain && bindings.qualify(chain);
    if (api) file.recorder.add("api", api, lineOf(node), api);
  }
  const kinds = ["function", "method", "type", "constant", "variable"];
  for (const kind of kinds) for (const name of nodes(captures, `name.${kind}`)) recordName(file, kind, name.text, lineOf(name), mixedCaps(name.text));
  for (const node of nodes(captures, "documentable")) {
    const name = node.type === "type_declaration" ? node.namedChildren[0]?.childForFieldName("name") : node.childForFieldName("name");
    if (name) recordDoc(file, commentAbove(node), lineOf(node), name.text);
  }
}

/** camelCase and PascalCase are one style in Go (the case of the first letter exports a name). */
function mixedCaps(name: string): string | null {
  const style = caseStyle(name);
  return style === "camelCase" || style === "PascalCase" ? "MixedCaps" : style;
}

/** `import "net/http"` binds http; `import log "github.com/sirupsen/logrus"` binds log; a /vN suffix is a version. */
function recordImport(file: SourceFile, node: Node, bindings: Bindings): void {
  const path = node.childForFieldName("path")?.text.slice(1, -1);
  if (!path) return;
  file.recorder.add("module", path, lineOf(node), path);
  const segments = path.split("/");
  const last = /^v\d+$/.test(segments[segments.length - 1]!) && segments.length > 1 ? segments[segments.length - 2]! : segments[segments.length - 1]!;
  const alias = node.childForFieldName("name")?.text;
  if (alias !== "_" && alias !== ".") bindings.bind(alias ?? last, path);
}
