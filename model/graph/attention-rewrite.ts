// Attention over a KV buffer that stays in JavaScript and never comes back. A standard export concatenates past
// and new keys every step and returns the whole `present`; onnxruntime-node copies every output into a fresh
// JavaScript buffer after each run, so that is a copy of the entire cache per token, growing with the context.
// Inputs, in contrast, cross without a copy (the tensor wraps the typed array's memory). So this rewrite makes the
// cache an input only, and the outputs only the new rows:
//  - `past_key_values.L.key` becomes a capacity buffer stored transposed, [batch, kvHeads, headDim, capacity], and
//    `past_key_values.L.value` one of [batch, kvHeads, capacity, headDim]: the layouts the attention products read
//    as they are, so nothing in the graph transposes or concatenates the cache;
//  - `present.L.key` / `present.L.value` are this pass's keys (after RoPE) and values, [batch, kvHeads, seq,
//    headDim], which the caller writes into its buffers;
//  - the scores against the cache and against the new tokens are computed apart and joined (they are small:
//    [.., seq, capacity + seq]), the input `attention_bias` ([seq, capacity + seq]: 0 where a query may look, -inf
//    elsewhere: past the cache's valid length, and after the query among the new tokens) replaces the graph's own
//    mask, one softmax runs over both, and the two weighted sums are added.
// The query path, RoPE, the scale and grouped-query broadcasting are the export's own nodes, left as they are. Where
// the export reads the past's shape (the past length, for positions and masks), it now reads the valid length,
// computed from the attention mask's length minus the new tokens'. Knows graph structure, not the engine.
import { DataType, type Node, type OnnxGraph } from "./onnx-graph";
import { attentionBiasInput } from "./rewritten-inputs";

/** The attention as config.json describes it (model-folder.ts's attentionShapeOf): its presence is the config's
 *  permission for the rewrite, which reads the layout itself from the graph; the memory estimate uses the sizes. */
export interface AttentionShape {
  heads: number;
  kvHeads: number;
  headDim: number;
  ropeTheta: number;
  /** The longest context the graph will run. */
  maxPositions: number;
}

/** `mutated`: the graph was changed before the rewrite gave up, so it must be read again. */
export type AttentionRewrite = { applied: true } | { applied: false; reason: string; mutated?: boolean };

/** Ops between the scores product and the softmax that are kept (a constant scale) or replaced (the mask). */
const scaleOps = new Set(["Mul", "Div"]);
const maskOps = new Set(["Where", "Add"]);

/** The layout (KV heads, head size) is read from the graph's past inputs. */
export function bufferedAttention(graph: OnnxGraph): AttentionRewrite {
  if (graph.opset() < 13) return { applied: false, reason: `opset ${graph.opset()} is older than 13` };
  const layers: LayerAttention[] = [];
  for (let layer = 0; graph.hasInput(`past_key_values.${layer}.key`); layer++) {
    const found = findLayer(graph, layer);
    if (typeof found === "string") return { applied: false, reason: `layer ${layer}: ${found}` };
    layers.push(found);
  }
  if (layers.length === 0) return { applied: false, reason: "the graph has no past_key_values inputs" };
  const tensorType = graph.graph.input!.find((input) => input.name === "past_key_values.0.key")!.type?.tensorType;
  if (tensorType?.elemType !== DataType.FLOAT) return { applied: false, reason: "the KV cache is not float32 (the attention bias is built as float32)" };
  const [, kvHeads, , headDim] = (tensorType.shape?.dim ?? []).map((dim) => Number(dim.dimValue ?? 0));
  if (!kvHeads || !headDim) return { applied: false, reason: "past_key_values.0.key has no static head and head-size dimensions" };
  addSharedNodes(graph);
  for (const found of layers) rewriteLayer(graph, found, kvHeads, headDim);
  const pastShapes = replacePastShapes(graph);
  if (typeof pastShapes === "string") return { applied: false, reason: pastShapes, mutated: true };
  graph.prune();
  const pastReaders = graph.nodes.filter((node) => !node.name!.startsWith("ghost/") && node.input!.some((input) => input.startsWith("past_key_values.")));
  if (pastReaders.length > 0) return { applied: false, reason: `${pastReaders[0]!.name} reads the past KV outside attention`, mutated: true };
  graph.addInput(attentionBiasInput, DataType.FLOAT, ["sequence_length", "attended_length"]);
  return { applied: true };
}

