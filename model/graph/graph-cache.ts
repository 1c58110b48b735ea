// Where a model's rewritten graph is cached, and the lookup. The cache sits beside the source file (`model.onnx` ->
// `model.ghost-<key>.onnx` + `.json`), or, when that folder is read-only, in Ghost's cache folder (onnxruntime then
// finds the weights through the session option that names their folder). The key is the source file's identity
// (path, size, mtime, inode, rewrite version) and the request, so a changed model is rewritten again. Apart from the
// rewrite (prepare.ts) so that a cached load reads only these small files, without the ONNX parser. Knows files, not
// graphs or sessions.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { z } from "zod";
import { ghostHome } from "../ghost-home";
import type { AttentionShape } from "./attention-rewrite";

/** Bump when a rewrite changes: every cached graph is then made again. */
const rewriteVersion = 6;

export const rewriteRequestSchema = z.object({
  /** Compute logits only for the positions the caller asks for (input num_logits_to_keep). */
  logitsToKeep: z.boolean(),
  /** Rewrite attention to read the KV cache as capacity buffers and return only the new rows, when the graph
   *  allows; null when the config rules it out (attentionShapeOf). */
  sharedKv: z.custom<AttentionShape>((value) => typeof value === "object" && value !== null && "heads" in value).nullable(),
});
export type RewriteRequest = z.infer<typeof rewriteRequestSchema>;

export const recordSchema = z.object({
  /** The rewritten graph's file name, in the record's folder. */
  file: z.string(),
  logitsToKeep: z.boolean(),
  sharedKv: z.boolean(),
  /** Why the attention rewrite did not apply, for the log. */
  attentionSkipped: z.string().optional(),
});
export type GraphRecord = z.infer<typeof recordSchema>;

export interface PreparedGraph extends GraphRecord {
  /** The file to load: the rewritten graph, or the source itself when no rewrite applied. */
  file: string;
  /** The folder of the weight files: the source's, wherever the rewritten graph is cached. */
  weightsFolder: string;
}

export const preparedGraphSchema = recordSchema.extend({ weightsFolder: z.string() });

/** `$GHOST_HOME/graphs`, else `~/.cache/ghost/graphs`: for models in read-only folders. */
export function defaultGraphCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(ghostHome(env), "graphs");
}

/** The two places a rewrite of `source` for `request` may be cached (paths without extension), beside it first. */
export function cacheTargets(source: string, request: RewriteRequest, cacheDir: string): { beside: string; fallback: string; stem: string; sourceKey: string } {
  const { key, sourceKey } = cacheKey(source, request);
  const stem = basename(source).replace(/\.onnx$/, "");
  return { beside: join(dirname(source), `${stem}.ghost-${key}`), fallback: join(cacheDir, key, stem), stem, sourceKey };
}

/** The cached rewrite of `onnxPath` for `request`, or null when there is none yet. */
export function cachedGraph(onnxPath: string, request: RewriteRequest, cacheDir = defaultGraphCacheDir()): PreparedGraph | null {
  const source = resolve(onnxPath);
  const { beside, fallback } = cacheTargets(source, request, cacheDir);
  const target = [beside, fallback].find((candidate) => existsSync(`${candidate}.json`));
  return target ? { ...readRecord(`${target}.json`, dirname(target)), weightsFolder: dirname(source) } : null;
}

/** `<source identity>-<request>`: rewrites of one source for different requests live side by side. */
function cacheKey(source: string, request: RewriteRequest): { key: string; sourceKey: string } {
  const stat = statSync(source);
  const hash = (value: unknown) => createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 12);
  const sourceKey = hash({ rewriteVersion, path: realpathSync(source), size: stat.size, mtimeMs: stat.mtimeMs, ino: stat.ino });
  return { key: `${sourceKey}-${hash(request)}`, sourceKey };
}

function readRecord(path: string, folder: string): GraphRecord {
  const parsed = recordSchema.safeParse(JSON.parse(readFileSync(path, "utf8")));
  if (!parsed.success) throw new Error(`${path} is not a graph cache record Ghost wrote (${z.prettifyError(parsed.error)}); delete it and load again`);
  return { ...parsed.data, file: join(folder, parsed.data.file) };
}

export function isWritable(folder: string): boolean {
  const probe = join(folder, `.ghost-write-probe-${process.pid}`);
  try {
    writeFileSync(probe, "");
    rmSync(probe);
    return true;
  } catch {
    return false; // read-only folder (EACCES, EROFS, EPERM): the cache goes to Ghost's folder instead
  }
}
