// The tag index of a repository kept on disk between CLI runs: each file's tags with the size and modification time
// they were parsed at. Opening it lists the repository, reuses every entry whose file is unchanged, parses the rest
// and writes the cache back, so a repeated `ghost context` costs a walk and a stat per file instead of a parse.
// Knows files on disk and the index; nothing of the CLI's options.
import { randomUUID } from "node:crypto";
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { z } from "zod";
import { isProjectFile } from "./project-config";
import { parseTags, TagIndex } from "./tag-index";
import { listIndexedFiles } from "./workspace-files";

/** Bumped whenever what a file's tags hold changes: an older cache is parsed afresh. */
const cacheFormat = 5;

const typeSourceSchema = z.object({ kind: z.enum(["type", "value", "element"]), text: z.string() });
const definitionSchema = z.object({
  name: z.string(),
  kind: z.string(),
  line: z.number(),
  endLine: z.number(),
  signature: z.string(),
  container: z.string().optional(),
  type: typeSourceSchema.optional(),
  returns: z.string().optional(),
  bases: z.array(z.string()).optional(),
});
const bindingSchema = z.object({ name: z.string(), line: z.number(), endLine: z.number(), source: typeSourceSchema });
const linkSchema = z.object({ local: z.string(), imported: z.string(), from: z.string(), reexported: z.boolean() });
const entrySchema = z.object({
  size: z.number(),
  mtimeMs: z.number(),
  /** Source files: their tags; configuration files: their text (tiny, and parsed in no time). */
  tags: z.object({ definitions: z.array(definitionSchema), references: z.array(z.string()), links: z.array(linkSchema), bindings: z.array(bindingSchema) }).nullable(),
  text: z.string().nullable(),
});
const cacheSchema = z.object({ format: z.literal(cacheFormat), root: z.string(), files: z.record(z.string(), entrySchema) });
type Entry = z.infer<typeof entrySchema>;

export interface OpenedIndex {
  index: TagIndex;
  /** Indexed paths (sources and configuration), sorted. */
  paths: string[];
  reused: number;
  parsed: number;
}

export async function openCachedIndex(root: string, cacheFile: string): Promise<OpenedIndex> {
  const cached = await readCache(root, cacheFile);
  const paths = await listIndexedFiles(root);
  const stats = await Promise.all(paths.map((path) => stat(join(root, path))));
  const index = new TagIndex();
  const files: Record<string, Entry> = {};
  let reused = 0;
  for (const [at, path] of paths.entries()) {
    const { size, mtimeMs } = stats[at]!;
    const old = cached[path];
    const unchanged = old !== undefined && old.size === size && old.mtimeMs === mtimeMs;
    const entry = unchanged ? old : await parseEntry(path, await readFile(join(root, path), "utf8"), size, mtimeMs);
    if (unchanged) reused++;
    if (entry.tags) index.set(path, entry.tags);
    if (entry.text !== null) await index.update(path, entry.text);
    files[path] = entry;
  }
  if (reused < paths.length || Object.keys(cached).length !== paths.length) await writeCache(cacheFile, { format: cacheFormat, root, files });
  return { index, paths, reused, parsed: paths.length - reused };
}

async function parseEntry(path: string, text: string, size: number, mtimeMs: number): Promise<Entry> {
  if (isProjectFile(path)) return { size, mtimeMs, tags: null, text };
  return { size, mtimeMs, tags: await parseTags(path, text), text: null };
}

/** The cached entries, or none when there is no cache yet or it is from another format: it is derived data, and
 *  the files it was made from are all still here to parse. */
async function readCache(root: string, cacheFile: string): Promise<Record<string, Entry>> {
  const text = await readFile(cacheFile, "utf8").catch(() => null);
  const parsed = cacheSchema.safeParse(text === null ? null : parseJson(text));
  return parsed.success && parsed.data.root === root ? parsed.data.files : {};
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null; // a cache cut short (disk full, a killed run): parsed afresh
  }
}

/** Written to a temporary file and renamed, so a concurrent run never reads half a cache. The temporary name is
 *  unique per write, not per process: two workspaces on one repository may write at once in one process. */
async function writeCache(cacheFile: string, cache: z.infer<typeof cacheSchema>): Promise<void> {
  await mkdir(dirname(cacheFile), { recursive: true });
  const temporary = `${cacheFile}.${randomUUID()}.tmp`;
  await writeFile(temporary, JSON.stringify(cache));
  await rename(temporary, cacheFile);
}
