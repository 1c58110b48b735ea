// The workspace's files for list_files and search: a plain walk of the folder (no downloaded binary), skipping
// .git, dependency and build folders, and symlinks (they may lead out); text search by regular expression over
// files that decode as text, in a worker thread under a time limit (search-worker.ts); symbol search through the
// tree-sitter tag index. What could not be read is listed, never silently left out. Knows nothing about the
// policy: the caller has checked that `dir` is inside the workspace.
import { readdir, readFile, stat } from "node:fs/promises";
import { extname, join, relative, sep } from "node:path";
import { TagIndex } from "../context/tag-index";
import { languageOf } from "../context/languages";
import { startWorkerThread } from "../worker-thread";

const skippedFolders = new Set([".git", "node_modules", "dist", "out", "build", "target", "vendor", "__pycache__", "venv", ".venv"]);
/** Larger files are generated or data; searching them costs much and says little. */
const maxSearchedBytes = 1024 * 1024;
/** A search whose worker reports no progress for this long is stuck in one line: a pattern such as (a+)+$
 *  backtracks for minutes on 35 characters. Reading and matching one file of at most 1 MB takes milliseconds. */
const searchStallMs = 2000;
/** The whole search, however fast it goes file by file. */
const searchTotalMs = 20_000;

export interface SearchHit {
  path: string;
  /** 1-based. */
  line: number;
  text: string;
}

/** skipped: "path (CODE)" for what could not be read (a folder without permission); a file or folder removed
 *  while walking is simply gone, not skipped. */
export interface Walked {
  paths: string[];
  truncated: boolean;
  skipped: string[];
}

export interface SearchResult {
  hits: SearchHit[];
  skipped: string[];
  /** Why the search ended before it looked at every file (time limit); null when it finished. */
  stopped: string | null;
}

/** Workspace-relative POSIX paths of the files under `dir` (itself relative), sorted, at most `limit`; null when
 *  `dir` does not exist. `onFolder` hears each folder read (the search worker's heartbeat). */
export async function walkFiles(root: string, dir: string, limit: number, onFolder?: () => void): Promise<Walked | null> {
  const walked: Walked = { paths: [], truncated: false, skipped: [] };
  const posixPath = (path: string) => relative(root, path).split(sep).join("/");
  const walk = async (folder: string): Promise<void> => {
    onFolder?.();
    const entries = await readdir(folder, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      if (!isGone(error)) walked.skipped.push(`${posixPath(folder) || "."}/ (${error.code ?? error.message})`);
      return [];
    });
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (walked.paths.length >= limit) return void (walked.truncated = true);
      const path = join(folder, entry.name);
      if (entry.isDirectory() && !skippedFolders.has(entry.name)) await walk(path);
      else if (entry.isFile()) walked.paths.push(posixPath(path));
    }
  };
  const start = join(root, dir);
  const stats = await stat(start).catch((error: NodeJS.ErrnoException) => (isGone(error) ? null : Promise.reject(error)));
  if (stats === null) return null;
  if (stats.isFile()) return { ...walked, paths: [posixPath(start)] };
  await walk(start);
  return walked;
}

/** A file's bytes for searching: null when it is gone (removed meanwhile) or too big to search; an unreadable one
 *  is added to `skipped`. */
export async function searchable(root: string, path: string, skipped: string[]): Promise<Buffer | null> {
  const bytes = await readFile(join(root, path)).catch((error: NodeJS.ErrnoException) => {
    if (!isGone(error)) skipped.push(`${path} (${error.code ?? error.message})`);
    return null;
  });
  return bytes !== null && bytes.length <= maxSearchedBytes ? bytes : null;
}

/** The lines matching `pattern` in the text files under `dir`, at most `limit`. The matching runs in a worker thread:
 *  a pattern that backtracks without end is stopped after `stallMs` without progress, and never blocks this
 *  thread (in VS Code, the extension host's). */
export function searchText(root: string, dir: string, pattern: RegExp, limit: number, { stallMs = searchStallMs, totalMs = searchTotalMs } = {}): Promise<SearchResult> {
  const worker = startWorkerThread(join(__dirname, `search-worker${extname(__filename)}`), { root, dir, pattern, limit });
  const result: SearchResult = { hits: [], skipped: [], stopped: null };
  return new Promise((resolve, reject) => {
    const stop = (why: string) => {
      result.stopped = why;
      void worker.terminate();
      resolve(result);
    };
    const stall = setTimeout(() => stop(`no progress for ${stallMs / 1000} s: the pattern backtracks too much (nested repeats such as (a+)+); simplify it`), stallMs);
    const total = setTimeout(() => stop(`the search ran past its ${totalMs / 1000} s; search a smaller folder`), totalMs);
    const settle = () => (clearTimeout(stall), clearTimeout(total));
    worker.on("message", (message: WorkerMessage) => {
      stall.refresh();
      if (message.type === "hits") result.hits.push(...message.hits);
      if (message.type !== "done") return;
      settle();
      result.skipped = message.skipped;
      resolve(result);
    });
    worker.on("error", (error) => (settle(), reject(error)));
    worker.on("exit", () => settle());
  });
}

/** What search-worker.ts posts: a heartbeat, hits as it finds them, and the end. */
export type WorkerMessage = { type: "progress" } | { type: "hits"; hits: SearchHit[] } | { type: "done"; skipped: string[] };

/** Definitions of `name` in the source files under `dir`; the index is built on first use and kept. */
export async function searchSymbol(root: string, dir: string, name: string, index: TagIndex, limit: number): Promise<SearchResult> {
  const skipped: string[] = [];
  if (index.fileCount === 0) {
    const walked = await walkFiles(root, ".", 50_000);
    skipped.push(...(walked?.skipped ?? []));
    for (const path of walked?.paths ?? []) {
      if (!languageOf(path)) continue;
      const bytes = await searchable(root, path, skipped);
      if (bytes !== null) await index.update(path, bytes.toString("utf8"));
    }
  }
  const prefix = dir === "." ? "" : `${dir.replace(/\/$/, "")}/`;
  const hits = index
    .definitionsOf(name)
    .filter((definition) => definition.path.startsWith(prefix))
    .slice(0, limit)
    .map((definition) => ({ path: definition.path, line: definition.line + 1, text: definition.signature }));
  return { hits, skipped, stopped: null };
}

/** Removed between listing and reading: a race with the user or a command, not a failure. */
function isGone(error: NodeJS.ErrnoException): boolean {
  return error.code === "ENOENT" || error.code === "ENOTDIR";
}
