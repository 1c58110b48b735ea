// Refuses to load a model that cannot fit: loading a too-large ONNX file would push the machine into swap or get
// the worker killed, which is worse than a clear message up front. The check is on the worker's peak, not the
// file size: weights, the KV cache at the context Ghost plans for, and the runtime around them. Knows sizes, not
// models.
import { freemem } from "node:os";

export interface KvShape {
  layers: number;
  kvHeads: number;
  headDim: number;
}

export interface PeakEstimate {
  weights: number;
  kvCache: number;
  runtime: number;
  total: number;
  /** Positions the KV cache term is sized for. */
  contextTokens: number;
}

/** Measured with bench/memory.ts on the ~135M model: after load onnxruntime holds the weights about once (the
 *  rewritten graph refers to them in place; prepacked copies replace the originals), so the peak is the weight
 *  files plus what does not scale with them. */
const weightsFactor = 1.1;
/** Node, onnxruntime's code and arena, the tokenizer, activations of a 256-token prefill chunk: a worker on the
 *  0.9M-parameter test model peaks at ~185 MB (test/model/memory.test.ts). */
const runtimeBytes = 220 * 2 ** 20;
/** The context the estimate plans for: an autocomplete prompt with room to spare, or the model's own if smaller. */
export const plannedContext = 4096;

export function estimatePeak(weightBytes: number, kv: KvShape | null, contextLength: number): PeakEstimate {
  const contextTokens = Math.min(contextLength, plannedContext);
  // key and value, float32; twice, since onnxruntime-node hands each step's KV back to JavaScript as a copy
  const kvCache = kv ? 2 * kv.layers * kv.kvHeads * kv.headDim * 4 * contextTokens * 2 : 0;
  const weights = weightBytes * weightsFactor;
  return { weights, kvCache, runtime: runtimeBytes, total: weights + kvCache + runtimeBytes, contextTokens };
}

export function assertFitsInMemory(onnxPath: string, peak: PeakEstimate, limitBytes: number | undefined): void {
  const available = Math.min(freemem(), limitBytes ?? Infinity);
  if (peak.total <= available) return;
  const source = limitBytes !== undefined && limitBytes < freemem() ? "the limit set by ghost.memoryLimitMB" : "free memory";
  throw new Error(
    `${onnxPath} needs about ${megabytes(peak.total)} MB to run at its peak (weights ${megabytes(peak.weights)} MB, ` +
      `KV cache for ${peak.contextTokens} tokens ${megabytes(peak.kvCache)} MB, runtime ${megabytes(peak.runtime)} MB) ` +
      `but ${source} is ${megabytes(available)} MB. Choose a smaller variant (ghost.modelVariant: "q4" or "int8"), a smaller model, or free memory.`,
  );
}

const megabytes = (bytes: number) => Math.round(bytes / 2 ** 20);
