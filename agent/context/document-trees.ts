// Syntax trees of the documents being edited, kept between keystrokes and updated incrementally: a one-character
// edit reparses in a fraction of a millisecond where a fresh parse of a large file takes tens. Knows texts and
// trees; nothing of VS Code.
import { Edit, type Point, type Tree } from "web-tree-sitter";
import { languageOf } from "./languages";
import { loadLanguage, type LoadedLanguage } from "./parser";

interface Entry {
  text: string;
  tree: Tree;
  language: string;
}

export class DocumentTrees {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly capacity = 8) {}

  /** The tree of `text`, reparsed from this path's previous tree when there is one. The tree stays owned by this
   *  cache: callers must not delete it. Null for languages Ghost does not parse. */
  async treeOf(path: string, text: string): Promise<{ tree: Tree; loaded: LoadedLanguage } | null> {
    const spec = languageOf(path);
    if (!spec) return null;
    const loaded = await loadLanguage(spec);
    const previous = this.entries.get(path);
    let tree: Tree | null;
    if (previous && previous.language === spec.id) {
      if (previous.text === text) return this.keep(path, previous, loaded);
      previous.tree.edit(editBetween(previous.text, text));
      tree = loaded.parser.parse(text, previous.tree);
      previous.tree.delete();
    } else {
      previous?.tree.delete();
      tree = loaded.parser.parse(text);
    }
    this.entries.delete(path);
    if (!tree) return null;
    return this.keep(path, { text, tree, language: spec.id }, loaded);
  }

  forget(path: string): void {
    this.entries.get(path)?.tree.delete();
    this.entries.delete(path);
  }

  private keep(path: string, entry: Entry, loaded: LoadedLanguage): { tree: Tree; loaded: LoadedLanguage } {
    this.entries.delete(path);
    this.entries.set(path, entry);
    if (this.entries.size > this.capacity) this.forget(this.entries.keys().next().value!);
    return { tree: entry.tree, loaded };
  }
}

/** The single edit that turns `before` into `after`: their common prefix and suffix stay, the middle changed. */
export function editBetween(before: string, after: string): Edit {
  let start = 0;
  const limit = Math.min(before.length, after.length);
  while (start < limit && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let tail = 0;
  while (tail < limit - start && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
  return new Edit({
    startIndex: start,
    oldEndIndex: before.length - tail,
    newEndIndex: after.length - tail,
    startPosition: pointAt(before, start),
    oldEndPosition: pointAt(before, before.length - tail),
    newEndPosition: pointAt(after, after.length - tail),
  });
}

function pointAt(text: string, index: number): Point {
  let row = 0;
  let lineStart = 0;
  for (let at = text.indexOf("\n"); at >= 0 && at < index; at = text.indexOf("\n", at + 1)) {
    row++;
    lineStart = at + 1;
  }
  return { row, column: index - lineStart };
}
