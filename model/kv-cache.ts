// The key/value cache of a causal LM: one key and one value tensor per layer. Two layouts, one per graph kind:
//  - concatenated (a plain export): [batch=1, kvHeads, positions, headDim], the tensors are onnxruntime's `present`
//    outputs passed straight back as the next `past`, exactly `length` positions long; truncating copies once per
//    request.
//  - capacity buffers (attention rewritten by model/graph/attention-rewrite.ts): keys stored transposed, [1, kvHeads,
//    headDim, capacity], values [1, kvHeads, capacity, headDim]; the graph reads them as inputs (no copy) and returns
//    only the new rows, which appendKvRows writes after `length`; positions past `length` are stale and masked by
//    the attention bias. Truncating only moves `length`. The graph computes over the whole capacity, so the engine
//    reserves what a request needs up front (reserveKvCache), and a buffer far larger than that is shrunk.
// A cache is used linearly: after forward() or truncation only the returned cache is valid. Knows nothing about
// tokens or text.
import * as ort from "onnxruntime-node";

export interface KvLayout {
  layers: number;
  kvHeads: number;
  headDim: number;
  type: "float32" | "float16";
  /** `past` is a pair of capacity buffers (keys transposed) and `present` holds only the new rows. */
  sharedBuffer: boolean;
}

export interface KvCache {
  length: number;
  /** [layer0.key, layer0.value, layer1.key, ...], each [1, kvHeads, positions (length, or the capacity), headDim],
   *  except capacity keys: [1, kvHeads, headDim, capacity]. */
  tensors: ort.Tensor[];
}

/** Capacities are multiples of this many positions; a buffer more than `shrinkSlack` positions larger than what a
 *  request needs is made smaller (attention runs over the whole capacity). */
const capacityStep = 64;
const shrinkSlack = 512;

export function emptyKvCache(layout: KvLayout): KvCache {
  return { length: 0, tensors: allocate(layout, 0) };
}

/** Positions the cache's tensors can hold. */
export function kvCapacity(cache: KvCache): number {
  return cache.tensors[1]!.dims[2]!;
}

/** A capacity-buffer cache that can take `total` positions: the same buffers when they fit without much to spare,
 *  else buffers of `total` rounded up, holding the valid positions (one copy, once per request at most). */
export function reserveKvCache(cache: KvCache, total: number, layout: KvLayout): KvCache {
  const capacity = Math.ceil(total / capacityStep) * capacityStep;
  if (total <= kvCapacity(cache) && kvCapacity(cache) <= capacity + shrinkSlack) return cache;
  const tensors = allocate(layout, capacity);
  cache.tensors.forEach((tensor, index) => copyPositions(tensor, tensors[index]!, cache.length, layout, index % 2 === 0));
  return { length: cache.length, tensors };
}

/** Writes a pass's new rows (`rows[i]` is [1, kvHeads, count, headDim]) after the cache's valid positions; the
 *  cache must have room (reserveKvCache). Keys go in transposed. */
export function appendKvRows(cache: KvCache, rows: ort.Tensor[], layout: KvLayout): KvCache {
  const count = rows[0]!.dims[2]!;
  const { kvHeads, headDim } = layout;
  const capacity = kvCapacity(cache);
  rows.forEach((row, index) => {
    const source = row.data as Float32Array;
    const target = cache.tensors[index]!.data as Float32Array;
    if (index % 2 === 1) {
      for (let head = 0; head < kvHeads; head++) target.set(source.subarray(head * count * headDim, (head + 1) * count * headDim), (head * capacity + cache.length) * headDim);
      return;
    }
    for (let head = 0; head < kvHeads; head++) {
      for (let position = 0; position < count; position++) {
        const from = (head * count + position) * headDim;
        const to = head * headDim * capacity + cache.length + position;
        for (let dim = 0; dim < headDim; dim++) target[to + dim * capacity] = source[from + dim]!;
      }
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
  cache.tensors.forEach((tensor, index) => copyPositions(tensor, tensors[index]!, length, layout, index % 2 === 0));
  return { length, tensors };
}

function allocate(layout: KvLayout, positions: number): ort.Tensor[] {
  const { kvHeads, headDim } = layout;
  const size = kvHeads * positions * headDim;
  const array = () => (layout.type === "float32" ? new Float32Array(size) : new Uint16Array(size));
  return Array.from({ length: layout.layers * 2 }, (_, index) =>
    new ort.Tensor(layout.type, array(), layout.sharedBuffer && index % 2 === 0 ? [1, kvHeads, headDim, positions] : [1, kvHeads, positions, headDim]),
  );
}

/** Copies the first `count` positions: one contiguous run per head ([.., positions, headDim]), or per head and
 *  dimension for transposed keys ([.., headDim, positions]). */
function copyPositions(from: ort.Tensor, to: ort.Tensor, count: number, layout: KvLayout, isKey: boolean): void {
  const source = from.data as Float32Array | Uint16Array;
  const target = to.data as Float32Array | Uint16Array;
  const { kvHeads, headDim } = layout;
  if (layout.sharedBuffer && isKey) {
    const [fromCapacity, toCapacity] = [from.dims[3]!, to.dims[3]!];
    for (let run = 0; run < kvHeads * headDim; run++) target.set(source.subarray(run * fromCapacity, run * fromCapacity + count), run * toCapacity);
    return;
  }
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
