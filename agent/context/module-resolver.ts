// Module specifiers resolved to the repository's files the way each language does it: TypeScript/JavaScript
// relative paths (extensions, `.js` written for `.ts`, index files), tsconfig `paths`/`baseUrl` and workspace
// packages' `exports`; Python relative and absolute modules against the repository's packages; Go packages by
// folder; Rust `crate::`/`self::`/`super::` paths within the crate. Knows paths and configuration, not file texts;
// a specifier that names no indexed file resolves to nothing (the caller falls back to the index).
import { posix } from "node:path";
import type { ProjectFile } from "./project-config";

/** The indexed files and configuration the resolver looks in (the tag index). */
export interface ModuleSpace {
  has(path: string): boolean;
  /** Indexed files in a folder (POSIX, "" for the root). */
  filesIn(dir: string): readonly string[];
  /** Indexed files whose path ends with `/suffix` or equals it. */
  filesEndingWith(suffix: string): readonly string[];
  /** Folders holding indexed files whose path ends with `/suffix` or equals it. */
  foldersEndingWith(suffix: string): readonly string[];
  projectFiles(): Iterable<ProjectFile>;
}

/** Candidate files for `specifier` imported from `fromPath`, most likely first; several for a Go package. */
export function resolveModule(space: ModuleSpace, languageId: string, fromPath: string, specifier: string): string[] {
  switch (languageId) {
    case "typescript":
    case "tsx":
    case "javascript":
      return scriptModule(space, fromPath, specifier);
    case "python":
      return pythonModule(space, fromPath, specifier);
    case "go":
      return goPackage(space, specifier);
    case "rust":
      return rustModule(space, fromPath, specifier);
    default:
      return [];
  }
}

