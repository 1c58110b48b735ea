// The key/value cache of a causal LM: one key and one value tensor per layer, each [batch=1, kvHeads, length,
// headDim]. The tensors are onnxruntime's own outputs passed straight back as the next inputs, so the cache never
// walks through JavaScript arrays. Knows nothing about tokens or text.
import * as ort from "onnxruntime-node";

export interface KvLayout {
  layers: number;
  kvHeads: number;
  headDim: number;
  type: "float32" | "float16";
}

export interface KvCache {
  length: number;
  /** [layer0.key, layer0.value, layer1.key, ...], each [1, kvHeads, length, headDim]. */
  tensors: ort.Tensor[];
}

export function emptyKvCache(layout: KvLayout): KvCache {
  const empty = () =>
    new ort.Tensor(layout.type, layout.type === "float32" ? new Float32Array(0) : new Uint16Array(0), [
      1,
      layout.kvHeads,
      0,
      layout.headDim,
    ]);
  return { length: 0, tensors: Array.from({ length: layout.layers * 2 }, empty) };
}

/** The first `length` positions of the cache. Copies once per request (never per token): one contiguous run per
 *  head, since positions are the third of four axes. */
export function truncateKvCache(cache: KvCache, length: number, layout: KvLayout): KvCache {
  if (length === cache.length) return cache;
  if (length > cache.length) throw new Error(`cannot grow a KV cache of ${cache.length} positions to ${length}`);
  const { kvHeads, headDim } = layout;
  const tensors = cache.tensors.map((tensor) => {
    const source = tensor.data as Float32Array | Uint16Array;
    const kept = new (source.constructor as Float32ArrayConstructor | Uint16ArrayConstructor)(kvHeads * length * headDim);
    for (let head = 0; head < kvHeads; head++) {
      const from = head * cache.length * headDim;
      kept.set(source.subarray(from, from + length * headDim), head * length * headDim);
    }
    return new ort.Tensor(layout.type, kept, [1, kvHeads, length, headDim]);
  });
  return { length, tensors };
}

export function longestCommonPrefix(a: readonly number[], b: readonly number[]): number {
  const limit = Math.min(a.length, b.length);
  let index = 0;
  while (index < limit && a[index] === b[index]) index++;
  return index;
}
