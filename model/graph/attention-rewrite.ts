// Attention over a KV buffer that stays in JavaScript and never travels back whole. A standard export concatenates
// past and new keys every step and returns the whole `present`, which onnxruntime-node copies into a new
// JavaScript buffer after every run: a copy of the entire cache per token, growing with the context. This rewrite
// replaces each layer's attention, from the q/k/v projections to the input of o_proj, with onnxruntime's
// com.microsoft GroupQueryAttention (RoPE inside), reading `past_key_values.*` as a fixed-capacity buffer
// ([batch, kvHeads, capacity, headDim], rows past the valid length ignored; feeds cross without a copy), and makes
// `present.*` only the new rows ([batch, kvHeads, seq, headDim]), which the caller writes into its buffer.
// Positions come from the attention mask's sum (seqlens_k = valid length - 1), so the caller feeds a mask of ones
// over every valid position. Knows graph structure and GroupQueryAttention's contract, not the engine.
import { DataType, matMulOps, type Node, type OnnxGraph } from "./onnx-graph";

export interface AttentionShape {
  heads: number;
  kvHeads: number;
  headDim: number;
  ropeTheta: number;
  /** Rows of the cos/sin tables: the longest context the graph will run. */
  maxPositions: number;
}

/** `mutated`: the graph was changed before the rewrite gave up, so it must be read again. */
export type AttentionRewrite = { applied: true } | { applied: false; reason: string; mutated?: boolean };

/** Ops allowed between a projection and the attention product: reshapes, RoPE and the scale. Anything else (a
 *  q/k norm, a softcap, partial rotary tricks) means the layer is not the plain attention GroupQueryAttention
 *  computes, and the graph keeps its own. */
const ropeOps = new Set(["Mul", "Add", "Sub", "Neg", "Slice", "Concat", "Transpose", "Unsqueeze", "Squeeze", "Cast", "Cos", "Sin", "Expand", "Identity", "Gather", "MatMul", "Range", "Div", "Reshape"]);
/** Ops that carry K or V from `present` to the attention products (repeat_kv reshapes included). */
const kvCarriers = new Set(["Unsqueeze", "Transpose", "Reshape", "Expand", "Identity"]);
/** Ops that lead from the probabilities times V to o_proj's input. */
const outputCarriers = new Set(["Reshape", "Transpose", "Identity"]);

export function sharedKvAttention(graph: OnnxGraph, shape: AttentionShape): AttentionRewrite {
  if (shape.headDim % 16 !== 0) return { applied: false, reason: `head size ${shape.headDim} is not a multiple of 16 (onnxruntime's CPU GroupQueryAttention needs one)` };
  if (graph.opset() < 13) return { applied: false, reason: `opset ${graph.opset()} is older than 13` };
  const layers: LayerAttention[] = [];
  for (let layer = 0; graph.hasInput(`past_key_values.${layer}.key`); layer++) {
    const found = findLayer(graph, layer);
    if (typeof found === "string") return { applied: false, reason: `layer ${layer}: ${found}` };
    layers.push(found);
  }
  if (layers.length === 0) return { applied: false, reason: "the graph has no past_key_values inputs" };
  addSharedInputs(graph, shape);
  for (const found of layers) {
    graph.removeNodes(new Set(found.replaced));
    const [fullKey, fullValue] = [`ghost/${found.presentKey}`, `ghost/${found.presentValue}`];
    graph.addNode(
      "GroupQueryAttention",
      [found.query, found.key, found.value, found.pastKey, found.pastValue, "ghost/seqlens_k", "ghost/total_sequence_length", "ghost/cos_cache", "ghost/sin_cache"],
      [found.output, fullKey, fullValue],
      { num_heads: shape.heads, kv_num_heads: shape.kvHeads, do_rotary: 1, rotary_interleaved: 0 },
      "com.microsoft",
    );
    // present: only the rows of this pass, [total - seq, total) on the position axis
    graph.addNode("Slice", [fullKey, "ghost/new_start", "ghost/total_1d", "ghost/axis2"], [found.presentKey]);
    graph.addNode("Slice", [fullValue, "ghost/new_start", "ghost/total_1d", "ghost/axis2"], [found.presentValue]);
    graph.setShape(found.pastKey, ["batch_size", shape.kvHeads, "kv_capacity", shape.headDim]);
    graph.setShape(found.pastValue, ["batch_size", shape.kvHeads, "kv_capacity", shape.headDim]);
    graph.setShape(found.presentKey, ["batch_size", shape.kvHeads, "sequence_length", shape.headDim]);
    graph.setShape(found.presentValue, ["batch_size", shape.kvHeads, "sequence_length", shape.headDim]);
  }
  graph.useDomain("com.microsoft", 1);
  graph.prune();
  // With a capacity buffer the past inputs' length is the capacity, not the valid length: nothing else may read them.
  const pastReaders = graph.nodes.filter((node) => node.opType !== "GroupQueryAttention" && node.input!.some((input) => input.startsWith("past_key_values.")));
  if (pastReaders.length > 0) return { applied: false, reason: `${pastReaders[0]!.name} reads the past KV outside attention`, mutated: true };
  // RoPE now happens inside GroupQueryAttention, at positions it derives from seqlens_k.
  if (graph.consumers("position_ids").length === 0) graph.removeInput("position_ids");
  return { applied: true };
}