const scriptExtensions = [".ts", ".tsx", ".d.ts", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"];
/** TypeScript's rule: an import written with the output's extension names the source file, or its declarations. */
const sourceOfOutput: Record<string, string[]> = { ".js": [".ts", ".tsx", ".d.ts"], ".jsx": [".tsx", ".d.ts"], ".mjs": [".mts", ".d.mts"], ".cjs": [".cts", ".d.cts"] };

function scriptModule(space: ModuleSpace, fromPath: string, specifier: string): string[] {
  if (specifier.startsWith(".") || specifier.startsWith("/")) return scriptFile(space, posix.join(posix.dirname(fromPath), specifier));
  for (const base of tsconfigTargets(space, fromPath, specifier)) {
    const found = scriptFile(space, base);
    if (found.length > 0) return found;
  }
  return workspacePackage(space, specifier);
}

/** A path as TypeScript tries it: as written, with each extension, with the source extension for an output one,
 *  as a folder's index. */
function scriptFile(space: ModuleSpace, base: string): string[] {
  const clean = posix.normalize(base).replace(/^\.\//, "").replace(/\/$/, "");
  const extension = posix.extname(clean);
  const stem = clean.slice(0, clean.length - extension.length);
  const candidates = [
    ...(sourceOfOutput[extension] ?? []).map((source) => stem + source),
    clean,
    ...scriptExtensions.map((ext) => clean + ext),
    ...scriptExtensions.map((ext) => `${clean}/index${ext}`),
  ];
  const found = candidates.find((candidate) => space.has(candidate));
  return found ? [found] : [];
}

/** Where tsconfig `paths` (or `baseUrl`) of the nearest tsconfig send a bare specifier. */
function tsconfigTargets(space: ModuleSpace, fromPath: string, specifier: string): string[] {
  const configs = [...space.projectFiles()].filter((file): file is Extract<ProjectFile, { kind: "tsconfig" }> => file.kind === "tsconfig");
  const nearest = configs.filter((config) => isInside(fromPath, config.dir)).sort((a, b) => b.dir.length - a.dir.length)[0];
  if (!nearest) return [];
  const chain = [nearest];
  for (let at = nearest; at.extends; ) {
    const parent = configs.find((config) => `${config.dir}/${posix.basename(at.extends!)}` === at.extends || posix.join(config.dir, posix.basename(at.extends!)) === at.extends);
    if (!parent || chain.includes(parent)) break;
    chain.push((at = parent));
  }
  const withBase = chain.find((config) => config.baseUrl !== null);
  const baseUrl = withBase ? posix.join(withBase.dir, withBase.baseUrl!) : null;
  const withPaths = chain.find((config) => Object.keys(config.paths).length > 0);
  const targets: string[] = [];
  for (const [pattern, replacements] of Object.entries(withPaths?.paths ?? {})) {
    const star = pattern.indexOf("*");
    const matched = star < 0 ? (pattern === specifier ? "" : null) : specifier.startsWith(pattern.slice(0, star)) && specifier.endsWith(pattern.slice(star + 1)) ? specifier.slice(star, specifier.length - (pattern.length - star - 1)) : null;
    if (matched === null) continue;
    for (const replacement of replacements) targets.push(posix.join(baseUrl ?? withPaths!.dir, replacement.replace("*", matched)));
  }
  if (baseUrl) targets.push(posix.join(baseUrl, specifier));
  return targets;
}

/** A package of this repository (a workspace package) imported by name: its `exports` for the subpath, else its
 *  entry fields or the subpath as a folder. A target in a build output folder maps back to the source. */
function workspacePackage(space: ModuleSpace, specifier: string): string[] {
  for (const file of space.projectFiles()) {
    if (file.kind !== "package" || !file.name || (specifier !== file.name && !specifier.startsWith(`${file.name}/`))) continue;
    const subpath = `.${specifier.slice(file.name.length)}`;
    const targets = [...exportTargets(file.exports, subpath), ...(subpath === "." ? [...file.entry, "index"] : [subpath])];
    for (const target of targets) {
      const full = posix.join(file.dir, target);
      const found = [...scriptFile(space, full), ...scriptFile(space, full.replace(/(^|\/)(dist|lib|build|out)\//, "$1src/"))];
      if (found.length > 0) return [found[0]!];
    }
  }
  return [];
}

/** Conditions in the order TypeScript and Node pick them; conditions of other tools (`@zod/source`, `bun`) last. */
const conditionOrder = ["types", "import", "module", "node", "require", "default", "browser"];

/** The `exports` entries for a subpath, every condition's target, known conditions first. */
function exportTargets(exports: unknown, subpath: string): string[] {
  if (typeof exports === "string") return subpath === "." ? [exports] : [];
  if (!exports || typeof exports !== "object") return [];
  const entries = Object.entries(exports as Record<string, unknown>);
  if (!entries.every(([key]) => key.startsWith("."))) return subpath === "." ? conditionTargets(exports) : [];
  for (const [key, value] of entries) {
    const star = key.indexOf("*");
    if (key === subpath) return conditionTargets(value);
    if (star >= 0 && subpath.startsWith(key.slice(0, star)) && subpath.endsWith(key.slice(star + 1))) {
      const matched = subpath.slice(star, subpath.length - (key.length - star - 1));
      return conditionTargets(value).map((target) => target.replace("*", matched));
    }
  }
  return [];
}

function conditionTargets(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(conditionTargets);
  if (!value || typeof value !== "object") return [];
  const rank = (key: string) => (conditionOrder.includes(key) ? conditionOrder.indexOf(key) : conditionOrder.length);
  return Object.entries(value)
    .sort(([a], [b]) => rank(a) - rank(b))
    .flatMap(([, target]) => conditionTargets(target));
}

/** `.mod`, `..pkg.mod` relative to the importing file's package; `pkg.mod` against every folder that holds the
 *  package (the repository root, `src/`, or any other source root), the one nearest the importing file first. */
function pythonModule(space: ModuleSpace, fromPath: string, specifier: string): string[] {
  const dots = /^\.*/.exec(specifier)![0].length;
  const rest = specifier.slice(dots).split(".").filter(Boolean).join("/");
  if (dots > 0) {
    let dir = posix.dirname(fromPath);
    for (let level = 1; level < dots; level++) dir = posix.dirname(dir);
    const base = posix.join(dir === "." ? "" : dir, rest);
    return [`${base}.py`, `${base}/__init__.py`].filter((path) => space.has(path.replace(/^\//, ""))).map((path) => path.replace(/^\//, ""));
  }
  const found = [...space.filesEndingWith(`${rest}.py`), ...space.filesEndingWith(`${rest}/__init__.py`)];
  return found.sort((a, b) => sharedDepth(b, fromPath) - sharedDepth(a, fromPath) || a.length - b.length);
}

/** A Go import path: under a go.mod's module path, else the indexed folder its last segments name. */
function goPackage(space: ModuleSpace, specifier: string): string[] {
  const goFiles = (dir: string) => space.filesIn(dir).filter((path) => path.endsWith(".go") && !path.endsWith("_test.go"));
  for (const file of space.projectFiles()) {
    if (file.kind === "gomod" && (specifier === file.module || specifier.startsWith(`${file.module}/`))) {
      const dir = posix.join(file.dir, specifier.slice(file.module.length + 1));
      return goFiles(dir === "." ? "" : dir);
    }
  }
  const segments = specifier.split("/");
  for (let start = 0; start < segments.length; start++) {
    const tail = segments.slice(start).join("/");
    const [folder] = space.foldersEndingWith(tail);
    if (folder !== undefined) return goFiles(folder);
  }
  return [];
}

/** `crate::a::b` from the crate's `src/`, `self::`/`super::` from the importing file's module. */
function rustModule(space: ModuleSpace, fromPath: string, specifier: string): string[] {
  const segments = specifier.split("::").filter(Boolean);
  const srcAt = fromPath.lastIndexOf("src/");
  const crateRoot = srcAt >= 0 ? fromPath.slice(0, srcAt + 3) : posix.dirname(fromPath);
  const name = posix.basename(fromPath, ".rs");
  let dir = ["mod", "lib", "main"].includes(name) ? posix.dirname(fromPath) : posix.join(posix.dirname(fromPath), name);
  if (segments[0] === "crate") {
    dir = crateRoot;
    segments.shift();
  } else if (segments[0] === "self") segments.shift();
  while (segments[0] === "super") {
    dir = posix.dirname(dir);
    segments.shift();
  }
  if (segments.length === 0) return [`${dir}/mod.rs`, `${dir}.rs`, `${dir}/lib.rs`].filter((path) => space.has(path));
  const base = posix.join(dir, ...segments);
  return [`${base}.rs`, `${base}/mod.rs`].filter((path) => space.has(path));
}

function isInside(path: string, dir: string): boolean {
  return dir === "." || dir === "" || path.startsWith(`${dir}/`);
}

function sharedDepth(a: string, b: string): number {
  const left = a.split("/");
  const right = b.split("/");
  let depth = 0;
  while (depth < left.length && left[depth] === right[depth]) depth++;
  return depth;
}