interface LayerAttention {
  index: number;
  pastKey: string;
  pastValue: string;
  /** This pass's keys (after RoPE) and values, [batch, kvHeads, seq, headDim]. */
  newKey: string;
  newValue: string;
  /** From [.., positions, headDim] to the attention products' operands: an Unsqueeze grouping heads, or nothing;
   *  for the keys then the Transpose of the last two axes. */
  keyCarriers: Node[];
  valueCarriers: Node[];
  scores: Node;
  /** Constant scales between the scores and the softmax, re-applied to the joined scores. */
  scales: Node[];
  softmax: Node;
  weighted: Node;
  replaced: Node[];
}

function findLayer(graph: OnnxGraph, layer: number): LayerAttention | string {
  const pastKey = `past_key_values.${layer}.key`;
  const pastValue = `past_key_values.${layer}.value`;
  const concatKey = graph.producer(`present.${layer}.key`);
  const concatValue = graph.producer(`present.${layer}.value`);
  if (concatKey?.opType !== "Concat" || concatKey.input![0] !== pastKey) return `present.${layer}.key is not a Concat of ${pastKey} and the new keys`;
  if (concatValue?.opType !== "Concat" || concatValue.input![0] !== pastValue) return `present.${layer}.value is not a Concat of ${pastValue} and the new values`;
  const keyPath = carriersTo(graph, concatKey.output![0]!);
  const valuePath = carriersTo(graph, concatValue.output![0]!);
  if (typeof keyPath === "string") return keyPath;
  if (typeof valuePath === "string") return valuePath;
  const transpose = keyPath.carriers.at(-1);
  const unsqueezes = keyPath.carriers.slice(0, -1);
  if (transpose?.opType !== "Transpose" || !swapsLastTwo(transpose)) return `the keys reach the scores product without a Transpose of their last two axes`;
  for (const carriers of [unsqueezes, valuePath.carriers]) {
    const problem = groupsHeads(graph, carriers);
    if (problem) return problem;
  }
  if (unsqueezes.length !== valuePath.carriers.length) return `the keys and values reach attention in different shapes`;
  if (keyPath.product.input![1] !== transpose.output![0] || valuePath.product.input![1] !== (valuePath.carriers.at(-1)?.output![0] ?? concatValue.output![0])) {
    return `the cache is not the second operand of the attention products`;
  }
  const scales: Node[] = [];
  let node = keyPath.product;
  for (;;) {
    const scores = node.output![0]!;
    const consumers = graph.consumers(scores);
    if (consumers.length !== 1) return `the scores of ${keyPath.product.name} are read by ${consumers.length} nodes`;
    node = consumers[0]!;
    if (node.opType === "Softmax") break;
    // Mul(scores, c) and Div(scores, c): re-applied to the joined scores; a mask (Where, Add) is replaced
    if (scaleOps.has(node.opType!) && node.input![0] === scores && constantSize(graph, node.input![1]!) === 1) scales.push(node);
    else if (!maskOps.has(node.opType!)) return `${node.opType} (${node.name}) between the scores and the softmax`;
  }
  const softmax = node;
  const axis = softmax.attribute!.find((entry) => entry.name === "axis");
  if (axis && Number(axis.i) !== -1) return `${softmax.name} is not over the last axis`;
  if (valuePath.product.input![0] !== softmax.output![0]) return `${valuePath.product.name} does not multiply the softmax's output`;
  return {
    index: layer,
    pastKey,
    pastValue,
    newKey: concatKey.input![1]!,
    newValue: concatValue.input![1]!,
    keyCarriers: keyPath.carriers,
    valueCarriers: valuePath.carriers,
    scores: keyPath.product,
    scales,
    softmax,
    weighted: valuePath.product,
    replaced: [concatKey, concatValue, valuePath.product],
  };
}

/** The chain of single-input reshaping ops from `present` to the MatMul that reads it. */
function carriersTo(graph: OnnxGraph, present: string): { carriers: Node[]; product: Node } | string {
  const carriers: Node[] = [];
  let tensor = present;
  for (let depth = 0; depth < 6; depth++) {
    const consumers = graph.consumers(tensor);
    if (consumers.length !== 1) return `${tensor} is read by ${consumers.length} nodes (expected one chain to an attention product)`;
    const node = consumers[0]!;
    if (node.opType === "MatMul") return { carriers, product: node };
    if (node.opType !== "Unsqueeze" && node.opType !== "Transpose") return `${node.opType} (${node.name}) between ${present} and attention (repeated KV heads are not supported)`;
    carriers.push(node);
    tensor = node.output![0]!;
  }
  return `no attention MatMul reads ${present}`;
}