interface LayerAttention {
  /** Projection outputs, [batch, seq, heads * headDim] and [batch, seq, kvHeads * headDim]. */
  query: string;
  key: string;
  value: string;
  pastKey: string;
  pastValue: string;
  presentKey: string;
  presentValue: string;
  /** o_proj's input, [batch, seq, heads * headDim]. */
  output: string;
  /** Nodes whose outputs GroupQueryAttention now produces; the rest of the old attention is pruned as unread. */
  replaced: Node[];
}

function findLayer(graph: OnnxGraph, layer: number): LayerAttention | string {
  const pastKey = `past_key_values.${layer}.key`;
  const pastValue = `past_key_values.${layer}.value`;
  const presentKey = `present.${layer}.key`;
  const presentValue = `present.${layer}.value`;
  const concatKey = graph.producer(presentKey);
  const concatValue = graph.producer(presentValue);
  if (concatKey?.opType !== "Concat" || concatKey.input![0] !== pastKey) return `${presentKey} is not a Concat of ${pastKey} and the new keys`;
  if (concatValue?.opType !== "Concat" || concatValue.input![0] !== pastValue) return `${presentValue} is not a Concat of ${pastValue} and the new values`;
  const key = projectionBehind(graph, concatKey.input![1]!);
  const value = projectionBehind(graph, concatValue.input![1]!);
  const scores = productOf(graph, presentKey);
  const weighted = productOf(graph, presentValue);
  if (typeof scores === "string") return scores;
  if (typeof weighted === "string") return weighted;
  const query = projectionBehind(graph, scores.input![0]!);
  for (const found of [key, value, query]) if (typeof found === "string") return found;
  const output = outputAfter(graph, weighted);
  if (typeof output === "string") return output;
  return {
    query: (query as Projection).tensor,
    key: (key as Projection).tensor,
    value: (value as Projection).tensor,
    pastKey,
    pastValue,
    presentKey,
    presentValue,
    output: output.tensor,
    replaced: [concatKey, concatValue, output.producer],
  };
}

interface Projection {
  tensor: string;
}

/** The projection output behind `tensor`: walking back through RoPE, the scale and reshapes, the Reshape that
 *  splits heads ([batch, seq, n * headDim] -> [batch, seq, n, headDim]) is the one fed by a projection. */
function projectionBehind(graph: OnnxGraph, tensor: string): Projection | string {
  const found = new Set<string>();
  const seen = new Set<string>();
  const stack = [tensor];
  while (stack.length > 0) {
    const name = stack.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const node = graph.producer(name);
    if (!node || node.opType === "Constant" || node.opType === "Shape") continue;
    if (node.opType === "Reshape" && isProjection(graph, graph.producer(node.input![0]!))) {
      found.add(node.input![0]!);
      continue;
    }
    if (!ropeOps.has(node.opType!) || isProjection(graph, node)) return `${node.opType} (${node.name}) between a projection and attention`;
    // Only data inputs: Slice bounds, Gather indices, Reshape shapes and the like are shape arithmetic.
    const data = ["Slice", "Unsqueeze", "Squeeze", "Expand", "Gather", "Reshape"].includes(node.opType!) ? node.input!.slice(0, 1) : node.input!;
    stack.push(...data.filter((input) => input && !graph.isConstant(input)));
  }
  if (found.size !== 1) return `found ${found.size} projections behind ${tensor} (expected 1)`;
  return { tensor: [...found][0]! };
}

/** A linear layer's output: a matrix product with a weight (an initializer, or one dequantized or transposed from
 *  it), or such a product plus a bias initializer. */
function isProjection(graph: OnnxGraph, node: Node | undefined): boolean {
  if (!node) return false;
  const isWeight = (tensor: string) => {
    const producer = graph.producer(tensor);
    return graph.isConstant(tensor) || (!!producer && ["DequantizeLinear", "Transpose"].includes(producer.opType!) && graph.isConstant(producer.input![0]!));
  };
  if (matMulOps.has(node.opType!)) return isWeight(node.input![1]!);
  if (node.opType !== "Add") return false;
  const [a, b] = node.input!;
  return (graph.isConstant(a!) && isProjection(graph, graph.producer(b!))) || (graph.isConstant(b!) && isProjection(graph, graph.producer(a!)));
}

