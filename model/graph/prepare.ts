// The load-time rewrite pipeline: reads a model's ONNX graph once, applies the rewrites that fit it (logits only
// where read; attention over capacity KV buffers that only the caller writes), and caches the result. The cache sits beside the
// source file (`model.onnx` -> `model.ghost-<key>.onnx` + `.json`), or, when that folder is read-only, in Ghost's
// cache folder (onnxruntime then finds the weights through the session option that names their folder). The key
// is the source file's identity (path, size, mtime, inode, rewrite version) and the request, so a changed model is
// rewritten again. The rewritten file holds only the graph: its weights are references into the source file and
// its external data, so they exist once on disk. Knows files and graphs, not sessions.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { ghostHome } from "../ghost-home";
import { basename, dirname, join, resolve } from "node:path";
import { z } from "zod";
import { bufferedAttention, type AttentionShape } from "./attention-rewrite";
import { keepLastLogits } from "./logits-rewrite";
import { OnnxGraph } from "./onnx-graph";

/** Bump when a rewrite changes: every cached graph is then made again. */
const rewriteVersion = 6;

export interface RewriteRequest {
  /** Compute logits only for the positions the caller asks for (input num_logits_to_keep). */
  logitsToKeep: boolean;
  /** Rewrite attention to read the KV cache as capacity buffers and return only the new rows, when the graph
   *  allows; null when the config rules it out (attentionShapeOf). */
  sharedKv: AttentionShape | null;
}

const recordSchema = z.object({
  /** The rewritten graph's file name, in the record's folder. */
  file: z.string(),
  logitsToKeep: z.boolean(),
  sharedKv: z.boolean(),
  /** Why the attention rewrite did not apply, for the log. */
  attentionSkipped: z.string().optional(),
});

export interface PreparedGraph extends z.infer<typeof recordSchema> {
  /** The file to load: the rewritten graph, or the source itself when no rewrite applied. */
  file: string;
  /** The folder of the weight files: the source's, wherever the rewritten graph is cached. */
  weightsFolder: string;
}

/** `$GHOST_HOME/graphs`, else `~/.cache/ghost/graphs`: for models in read-only folders. */
export function defaultGraphCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(ghostHome(env), "graphs");
}

export function prepareGraph(onnxPath: string, request: RewriteRequest, cacheDir = defaultGraphCacheDir()): PreparedGraph {
  const source = resolve(onnxPath);
  const { key, sourceKey } = cacheKey(source, request);
  const stem = basename(source).replace(/\.onnx$/, "");
  const beside = join(dirname(source), `${stem}.ghost-${key}`);
  const fallback = join(cacheDir, key, stem);
  for (const target of [beside, fallback]) {
    if (existsSync(`${target}.json`)) return { ...readRecord(`${target}.json`, dirname(target)), weightsFolder: dirname(source) };
  }
  const built = rewrite(source, request);
  if (!built) {
    return { file: source, weightsFolder: dirname(source), logitsToKeep: false, sharedKv: false, attentionSkipped: "no rewrite applies to this graph" };
  }
  const target = isWritable(dirname(source)) ? beside : fallback;
  if (target === fallback) mkdirSync(dirname(fallback), { recursive: true });
  else removeStale(dirname(source), stem, sourceKey);
  const temporary = `${target}.${process.pid}.tmp`;
  built.graph.write(temporary, basename(source));
  renameSync(temporary, `${target}.onnx`);
  const record: z.infer<typeof recordSchema> = { ...built.features, file: basename(`${target}.onnx`) };
  writeFileSync(`${target}.json`, `${JSON.stringify(record, null, 2)}\n`);
  return { ...record, file: `${target}.onnx`, weightsFolder: dirname(source) };
}

function rewrite(source: string, request: RewriteRequest): { graph: OnnxGraph; features: Omit<PreparedGraph, "file" | "weightsFolder"> } | null {
  let graph = OnnxGraph.read(source);
  const attention = request.sharedKv ? bufferedAttention(graph) : { applied: false as const, reason: "not requested" };
  if (!attention.applied && attention.mutated) graph = OnnxGraph.read(source);
  const logitsToKeep = request.logitsToKeep && keepLastLogits(graph);
  if (!logitsToKeep && !attention.applied) return null;
  graph.prune();
  return { graph, features: { logitsToKeep, sharedKv: attention.applied, ...(attention.applied ? {} : { attentionSkipped: attention.reason }) } };
}

/** `<source identity>-<request>`: rewrites of one source for different requests live side by side. */
function cacheKey(source: string, request: RewriteRequest): { key: string; sourceKey: string } {
  const stat = statSync(source);
  const hash = (value: unknown) => createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 12);
  const sourceKey = hash({ rewriteVersion, path: realpathSync(source), size: stat.size, mtimeMs: stat.mtimeMs, ino: stat.ino });
  return { key: `${sourceKey}-${hash(request)}`, sourceKey };
}

function readRecord(path: string, folder: string): z.infer<typeof recordSchema> {
  const parsed = recordSchema.safeParse(JSON.parse(readFileSync(path, "utf8")));
  if (!parsed.success) throw new Error(`${path} is not a graph cache record Ghost wrote (${z.prettifyError(parsed.error)}); delete it and load again`);
  return { ...parsed.data, file: join(folder, parsed.data.file) };
}

function isWritable(folder: string): boolean {
  const probe = join(folder, `.ghost-write-probe-${process.pid}`);
  try {
    writeFileSync(probe, "");
    rmSync(probe);
    return true;
  } catch {
    return false; // read-only folder (EACCES, EROFS, EPERM): the cache goes to Ghost's folder instead
  }
}

/** Rewrites of an older version of the same source file. */
function removeStale(folder: string, stem: string, sourceKey: string): void {
  for (const name of readdirSync(folder)) {
    if (name.startsWith(`${stem}.ghost-`) && !name.startsWith(`${stem}.ghost-${sourceKey}-`) && /\.(onnx|json)$/.test(name)) rmSync(join(folder, name), { force: true });
  }
}