/** Nothing (one query head per KV head), or one Unsqueeze at axis 2 ([batch, kvHeads, 1, positions, headDim],
 *  broadcast against queries grouped per KV head, [batch, kvHeads, groups, seq, headDim]): the layouts whose query
 *  heads are KV-head-major, so that [batch, kvHeads, groups * seq, headDim] is the same memory. */
function groupsHeads(graph: OnnxGraph, carriers: Node[]): string | null {
  if (carriers.length === 0) return null;
  const [node] = carriers;
  const axes = node!.opType === "Unsqueeze" ? constantInts(graph, node!.input![1] ?? "") : null;
  if (carriers.length > 1 || axes?.length !== 1 || (axes[0] !== 2 && axes[0] !== -3)) {
    return `${node!.opType} (${node!.name}) between the cache and attention (heads grouped by one Unsqueeze at axis 2 only)`;
  }
  return null;
}

function swapsLastTwo(transpose: Node): boolean {
  const perm = (transpose.attribute!.find((entry) => entry.name === "perm")?.ints ?? []).map(Number);
  const rank = perm.length;
  return rank >= 2 && perm.every((axis, index) => axis === (index === rank - 2 ? rank - 1 : index === rank - 1 ? rank - 2 : index));
}

function constantProto(graph: OnnxGraph, tensor: string) {
  return graph.graph.initializer!.find((init) => init.name === tensor) ?? graph.producer(tensor)?.attribute?.find((entry) => entry.name === "value")?.t;
}

/** Elements of an initializer or a Constant; null when `tensor` is neither. */
function constantSize(graph: OnnxGraph, tensor: string): number | null {
  const proto = constantProto(graph, tensor);
  return proto ? (proto.dims ?? []).reduce<number>((size, dim) => size * Number(dim), 1) : null;
}

/** The int64 values of an initializer or a Constant, or null. */
function constantInts(graph: OnnxGraph, tensor: string): number[] | null {
  const proto = constantProto(graph, tensor);
  if (!proto || proto.dataType !== DataType.INT64) return null;
  if (proto.int64Data?.length) return proto.int64Data.map(Number);
  const raw = proto.rawData!;
  return Array.from(new BigInt64Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength)), Number);
}

/** The cache's capacity and valid length as 1-D int64 tensors, and the logical past shape [batch, kvHeads, valid
 *  length, headDim], shared by every layer. */
function addSharedNodes(graph: OnnxGraph): void {
  graph.addInitializer("ghost/zero_1d", DataType.INT64, [1], BigInt64Array.of(0n));
  graph.addInitializer("ghost/one_1d", DataType.INT64, [1], BigInt64Array.of(1n));
  graph.addInitializer("ghost/two_1d", DataType.INT64, [1], BigInt64Array.of(2n));
  graph.addInitializer("ghost/three_1d", DataType.INT64, [1], BigInt64Array.of(3n));
  graph.addInitializer("ghost/four_1d", DataType.INT64, [1], BigInt64Array.of(4n));
  graph.addInitializer("ghost/last_axis", DataType.INT64, [1], BigInt64Array.of(-1n));
  graph.addInitializer("ghost/int64_max_1d", DataType.INT64, [1], BigInt64Array.of(2n ** 63n - 1n));
  graph.addNode("Shape", ["past_key_values.0.value"], ["ghost/value_shape"]);
  graph.addNode("Slice", ["ghost/value_shape", "ghost/two_1d", "ghost/three_1d"], ["ghost/capacity_1d"]);
  graph.addNode("Shape", ["attention_mask"], ["ghost/mask_shape"]);
  graph.addNode("Slice", ["ghost/mask_shape", "ghost/one_1d", "ghost/two_1d"], ["ghost/total_1d"]);
  graph.addNode("Shape", ["input_ids"], ["ghost/ids_shape"]);
  graph.addNode("Slice", ["ghost/ids_shape", "ghost/one_1d", "ghost/two_1d"], ["ghost/seq_1d"]);
  graph.addNode("Sub", ["ghost/total_1d", "ghost/seq_1d"], ["ghost/past_length_1d"]);
  graph.addNode("Slice", ["ghost/value_shape", "ghost/zero_1d", "ghost/two_1d"], ["ghost/batch_heads_1d"]);
  graph.addNode("Slice", ["ghost/value_shape", "ghost/three_1d", "ghost/four_1d"], ["ghost/head_dim_1d"]);
  graph.addNode("Concat", ["ghost/batch_heads_1d", "ghost/past_length_1d", "ghost/head_dim_1d"], ["ghost/past_shape"], { axis: 0 });
}