/** The MatMul that consumes `present` (through repeat_kv's reshapes): scores = q k^T, or probabilities times v. */
function productOf(graph: OnnxGraph, present: string): Node | string {
  let frontier = [present];
  for (let depth = 0; depth < 6; depth++) {
    const consumers = frontier.flatMap((tensor) => graph.consumers(tensor));
    const product = consumers.find((node) => node.opType === "MatMul");
    if (product) return product;
    const carried = consumers.filter((node) => kvCarriers.has(node.opType!));
    if (carried.length === 0) break;
    frontier = carried.flatMap((node) => node.output!);
  }
  return `no attention MatMul reads ${present}`;
}

/** From probabilities times V to o_proj's input: the last tensor of the Reshape/Transpose chain after it. */
function outputAfter(graph: OnnxGraph, weighted: Node): { tensor: string; producer: Node } | string {
  let node = weighted;
  for (;;) {
    const consumers = graph.consumers(node.output![0]!);
    if (consumers.length !== 1 || !outputCarriers.has(consumers[0]!.opType!)) break;
    node = consumers[0]!;
  }
  if (node.opType !== "Reshape") return `the attention output after ${weighted.name} is not merged back to [batch, seq, hidden] by a Reshape`;
  return { tensor: node.output![0]!, producer: node };
}

/** seqlens_k and total_sequence_length from the attention mask, and the cos/sin tables, shared by every layer. */
function addSharedInputs(graph: OnnxGraph, shape: AttentionShape): void {
  graph.addInitializer("ghost/axis1", DataType.INT64, [1], BigInt64Array.of(1n));
  graph.addInitializer("ghost/one", DataType.INT64, [], BigInt64Array.of(1n));
  graph.addInitializer("ghost/index1", DataType.INT64, [], BigInt64Array.of(1n));
  graph.addNode("ReduceSum", ["attention_mask", "ghost/axis1"], ["ghost/valid_length"], { keepdims: 0 });
  graph.addNode("Sub", ["ghost/valid_length", "ghost/one"], ["ghost/seqlens_k_int64"]);
  graph.addNode("Cast", ["ghost/seqlens_k_int64"], ["ghost/seqlens_k"], { to: DataType.INT32 });
  graph.addNode("Shape", ["attention_mask"], ["ghost/mask_shape"]);
  graph.addNode("Gather", ["ghost/mask_shape", "ghost/index1"], ["ghost/total_int64"], { axis: 0 });
  graph.addNode("Cast", ["ghost/total_int64"], ["ghost/total_sequence_length"], { to: DataType.INT32 });
  // [total - seq] and [total] as 1-D tensors, for slicing the new rows out of each present
  graph.addInitializer("ghost/axis2", DataType.INT64, [1], BigInt64Array.of(2n));
  graph.addInitializer("ghost/one_1d", DataType.INT64, [1], BigInt64Array.of(1n));
  graph.addInitializer("ghost/two_1d", DataType.INT64, [1], BigInt64Array.of(2n));
  graph.addNode("Slice", ["ghost/mask_shape", "ghost/one_1d", "ghost/two_1d"], ["ghost/total_1d"]);
  graph.addNode("Shape", ["input_ids"], ["ghost/ids_shape"]);
  graph.addNode("Slice", ["ghost/ids_shape", "ghost/one_1d", "ghost/two_1d"], ["ghost/seq_1d"]);
  graph.addNode("Sub", ["ghost/total_1d", "ghost/seq_1d"], ["ghost/new_start"]);
  const half = shape.headDim / 2;
  const cos = new Float32Array(shape.maxPositions * half);
  const sin = new Float32Array(shape.maxPositions * half);
  // float32 at every step, as the exported graph (and Hugging Face's rotary embedding) computes it
  const inverseFrequency = Array.from({ length: half }, (_, index) => Math.fround(1 / Math.fround(shape.ropeTheta ** Math.fround((2 * index) / shape.headDim))));
  for (let position = 0; position < shape.maxPositions; position++) {
    inverseFrequency.forEach((frequency, index) => {
      const angle = Math.fround(position * frequency);
      cos[position * half + index] = Math.cos(angle);
      sin[position * half + index] = Math.sin(angle);
    });
  }
  graph.addInitializer("ghost/cos_cache", DataType.FLOAT, [shape.maxPositions, half], cos);
  graph.addInitializer("ghost/sin_cache", DataType.FLOAT, [shape.maxPositions, half], sin);
}
