// The workspace's tag index: for every source file, the symbols it defines and the names it references, kept up
// to date file by file. Built in the background in small batches so the editor stays responsive.
// Also holds the repository's import settings (tsconfig, package.json, go.mod) so imports resolve against it.
// Knows file paths and texts, not how they are read (the caller passes text) nor VS Code.
import { posix } from "node:path";
import { languageOf } from "./languages";
import type { ModuleSpace } from "./module-resolver";
import { loadLanguage } from "./parser";
import { isProjectFile, parseProjectFile, type ProjectFile } from "./project-config";
import { tagsOf, type Definition, type FileTags } from "./tags";

export interface LocatedDefinition extends Definition {
  path: string;
}

/** Files larger than this are skipped: generated bundles and minified code say little about conventions or APIs. */
export const maxIndexedBytes = 512 * 1024;

export class TagIndex implements ModuleSpace {
  private readonly files = new Map<string, FileTags>();
  /** name → path → that file's definitions of the name: a lookup costs what it returns, not the files' size. */
  private readonly byName = new Map<string, Map<string, Definition[]>>();
  private readonly byFolder = new Map<string, Set<string>>();
  private readonly project = new Map<string, ProjectFile>();
  /** Configuration files that could not be read, with why: shown to the user, their settings ignored. */
  readonly problems = new Map<string, string>();
  /** Grows whenever the set of files or the configuration changes: resolutions cached under an older one are stale. */
  private version = 0;
  private readonly resolved = new Map<string, { version: number; paths: string[] }>();
  /** Grows with every change at all (a file's tags too): what is derived from tags is stale under an older one. */
  private revision = 0;
  private derivedRevision = 0;
  private readonly derived = new Map<string, unknown>();

  /** `parse` runs in this thread by default; the extension passes a worker thread's (tag-parser-thread.ts). */
  constructor(private readonly parse: (path: string, text: string) => Promise<FileTags | null> = parseTags) {}

  get fileCount(): number {
    return this.files.size;
  }

  /** (Re)indexes one file: source files for their tags, configuration files for their import settings.
   *  Unsupported languages and oversized files are ignored (returns false). */
  async update(path: string, text: string): Promise<boolean> {
    if (isProjectFile(path)) return this.updateProjectFile(path, text);
    const tags = await this.parse(path, text);
    if (!tags) return false;
    this.set(path, tags);
    return true;
  }

  /** Records tags parsed elsewhere (a worker thread, the CLI's cache). */
  set(path: string, tags: FileTags): void {
    this.revision++;
    if (this.files.has(path)) this.forget(path);
    else this.version++;
    this.files.set(path, tags);
    const folder = posix.dirname(path) === "." ? "" : posix.dirname(path);
    if (!this.byFolder.has(folder)) this.byFolder.set(folder, new Set());
    this.byFolder.get(folder)!.add(path);
    for (const definition of tags.definitions) {
      let paths = this.byName.get(definition.name);
      if (!paths) this.byName.set(definition.name, (paths = new Map()));
      paths.set(path, [...(paths.get(path) ?? []), definition]);
    }
  }

  private updateProjectFile(path: string, text: string): boolean {
    const parsed = parseProjectFile(path, text);
    this.version++;
    this.revision++;
    this.project.delete(path);
    this.problems.delete(path);
    if (parsed.ok) this.project.set(path, parsed.file);
    else this.problems.set(path, parsed.error);
    return parsed.ok;
  }

  remove(path: string): void {
    this.revision++;
    if (this.project.delete(path) || this.problems.delete(path)) this.version++;
    if (this.files.has(path)) this.version++;
    this.forget(path);
  }

  private forget(path: string): void {
    const old = this.files.get(path);
    if (!old) return;
    this.files.delete(path);
    this.byFolder.get(posix.dirname(path) === "." ? "" : posix.dirname(path))?.delete(path);
    for (const definition of old.definitions) {
      const paths = this.byName.get(definition.name);
      paths?.delete(path);
      if (paths?.size === 0) this.byName.delete(definition.name);
    }
  }

