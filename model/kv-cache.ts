// The key/value cache of a causal LM: one key and one value tensor per layer, each [batch=1, kvHeads, positions,
// headDim]. Two layouts, one per graph kind:
//  - concatenated (a plain export): the tensors are onnxruntime's `present` outputs passed straight back as the next
//    `past`, exactly `length` positions long; truncating copies once per request.
//  - capacity buffer (attention rewritten to GroupQueryAttention): the tensors are fixed-capacity buffers that the
//    graph reads as `past` (feeds cross into onnxruntime without a copy); the graph returns only the new rows, which
//    appendKvRows writes after `length`; positions past `length` are stale. Truncating only moves `length`; a buffer
//    that would overflow is replaced by one with room for 64 more positions (onnxruntime copies the valid rows once
//    per step inside GroupQueryAttention, so spare capacity costs memory, not time).
// A cache is used linearly: after forward() or truncation only the returned cache is valid. Knows nothing about
// tokens or text.
import * as ort from "onnxruntime-node";

export interface KvLayout {
  layers: number;
  kvHeads: number;
  headDim: number;
  type: "float32" | "float16";
  /** `past` is a capacity buffer and `present` holds only the new rows (GroupQueryAttention rewrite). */
  sharedBuffer: boolean;
}

export interface KvCache {
  length: number;
  /** [layer0.key, layer0.value, layer1.key, ...], each [1, kvHeads, positions (length, or the capacity), headDim]. */
  tensors: ort.Tensor[];
}

/** Shared buffers grow in steps of this many positions. */
const capacityStep = 64;

export function emptyKvCache(layout: KvLayout): KvCache {
  return { length: 0, tensors: allocate(layout, 0) };
}

/** Positions the cache's tensors can hold. */
export function kvCapacity(cache: KvCache): number {
  return cache.tensors[0]!.dims[2]!;
}

/** A shared-buffer cache that can take `total` positions: the same buffers when they fit, else larger copies. */
export function reserveKvCache(cache: KvCache, total: number, layout: KvLayout): KvCache {
  if (total <= kvCapacity(cache)) return cache;
  const tensors = allocate(layout, Math.ceil(total / capacityStep) * capacityStep);
  cache.tensors.forEach((tensor, index) => copyPositions(tensor, tensors[index]!, cache.length, layout));
  return { length: cache.length, tensors };
}

/** Writes a pass's new rows (`rows[i]` is [1, kvHeads, count, headDim]) after the cache's valid positions; the
 *  cache must have room (reserveKvCache). */
export function appendKvRows(cache: KvCache, rows: ort.Tensor[], layout: KvLayout): KvCache {
  const count = rows[0]!.dims[2]!;
  const { kvHeads, headDim } = layout;
  rows.forEach((row, index) => {
    const source = row.data as Float32Array | Uint16Array;
    const target = cache.tensors[index]!;
    const capacity = target.dims[2]!;
    for (let head = 0; head < kvHeads; head++) {
      (target.data as Float32Array | Uint16Array).set(source.subarray(head * count * headDim, (head + 1) * count * headDim), (head * capacity + cache.length) * headDim);
    }
  });
  return { length: cache.length + count, tensors: cache.tensors };
}

/** The first `length` positions of the cache. */
export function truncateKvCache(cache: KvCache, length: number, layout: KvLayout): KvCache {
  if (length === cache.length) return cache;
  if (length > cache.length) throw new Error(`cannot grow a KV cache of ${cache.length} positions to ${length}`);
  if (layout.sharedBuffer) return { length, tensors: cache.tensors };
  const tensors = allocate(layout, length);
  cache.tensors.forEach((tensor, index) => copyPositions(tensor, tensors[index]!, length, layout));
  return { length, tensors };
}

function allocate(layout: KvLayout, positions: number): ort.Tensor[] {
  const size = layout.kvHeads * positions * layout.headDim;
  return Array.from({ length: layout.layers * 2 }, () =>
    new ort.Tensor(layout.type, layout.type === "float32" ? new Float32Array(size) : new Uint16Array(size), [1, layout.kvHeads, positions, layout.headDim]),
  );
}

/** Copies the first `count` positions of every head: one contiguous run per head, since positions are the third of
 *  four axes. */
function copyPositions(from: ort.Tensor, to: ort.Tensor, count: number, layout: KvLayout): void {
  const source = from.data as Float32Array | Uint16Array;
  const target = to.data as Float32Array | Uint16Array;
  const { kvHeads, headDim } = layout;
  for (let head = 0; head < kvHeads; head++) {
    const start = head * from.dims[2]! * headDim;
    target.set(source.subarray(start, start + count * headDim), head * to.dims[2]! * headDim);
  }
}

export function longestCommonPrefix(a: readonly number[], b: readonly number[]): number {
  const limit = Math.min(a.length, b.length);
  let index = 0;
  while (index < limit && a[index] === b[index]) index++;
  return index;
}
