// Refuses to load a model that cannot fit: loading a too-large ONNX file would push the machine into swap or get
// the worker killed, which is worse than a clear message up front. Knows sizes, not models.
import { freemem } from "node:os";

/** onnxruntime holds the weights once after load, but needs headroom while it optimizes the graph and for
 *  activations and the KV cache; 1.5x the file size was enough for every export measured here. */
const loadOverhead = 1.5;

export function assertFitsInMemory(onnxPath: string, weightBytes: number, limitBytes: number | undefined): void {
  const needed = weightBytes * loadOverhead;
  const available = Math.min(freemem(), limitBytes ?? Infinity);
  if (needed <= available) return;
  const source = limitBytes !== undefined && limitBytes < freemem() ? "the limit set by ghost.memoryLimitMB" : "free memory";
  throw new Error(
    `${onnxPath} needs about ${megabytes(needed)} MB to run but ${source} is ${megabytes(available)} MB. ` +
      `Choose a smaller variant (ghost.modelVariant: "q4" or "int8"), a smaller model, or free memory.`,
  );
}

const megabytes = (bytes: number) => Math.round(bytes / 2 ** 20);
