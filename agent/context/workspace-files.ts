// Lists what a repository owns for indexing: every file whose language Ghost parses (and, for the index, the files
// that say how imports resolve), minus what .gitignore excludes (the `ignore` package reads gitignore syntax,
// nested .gitignore files and .git/info/exclude included) and dependency, vendored and generated folders. A folder
// is skipped for what it is, not its name: `build/` holding the repository's own build scripts is indexed unless
// ignored. Knows the filesystem layout, nothing about parsing.
import ignore, { type Ignore } from "ignore";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join, posix } from "node:path";
import { languageOf } from "./languages";
import { isProjectFile } from "./project-config";

/** Installed dependencies and vendored copies, whatever the .gitignore says (it often ignores none of them). */
const dependencyFolders = new Set(["node_modules", "bower_components", "jspm_packages", "vendor", "third_party", "site-packages", "__pycache__"]);
/** Files that mark a folder as generated: cargo's and other tools' cache tag, a Python virtual environment. */
const generatedMarkers = ["CACHEDIR.TAG", "pyvenv.cfg"];

/** Workspace-relative POSIX paths of source files, sorted, at most `limit`. */
export function listSourceFiles(root: string, limit = 20000): Promise<string[]> {
  return walkRepository(root, limit, (path) => languageOf(path) !== null);
}

/** Source files and the configuration files import resolution reads (tsconfig, package.json, go.mod). */
export function listIndexedFiles(root: string, limit = 20000): Promise<string[]> {
  return walkRepository(root, limit, (path) => languageOf(path) !== null || isProjectFile(path));
}

interface Rules {
  /** Folder the rules' patterns are relative to ("" for the root). */
  base: string;
  rules: Ignore;
}

async function walkRepository(root: string, limit: number, wanted: (path: string) => boolean): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string, inherited: Rules[]): Promise<void> => {
    const entries = (await readdir(join(root, dir), { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
    const names = entries.map((entry) => entry.name);
    if (dir !== "" && generatedMarkers.some((marker) => names.includes(marker))) return;
    const rules = [...inherited, ...(await rulesIn(root, dir, names))];
    for (const entry of entries) {
      if (found.length >= limit) return;
      // Hidden folders and files hold tools' state and settings (.git, .venv, .cache), not the repository's code.
      if (entry.name.startsWith(".")) continue;
      const path = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (dependencyFolders.has(entry.name) || ignored(rules, `${path}/`)) continue;
        await walk(path, rules);
      } else if (entry.isFile() && wanted(path) && !ignored(rules, path)) found.push(path);
    }
  };
  await walk("", []);
  return found;
}

async function rulesIn(root: string, dir: string, names: string[]): Promise<Rules[]> {
  const sources = [...(dir === "" ? [".git/info/exclude"] : []), ...(names.includes(".gitignore") ? [".gitignore"] : [])];
  const rules: Rules[] = [];
  for (const source of sources) {
    const file = join(root, dir, source);
    if (existsSync(file)) rules.push({ base: dir, rules: ignore().add(await readFile(file, "utf8")) });
  }
  return rules;
}

/** A deeper .gitignore overrides a shallower one (`!pattern` re-includes), as git reads them. */
function ignored(rules: readonly Rules[], path: string): boolean {
  let result = false;
  for (const { base, rules: set } of rules) {
    const outcome = set.test(base ? posix.relative(base, path) + (path.endsWith("/") ? "/" : "") : path);
    if (outcome.ignored) result = true;
    else if (outcome.unignored) result = false;
  }
  return result;
}
