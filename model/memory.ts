// Refuses to load a model that cannot fit: loading a too-large ONNX file would push the machine into swap or get
// the worker killed, which is worse than a clear message up front. The check is on the worker's peak, not the
// file size: weights as onnxruntime holds them, the KV cache at the context Ghost plans for, one prefill chunk's
// attention, and the runtime around them. Knows sizes, not models.
import { freemem } from "node:os";
import { attentionShapeOf, type ModelFolder } from "./model-folder";

export interface KvShape {
  layers: number;
  kvHeads: number;
  headDim: number;
  /** Query heads: the attention scores of a prefill chunk are [heads, chunk, context]. */
  heads: number;
}

export interface PeakEstimate {
  weights: number;
  kvCache: number;
  runtime: number;
  total: number;
  /** Positions the KV cache term is sized for. */
  contextTokens: number;
}

/** Measured with `npm run bench -- memory` on the ~135M model (the shipped worker's peak for prefill 512 + decode 128,
 *  less the runtime and the KV cache, over the weight files): q4 ~1.1, fp32 ~1.2, int8 ~1.4. Above 1 where onnxruntime
 *  keeps a weight twice (a tied embedding is read by Gather as it is and by the output MatMul prepacked) and for the
 *  heap a prefill leaves behind. The largest is the one to plan with. */
const weightsFactor = 1.4;
/** Node with the worker's bundle (~55 MB, of which ~39 MB is the node binary's own pages), onnxruntime's library and
 *  a session (~40 MB), the tokenizer (~9 MB for a 49k vocabulary): the shipped worker on the 0.9M-parameter test model
 *  peaks at ~102 MB for prefill 512 + decode 128 and ~109 MB for 1,500 + 64 (bench/memory-breakdown.ts;
 *  test/model/memory.test.ts holds the whole estimate to a measured peak). */
const runtimeBytes = 105 * 2 ** 20;
/** Prompt tokens per forward pass while prefilling (LocalEngine's default prefill chunk). A pass's activations
 *  ([heads, chunk, capacity + chunk] per layer) are what onnxruntime's arena grows for, so a smaller chunk lowers the
 *  peak: 256 -> 128 measured (shipped worker, prefill 512 + decode 128) tiny-coder 114 -> 108 MB, ~135M int8 440-481
 *  -> 397-455 MB (7 and 6 runs), q4 311-329 -> 284-302 MB, fp32 unchanged (its load is its peak); prefill time showed
 *  no difference beyond the noise of a shared machine, the worker's CPU time at most ~5% more. */
export const defaultPrefillChunk = 128;
/** The context the estimate plans for: an autocomplete prompt with room to spare, or the model's own if smaller. */
export const plannedContext = 4096;

/** `contextLength`: the model's context; the estimate plans for the smaller of it and plannedContext. */
export function estimatePeak(weightBytes: number, kv: KvShape | null, contextLength: number, prefillChunk = defaultPrefillChunk): PeakEstimate {
  const contextTokens = Math.min(contextLength, plannedContext);
  // Key and value, float32; twice, since a reserve that grows a buffer copies it once (and a plain export's present
  // comes back beside its past).
  const kvCache = kv ? 2 * kv.layers * kv.kvHeads * kv.headDim * 4 * contextTokens * 2 : 0;
  // One layer's attention at a time, float32: scores, their masked copy and the probabilities of a prefill chunk.
  const chunk = Math.min(prefillChunk, contextTokens);
  const attention = kv ? 3 * kv.heads * chunk * (contextTokens + chunk) * 4 : 0;
  const weights = weightBytes * weightsFactor;
  const runtime = runtimeBytes + attention;
  return { weights, kvCache, runtime, total: weights + kvCache + runtime, contextTokens };
}

/** The peak of a model folder's worker, planned for the model's context (or plannedContext). */
export function folderPeak(folder: ModelFolder, contextLength: number, prefillChunk?: number): PeakEstimate {
  const attention = attentionShapeOf(folder.config, contextLength);
  const kv = attention && { layers: folder.config.num_hidden_layers, heads: attention.heads, kvHeads: attention.kvHeads, headDim: attention.headDim };
  return estimatePeak(folder.weightBytes, kv, contextLength, prefillChunk);
}

/** Memory this process may grow into: what the system has free plus what the process already holds. */
export function availableMemory(): number {
  return freemem() + process.memoryUsage.rss();
}

/** `free`: what the worker may grow into (availableMemory(): what it holds is part of its peak, so of what it can use). */
export function assertFitsInMemory(onnxPath: string, peak: PeakEstimate, limitBytes: number | undefined, free = availableMemory()): void {
  const available = Math.min(free, limitBytes ?? Infinity);
  if (peak.total <= available) return;
  const source = limitBytes !== undefined && limitBytes < free ? "the limit set by ghost.memoryLimitMB" : "the memory available (free, plus what the worker holds)";
  throw new Error(
    `${onnxPath} needs about ${megabytes(peak.total)} MB to run at its peak (weights ${megabytes(peak.weights)} MB, ` +
      `KV cache for ${peak.contextTokens} tokens ${megabytes(peak.kvCache)} MB, runtime ${megabytes(peak.runtime)} MB) ` +
      `but ${source} is ${megabytes(available)} MB. Choose a smaller variant (ghost.modelVariant: "q4" or "int8"), a smaller model, or free memory.`,
  );
}

const megabytes = (bytes: number) => Math.round(bytes / 2 ** 20);