/** The export's own grouping of query heads is kept: queries [batch, kvHeads, groups, seq, headDim] against the
 *  cache unsqueezed to [batch, kvHeads, 1, .., ..]. With one new token that is a row-vector product per query head,
 *  which onnxruntime's CPU matrix product runs straight from the cache, without packing it into a copy first
 *  (measured: flattening the groups into one [groups * seq]-row product per KV head was 40% slower at 1,664
 *  positions, the packing copy costing more than the rereads it saves). */
function rewriteLayer(graph: OnnxGraph, layer: LayerAttention, kvHeads: number, headDim: number): void {
  const prefix = `ghost/layer${layer.index}`;
  const name = (part: string) => `${prefix}/${part}`;
  graph.removeNodes(new Set(layer.replaced));
  /** Re-applies `nodes` (their first input the data, the others constants) to `input`; returns the last output. */
  const chain = (nodes: Node[], input: string, part: string): string =>
    nodes.reduce((tensor, node, index) => {
      const output = name(`${part}_${index}`);
      graph.nodes.push({ ...node, name: output, input: [tensor, ...node.input!.slice(1)], output: [output] });
      return output;
    }, input);
  const query = layer.scores.input![0]!;
  // the keys' Unsqueeze (when heads are grouped), without the Transpose: the cache is stored transposed
  const keysPast = chain(layer.keyCarriers.slice(0, -1), layer.pastKey, "past_key");
  const keysNew = chain(layer.keyCarriers, layer.newKey, "new_key");
  graph.addNode("MatMul", [query, keysPast], [name("scores_past")]);
  graph.addNode("MatMul", [query, keysNew], [name("scores_new")]);
  graph.addNode("Concat", [name("scores_past"), name("scores_new")], [name("scores")], { axis: -1 });
  const scaled = chain(layer.scales, name("scores"), "scaled");
  graph.addNode("Add", [scaled, attentionBiasInput], [name("masked")]);
  graph.addNode("Softmax", [name("masked")], [name("probabilities")], { axis: -1 });
  graph.addNode("Slice", [name("probabilities"), "ghost/zero_1d", "ghost/capacity_1d", "ghost/last_axis"], [name("probabilities_past")]);
  graph.addNode("Slice", [name("probabilities"), "ghost/capacity_1d", "ghost/int64_max_1d", "ghost/last_axis"], [name("probabilities_new")]);
  const valuesPast = chain(layer.valueCarriers, layer.pastValue, "past_value");
  const valuesNew = chain(layer.valueCarriers, layer.newValue, "new_value");
  graph.addNode("MatMul", [name("probabilities_past"), valuesPast], [name("weighted_past")]);
  graph.addNode("MatMul", [name("probabilities_new"), valuesNew], [name("weighted_new")]);
  graph.addNode("Add", [name("weighted_past"), name("weighted_new")], [layer.weighted.output![0]!]).name = name("weighted");
  graph.addNode("Identity", [layer.newKey], [`present.${layer.index}.key`]).name = name("present_key");
  graph.addNode("Identity", [layer.newValue], [`present.${layer.index}.value`]).name = name("present_value");
  graph.setShape(layer.pastKey, ["batch_size", kvHeads, headDim, "kv_capacity"]);
  graph.setShape(layer.pastValue, ["batch_size", kvHeads, "kv_capacity", headDim]);
  graph.setShape(`present.${layer.index}.key`, ["batch_size", kvHeads, "sequence_length", headDim]);
  graph.setShape(`present.${layer.index}.value`, ["batch_size", kvHeads, "sequence_length", headDim]);
}

/** Every other reader of a past input's shape (the past length, for positions and the causal mask) now reads the
 *  logical shape, whose length is the valid one, not the capacity. */
function replacePastShapes(graph: OnnxGraph): string | null {
  for (const node of graph.nodes) {
    if (node.opType !== "Shape" || node.name!.startsWith("ghost/") || !node.input![0]!.startsWith("past_key_values.")) continue;
    if (node.attribute?.length) return `${node.name} reads part of a past input's shape`;
    node.opType = "Identity";
    node.input = ["ghost/past_shape"];
  }
  return null;
}
