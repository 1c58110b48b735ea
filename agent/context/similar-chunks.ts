// Chunks of recently edited and opened files, and the ones most similar to the code at the cursor by Jaccard
// similarity over identifier sets (the llama.vscode ring-buffer idea). Knows text, not files on disk.

export interface Chunk {
  path: string;
  /** 0-based first line. */
  line: number;
  text: string;
  words: ReadonlySet<string>;
}

const linesPerChunk = 16;
const identifier = /[A-Za-z_$][\w$]{2,}/g;

export function wordsOf(text: string): Set<string> {
  return new Set(text.match(identifier) ?? []);
}

export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const word of a) if (b.has(word)) shared++;
  return shared / (a.size + b.size - shared);
}

/** A bounded set of files' chunks; the least recently touched file is dropped first. */
export class RecentChunks {
  private readonly byPath = new Map<string, Chunk[]>();

  constructor(private readonly maxFiles = 20) {}

  /** Records a file as just edited or opened, replacing its previous chunks. */
  touch(path: string, text: string): void {
    this.byPath.delete(path);
    const lines = text.split("\n");
    const chunks: Chunk[] = [];
    for (let line = 0; line < lines.length; line += linesPerChunk) {
      const chunkText = lines.slice(line, line + linesPerChunk).join("\n");
      if (chunkText.trim()) chunks.push({ path, line, text: chunkText, words: wordsOf(chunkText) });
    }
    this.byPath.set(path, chunks);
    if (this.byPath.size > this.maxFiles) this.byPath.delete(this.byPath.keys().next().value!);
  }

  forget(path: string): void {
    this.byPath.delete(path);
  }

  /** The `count` chunks most similar to `query`, best first, from files other than `excludePath`. */
  mostSimilar(query: string, count: number, excludePath: string): (Chunk & { score: number })[] {
    const queryWords = wordsOf(query);
    return [...this.byPath.entries()]
      .filter(([path]) => path !== excludePath)
      .flatMap(([, chunks]) => chunks.map((chunk) => ({ ...chunk, score: jaccard(queryWords, chunk.words) })))
      .filter((chunk) => chunk.score > 0)
      .sort((a, b) => b.score - a.score)
      .slice(0, count);
  }
}