  tagsOf(path: string): FileTags | undefined {
    return this.files.get(path);
  }

  /** Every indexed file with its tags (for the CLI's cache). */
  entries(): IterableIterator<[string, FileTags]> {
    return this.files.entries();
  }

  has(path: string): boolean {
    return this.files.has(path);
  }

  filesIn(dir: string): string[] {
    return [...(this.byFolder.get(dir) ?? [])].sort();
  }

  filesEndingWith(suffix: string): string[] {
    return [...this.files.keys()].filter((path) => path === suffix || path.endsWith(`/${suffix}`));
  }

  foldersEndingWith(suffix: string): string[] {
    return [...this.byFolder.keys()].filter((dir) => dir === suffix || dir.endsWith(`/${suffix}`)).sort((a, b) => a.length - b.length);
  }

  projectFiles(): Iterable<ProjectFile> {
    return this.project.values();
  }

  /** A resolution cached until the files or the configuration change: resolving is a keystroke's hot path. */
  cachedResolution(key: string, resolve: () => string[]): string[] {
    const hit = this.resolved.get(key);
    if (hit?.version === this.version) return hit.paths;
    const paths = resolve();
    this.resolved.set(key, { version: this.version, paths });
    return paths;
  }

  /** A value derived from the index's tags and resolutions (a file's import closure, what its imports name), cached
   *  until anything in the index changes: between two re-indexings every keystroke asks the same. */
  cachedDerived<T>(key: string, derive: () => T): T {
    if (this.derivedRevision !== this.revision) {
      this.derived.clear();
      this.derivedRevision = this.revision;
    }
    if (this.derived.has(key)) return this.derived.get(key) as T;
    const value = derive();
    this.derived.set(key, value);
    return value;
  }

  /** Every definition of `name`, in a stable order (path, then line). */
  definitionsOf(name: string): readonly LocatedDefinition[] {
    // Cached: a keystroke asks for every name near the cursor, and common names have hundreds of definitions.
    return this.cachedDerived(`definitions of\0${name}`, () => {
      const paths = [...(this.byName.get(name) ?? new Map<string, Definition[]>())].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return paths.flatMap(([path, definitions]) => definitions.map((definition) => ({ ...definition, path })));
    });
  }

  /** One file's definitions of `name` (a keystroke's member lookups ask this often: no scan of the file's tags). */
  definitionsIn(path: string, name: string): readonly Definition[] {
    return this.byName.get(name)?.get(path) ?? [];
  }
}

/** One file's tags, parsed in this thread; null for languages Ghost does not parse and oversized files. */
export async function parseTags(path: string, text: string): Promise<FileTags | null> {
  const spec = languageOf(path);
  if (!spec || text.length > maxIndexedBytes) return null;
  const loaded = await loadLanguage(spec);
  const tree = loaded.parser.parse(text);
  if (!tree) return null;
  // The wasm heap never shrinks: trees are freed as soon as their tags are read.
  const tags = tagsOf(loaded, text, tree);
  tree.delete();
  return tags;
}

export interface IndexBuildProgress {
  done: number;
  total: number;
}

/** Indexes `paths` in batches, yielding to the event loop between them; stops early when aborted. */
export async function buildIndex(
  index: TagIndex,
  paths: readonly string[],
  read: (path: string) => Promise<string>,
  options: { signal?: AbortSignal; onProgress?: (progress: IndexBuildProgress) => void; batch?: number } = {},
): Promise<void> {
  const batch = options.batch ?? 50;
  for (let start = 0; start < paths.length; start += batch) {
    if (options.signal?.aborted) return;
    for (const path of paths.slice(start, start + batch)) await index.update(path, await read(path));
    options.onProgress?.({ done: Math.min(start + batch, paths.length), total: paths.length });
    await new Promise((resolve) => setImmediate(resolve));
  }
}
