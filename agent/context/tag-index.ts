// The workspace's tag index: for every source file, the symbols it defines and the names it references, kept up
// to date file by file. Built in the background in small batches so the editor stays responsive.
// Knows file paths and texts, not how they are read (the caller passes text) nor VS Code.
import { languageOf } from "./languages";
import { loadLanguage } from "./parser";
import { tagsOf, type Definition, type FileTags } from "./tags";

export interface LocatedDefinition extends Definition {
  path: string;
}

/** Files larger than this are skipped: generated bundles and minified code say little about conventions or APIs. */
export const maxIndexedBytes = 512 * 1024;

export class TagIndex {
  private readonly files = new Map<string, FileTags>();
  /** name → path → that file's definitions of the name: a lookup costs what it returns, not the files' size. */
  private readonly byName = new Map<string, Map<string, Definition[]>>();

  get fileCount(): number {
    return this.files.size;
  }

  /** (Re)indexes one file. Unsupported languages and oversized files are ignored (returns false). */
  async update(path: string, text: string): Promise<boolean> {
    const spec = languageOf(path);
    if (!spec || text.length > maxIndexedBytes) return false;
    const loaded = await loadLanguage(spec);
    const tree = loaded.parser.parse(text);
    if (!tree) return false;
    // The wasm heap never shrinks: trees are freed as soon as their tags are read.
    const tags = tagsOf(loaded, text, tree);
    tree.delete();
    this.remove(path);
    this.files.set(path, tags);
    for (const definition of tags.definitions) {
      let paths = this.byName.get(definition.name);
      if (!paths) this.byName.set(definition.name, (paths = new Map()));
      paths.set(path, [...(paths.get(path) ?? []), definition]);
    }
    return true;
  }

  remove(path: string): void {
    const old = this.files.get(path);
    if (!old) return;
    this.files.delete(path);
    for (const definition of old.definitions) {
      const paths = this.byName.get(definition.name);
      paths?.delete(path);
      if (paths?.size === 0) this.byName.delete(definition.name);
    }
  }

  tagsOf(path: string): FileTags | undefined {
    return this.files.get(path);
  }

  /** Every definition of `name`, in a stable order (path, then line). */
  definitionsOf(name: string): LocatedDefinition[] {
    const paths = [...(this.byName.get(name) ?? new Map<string, Definition[]>())].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return paths.flatMap(([path, definitions]) => definitions.map((definition) => ({ ...definition, path })));
  }

  /** How many files define `name`: a name defined everywhere (`get`, `value`) says little about any of them. */
  filesDefining(name: string): number {
    return this.byName.get(name)?.size ?? 0;
  }
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
