// The workspace's files for list_files and search: a plain walk of the folder (no downloaded binary), skipping
// .git, dependency and build folders, and symlinks (they may lead out); text search by regular expression over
// files that decode as text; symbol search through the tree-sitter tag index. Knows nothing about the policy: the
// caller has checked that `dir` is inside the workspace.
import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { TagIndex } from "../context/tag-index";
import { languageOf } from "../context/languages";
import { decode } from "../../diffing/text-format";

const skippedFolders = new Set([".git", "node_modules", "dist", "out", "build", "target", "vendor", "__pycache__", "venv", ".venv"]);
/** Larger files are generated or data; searching them costs much and says little. */
const maxSearchedBytes = 1024 * 1024;

export interface SearchHit {
  path: string;
  /** 1-based. */
  line: number;
  text: string;
}

/** Workspace-relative POSIX paths of the files under `dir` (itself relative), sorted, at most `limit`; null when
 *  `dir` does not exist. A folder that can not be read (permissions, removed meanwhile) is skipped. */
export async function walkFiles(root: string, dir: string, limit: number): Promise<{ paths: string[]; truncated: boolean } | null> {
  const paths: string[] = [];
  let truncated = false;
  const walk = async (folder: string): Promise<void> => {
    const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (paths.length >= limit) return void (truncated = true);
      const path = join(folder, entry.name);
      if (entry.isDirectory() && !skippedFolders.has(entry.name)) await walk(path);
      else if (entry.isFile()) paths.push(relative(root, path).split(sep).join("/"));
    }
  };
  const start = join(root, dir);
  const stats = await stat(start).catch(() => null);
  if (stats === null) return null;
  if (stats.isFile()) return { paths: [relative(root, start).split(sep).join("/")], truncated };
  await walk(start);
  return { paths, truncated };
}

export async function searchText(root: string, dir: string, pattern: RegExp, limit: number): Promise<SearchHit[]> {
  const hits: SearchHit[] = [];
  for (const path of (await walkFiles(root, dir, 50_000))?.paths ?? []) {
    const bytes = await readFile(join(root, path)).catch(() => null);
    if (bytes === null || bytes.length > maxSearchedBytes) continue;
    const decoded = decode(bytes);
    if (decoded.kind !== "text") continue;
    const lines = decoded.text.split("\n");
    for (const [index, text] of lines.entries()) {
      if (!pattern.test(text)) continue;
      hits.push({ path, line: index + 1, text: text.length > 200 ? `${text.slice(0, 200)}…` : text });
      if (hits.length >= limit) return hits;
    }
  }
  return hits;
}

/** Definitions of `name` in the source files under `dir`; the index is built on first use and kept. */
export async function searchSymbol(root: string, dir: string, name: string, index: TagIndex, limit: number): Promise<SearchHit[]> {
  if (index.fileCount === 0) {
    for (const path of (await walkFiles(root, ".", 50_000))?.paths ?? []) {
      if (!languageOf(path)) continue;
      const bytes = await readFile(join(root, path)).catch(() => null);
      if (bytes !== null && bytes.length <= maxSearchedBytes) await index.update(path, bytes.toString("utf8"));
    }
  }
  const prefix = dir === "." ? "" : `${dir.replace(/\/$/, "")}/`;
  return index
    .definitionsOf(name)
    .filter((definition) => definition.path.startsWith(prefix))
    .slice(0, limit)
    .map((definition) => ({ path: definition.path, line: definition.line + 1, text: definition.signature }));
}
