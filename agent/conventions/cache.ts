// The miner's cache file: each source file's stamp (mtime, size) and feature tallies, plus the feedback
// adjustments, so a restart re-reads only the files that changed. It lives where the caller says (workspace
// storage), never in the repository. A missing cache, or one an older Ghost wrote, is an empty one; a cache that can
// not be read or parsed is an error naming the file: it also holds what the user taught Ghost (the adjustments),
// which a silent reset would lose.
import { mkdir, readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { z } from "zod";
import { atomicWrite } from "../../diffing/fs-write";
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
  const text = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => (error.code === "ENOENT" ? null : Promise.reject(error)));
  if (text === null) return { files: new Map(), adjustments: emptyAdjustments() };
  const json = parseJson(path, text);
  // Another Ghost version's format: rebuilt, as a format change has to.
  const version = (json as { version?: unknown } | null)?.version;
  if (typeof version === "number" && version !== 1) return { files: new Map(), adjustments: emptyAdjustments() };
  const parsed = cacheSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw corrupt(path, `${issue.message} at ${issue.path.join(".") || "the top"}`);
  }
  const files = new Map<string, CachedFile>();
  for (const [file, { mtimeMs, size, family, tallies }] of Object.entries(parsed.data.files)) {
    files.set(file, { stamp: { mtimeMs, size }, features: family === null ? null : { family, tallies } });
  }
  return { files, adjustments: parsed.data.adjustments };
}

/** Written to a flushed temporary file and renamed (diffing's atomicWrite), so a crash never leaves half a cache,
 *  and two writers never share a temporary file. */
export async function saveCache(path: string, cache: MinerCache): Promise<void> {
  const files: z.infer<typeof cacheSchema>["files"] = {};
  for (const [file, { stamp, features }] of cache.files) files[file] = { ...stamp, family: features?.family ?? null, tallies: features?.tallies ?? {} };
  await mkdir(dirname(path), { recursive: true });
  await atomicWrite(path, new TextEncoder().encode(JSON.stringify({ version: 1, files, adjustments: cache.adjustments })));
}

function parseJson(path: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw corrupt(path, (error as Error).message);
  }
}

const corrupt = (path: string, why: string) =>
  new Error(`the conventions cache ${path} is corrupt (${why}); delete it to rebuild it, which forgets what Ghost learned from your reviews`);
