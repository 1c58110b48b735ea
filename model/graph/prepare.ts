// The load-time rewrite: reads a model's ONNX graph, applies the rewrites that fit it (logits only where read;
// attention over capacity KV buffers that only the caller writes), and caches the result (graph-cache.ts). The
// rewritten file holds only the graph: its weights are references into the source file and its external data, so
// they exist once on disk. Reading the graph holds the whole .onnx in JavaScript (an int8 export's weights are inside
// it), so the model worker does not call this: it runs in a short-lived process of its own (rewrite-process.ts).
// Knows files and graphs, not sessions.
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { bufferedAttention } from "./attention-rewrite";
import { cachedGraph, cacheTargets, defaultGraphCacheDir, isWritable, type GraphRecord, type PreparedGraph, type RewriteRequest } from "./graph-cache";
import { keepLastLogits } from "./logits-rewrite";
import { OnnxGraph } from "./onnx-graph";

export function prepareGraph(onnxPath: string, request: RewriteRequest, cacheDir = defaultGraphCacheDir()): PreparedGraph {
  const cached = cachedGraph(onnxPath, request, cacheDir);
  if (cached) return cached;
  const source = resolve(onnxPath);
  const built = rewrite(source, request);
  if (!built) {
    return { file: source, weightsFolder: dirname(source), logitsToKeep: false, sharedKv: false, attentionSkipped: "no rewrite applies to this graph" };
  }
  const { beside, fallback, stem, sourceKey } = cacheTargets(source, request, cacheDir);
  const target = isWritable(dirname(source)) ? beside : fallback;
  if (target === fallback) mkdirSync(dirname(fallback), { recursive: true });
  else removeStale(dirname(source), stem, sourceKey);
  const temporary = `${target}.${process.pid}.tmp`;
  built.graph.write(temporary, basename(source));
  renameSync(temporary, `${target}.onnx`);
  const record: GraphRecord = { ...built.features, file: basename(`${target}.onnx`) };
  writeFileSync(`${target}.json`, `${JSON.stringify(record, null, 2)}\n`);
  return { ...record, file: `${target}.onnx`, weightsFolder: dirname(source) };
}

function rewrite(source: string, request: RewriteRequest): { graph: OnnxGraph; features: Omit<GraphRecord, "file"> } | null {
  let graph = OnnxGraph.read(source);
  const attention = request.sharedKv ? bufferedAttention(graph) : { applied: false as const, reason: "not requested" };
  if (!attention.applied && attention.mutated) graph = OnnxGraph.read(source);
  const logitsToKeep = request.logitsToKeep && keepLastLogits(graph);
  if (!logitsToKeep && !attention.applied) return null;
  graph.prune();
  return { graph, features: { logitsToKeep, sharedKv: attention.applied, ...(attention.applied ? {} : { attentionSkipped: attention.reason }) } };
}

/** Rewrites of an older version of the same source file. */
function removeStale(folder: string, stem: string, sourceKey: string): void {
  for (const name of readdirSync(folder)) {
    if (name.startsWith(`${stem}.ghost-`) && !name.startsWith(`${stem}.ghost-${sourceKey}-`) && /\.(onnx|json)$/.test(name)) rmSync(join(folder, name), { force: true });
  }
}
