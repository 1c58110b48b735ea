// The definition a name in a file refers to, found through that file's imports: the module is resolved like the
// language does it, aliases (`import { a as b }`) map back to the exported name, and re-exports and barrels
// (`export * from`, `export { x } from`, `pub use`, a package's `__init__.py`) are followed to the file that
// defines it. Null when the name is not imported or its module is not in the repository: the caller then falls back
// to the index. Knows the tag index; nothing about prompts.
import { posix } from "node:path";
import { languageOf } from "./languages";
import type { ModuleLink } from "./module-links";
import { resolveModule } from "./module-resolver";
import type { LocatedDefinition, TagIndex } from "./tag-index";

/** Re-export chains longer than this are cycles or generated code. */
const maxHops = 8;

/** `name` as used in `fromPath`, optionally qualified (`ns.name`, `pkg::name`): its definitions, or null. */
export function importedDefinitions(index: TagIndex, fromPath: string, name: string, qualifier: string | null = null): LocatedDefinition[] | null {
  return index.cachedDerived(`definitions\0${fromPath}\0${qualifier ?? ""}\0${name}`, () => findImportedDefinitions(index, fromPath, name, qualifier));
}

function findImportedDefinitions(index: TagIndex, fromPath: string, name: string, qualifier: string | null): LocatedDefinition[] | null {
  const links = index.tagsOf(fromPath)?.links ?? [];
  if (qualifier !== null) {
    const namespace = links.find((link) => link.local === qualifier);
    if (!namespace) return null;
    const found = exported(index, namespaceFiles(index, fromPath, namespace), name, 0);
    return found.length > 0 ? found : null;
  }
  const link = links.find((candidate) => candidate.local === name);
  if (link?.imported === "*") {
    // A module called as a function: CommonJS's `module.exports = buildConnector`, required as a whole.
    const found = exported(index, modules(index, fromPath, link.from), "default", 0);
    return found.length > 0 ? found : null;
  }
  const found = link ? follow(index, fromPath, link, 0) : links.filter((candidate) => candidate.local === "*").flatMap((star) => exported(index, modules(index, fromPath, star.from), name, 0));
  return found.length > 0 ? found : null;
}

/** The names (as bound here and as exported there) of this file's imports whose module is in the repository. */
export function namesOfResolvedImports(index: TagIndex, fromPath: string): string[] {
  return index.cachedDerived(`imported names\0${fromPath}`, () =>
    (index.tagsOf(fromPath)?.links ?? []).filter((link) => modules(index, fromPath, link.from).length > 0).flatMap((link) => [link.local, link.imported]),
  );
}

/** The files this file's imports reach: each imported module, then what those modules re-export, nearest first,
 *  at most `limit`. A method called on an imported value (`z.string().optional(`) is most likely defined there. */
export function importClosure(index: TagIndex, fromPath: string, limit = 64): ReadonlySet<string> {
  return index.cachedDerived(`closure\0${fromPath}\0${limit}`, () => closureOf(index, fromPath, limit));
}

function closureOf(index: TagIndex, fromPath: string, limit: number): Set<string> {
  const reached = new Set<string>();
  const queue = (index.tagsOf(fromPath)?.links ?? []).filter((link) => link.from !== "").flatMap((link) => modules(index, fromPath, link.from));
  while (queue.length > 0 && reached.size < limit) {
    const path = queue.shift()!;
    if (reached.has(path) || path === fromPath) continue;
    reached.add(path);
    for (const link of index.tagsOf(path)?.links ?? []) if (link.reexported && link.from !== "") queue.push(...modules(index, path, link.from));
  }
  return reached;
}

/** The files a namespace binding stands for: `import * as ns`, `import pkg.mod as m`, Go's package, and also a
 *  submodule imported by name (`from pkg import mod`, `use crate::a::b`). */
function namespaceFiles(index: TagIndex, fromPath: string, link: ModuleLink, hops = 0): string[] {
  if (link.imported === "*") return modules(index, fromPath, link.from);
  // A namespace the module re-exports by name (`import * as z from "./external"; export { z }`).
  for (const path of hops < maxHops ? modules(index, fromPath, link.from) : []) {
    const inner = (index.tagsOf(path)?.links ?? []).find((candidate) => candidate.reexported && candidate.local === link.imported && candidate.from !== "");
    if (inner) return namespaceFiles(index, path, inner, hops + 1);
  }
  return modules(index, fromPath, submodule(fromPath, link.from, link.imported));
}

export function follow(index: TagIndex, fromPath: string, link: ModuleLink, hops: number): LocatedDefinition[] {
  if (hops > maxHops) return [];
  const files = modules(index, fromPath, link.from);
  const found = exported(index, files, link.imported, hops + 1);
  return found.length > 0 || link.imported !== "default" ? found : files.flatMap((file) => defaultExport(index, file, link.local));
}

/** What `files` (one module, or a Go package's files) export under `name`: their own module-level definition (a
 *  class's same-named method is not the module's export), else the re-export that names it, else what their
 *  `export *` modules export; failing all, a nested definition of the name in the module asked for (a member of the
 *  object CommonJS exports: `const api = { name() {} }; module.exports = api`). */
export function exported(index: TagIndex, files: readonly string[], name: string, hops = 0, viaStar = false): LocatedDefinition[] {
  if (hops > maxHops) return [];
  const named = files.flatMap((path) => index.definitionsIn(path, name).map((definition) => ({ ...definition, path })));
  const own = named.filter((definition) => definition.container === undefined);
  if (own.length > 0) return own;
  for (const path of files) {
    const links = index.tagsOf(path)?.links ?? [];
    const named = links.find((link) => link.reexported && link.local === name);
    if (named) {
      const found = named.imported === "*" ? [] : follow(index, path, named, hops + 1);
      if (found.length > 0) return found;
    }
    for (const star of links.filter((link) => link.reexported && link.local === "*")) {
      const found = exported(index, modules(index, path, star.from), name, hops + 1, true);
      if (found.length > 0) return found;
    }
  }
  // Not through `export *`: a module that only passes names on does not export its members.
  return viaStar ? [] : named;
}

/** A JavaScript default export: the definition declared `export default`, else the one named as imported. */
function defaultExport(index: TagIndex, path: string, local: string): LocatedDefinition[] {
  const definitions = index.tagsOf(path)?.definitions ?? [];
  const declared = definitions.filter((definition) => /^\s*export\s+default\b/.test(definition.signature));
  return (declared.length > 0 ? declared : definitions.filter((definition) => definition.name === local)).map((definition) => ({ ...definition, path }));
}

export function modules(index: TagIndex, fromPath: string, specifier: string): string[] {
  if (specifier === "") return [fromPath];
  const language = languageOf(fromPath)?.id;
  if (!language) return [];
  return index.cachedResolution(`${fromPath}\0${specifier}`, () => resolveModule(index, language, fromPath, specifier));
}

/** The specifier of `name` as a submodule of `from`, in the importing file's language. */
function submodule(fromPath: string, from: string, name: string): string {
  switch (languageOf(fromPath)?.id) {
    case "python":
      return from.endsWith(".") ? `${from}${name}` : `${from}.${name}`;
    case "rust":
      return from ? `${from}::${name}` : name;
    default:
      return posix.join(from, name);
  }
}
