// The miner's cache file: each source file's stamp (mtime, size) and feature tallies, plus the feedback
// adjustments, so a restart re-reads only the files that changed. It lives where the caller says (workspace
// storage), never in the repository. An unreadable or outdated cache is an empty one.
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { z } from "zod";
import type { FileFeatures } from "./features";
import { adjustmentsSchema, emptyAdjustments, familySchema, type Adjustments } from "./profile";
import type { FileStamp } from "./workspace-reader";

export interface CachedFile {
  stamp: FileStamp;
  /** null for a file the miner skips (too big, minified). */
  features: FileFeatures | null;
}

const cacheSchema = z.object({
  version: z.literal(1),
  files: z.record(
    z.string(),
    z.object({
      mtimeMs: z.number(),
      size: z.number(),
      family: familySchema.nullable(),
      tallies: z.record(z.string(), z.record(z.string(), z.array(z.number()))),
    }),
  ),
  adjustments: adjustmentsSchema,
});

export interface MinerCache {
  files: Map<string, CachedFile>;
  adjustments: Adjustments;
}

export async function loadCache(path: string): Promise<MinerCache> {
  const text = await readFile(path, "utf8").catch(() => null);
  const parsed = cacheSchema.safeParse(text === null ? null : parseJson(text));
  if (!parsed.success) return { files: new Map(), adjustments: emptyAdjustments() };
  const files = new Map<string, CachedFile>();
  for (const [file, { mtimeMs, size, family, tallies }] of Object.entries(parsed.data.files)) {
    files.set(file, { stamp: { mtimeMs, size }, features: family === null ? null : { family, tallies } });
  }
  return { files, adjustments: parsed.data.adjustments };
}

/** Written to a temporary file and renamed, so a crash never leaves half a cache. */
export async function saveCache(path: string, cache: MinerCache): Promise<void> {
  const files: z.infer<typeof cacheSchema>["files"] = {};
  for (const [file, { stamp, features }] of cache.files) files[file] = { ...stamp, family: features?.family ?? null, tallies: features?.tallies ?? {} };
  await mkdir(dirname(path), { recursive: true });
  await writeFile(`${path}.tmp`, JSON.stringify({ version: 1, files, adjustments: cache.adjustments }));
  await rename(`${path}.tmp`, path);
}

/** The cache file is outside Ghost's control: a corrupt one is treated as missing. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
