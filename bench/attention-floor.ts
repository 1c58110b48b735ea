// What onnxruntime's CPU kernels allow on this machine for decode's growth with the context: evidence for the floor
// under decode-context's goal "new speed @1500 / @16 >= 0.85", not a measurement of the product (decode-context is).
// Graphs of attention alone, with the bench model's shapes from its config.json (layers, KV heads, query heads per
// KV head, head size), read a KV cache of 64 and of 1,536 positions for one new token, in each formulation
// onnxruntime's CPU provider offers; the growth in CPU time per token between the two is what attention alone adds
// to a decode step at 1,500 tokens, whatever the rest of the model costs. Beside them, the product's own decode
// step at 16 tokens (LocalEngine, the new path, 1 thread) per weight variant, and the ratio each formulation would
// allow if attention were the only thing that grew: t16 / (t16 + growth). Layers are chained through the query
// (q + Tanh(attention)) so no pass can be skipped; a Mul there would be fused into the products and change kernels.
// usage: npm run bench -- attention-floor
import { performance } from "node:perf_hooks";
import { onnx } from "onnx-proto";
import * as ort from "onnxruntime-node";
import { openModelFolder } from "../model/model-folder";
import type { Variant } from "../model/store/variants";
import { cpuMs, measure, promptsFor } from "./decode-context";
import { median, type BenchmarkResult, type Row } from "./report";

interface Shape {
  layers: number;
  kvHeads: number;
  /** Query heads per KV head. */
  groups: number;
  headDim: number;
}

type Dim = number | "positions";

interface Formulation {
  name: string;
  query: (shape: Shape) => Dim[];
  /** The cache inputs of one layer and the nodes reading them; returns the tensor shaped like the query. */
  layer: (builder: GraphBuilder, layer: number, query: string, shape: Shape) => string;
}

const { DataType } = onnx.TensorProto;
const { AttributeType } = onnx.AttributeProto;

class GraphBuilder {
  readonly nodes: onnx.INodeProto[] = [];
  readonly inputs: onnx.IValueInfoProto[] = [];
  readonly initializers: onnx.ITensorProto[] = [];
  /** Each input's element type and shape, for making its feed. */
  readonly feeds = new Map<string, { type: "float32" | "int8"; dims: Dim[] }>();

  input(name: string, type: "float32" | "int8", dims: Dim[]): string {
    const dim = dims.map((value) => (typeof value === "number" ? { dimValue: value } : { dimParam: value }));
    this.inputs.push({ name, type: { tensorType: { elemType: type === "float32" ? DataType.FLOAT : DataType.INT8, shape: { dim } } } });
    this.feeds.set(name, { type, dims });
    return name;
  }

  scalar(name: string, value: number): string {
    this.initializers.push({ name, dataType: DataType.FLOAT, dims: [], floatData: [value] });
    return name;
  }

  node(opType: string, inputs: string[], output: string, attributes: Record<string, number | number[]> = {}, domain = ""): string {
    const attribute = Object.entries(attributes).map(([name, value]) =>
      Array.isArray(value) ? { name, type: AttributeType.INTS, ints: value } : { name, type: AttributeType.INT, i: value },
    );
    this.nodes.push({ opType, input: inputs, output: [output], name: output, attribute, domain });
    return output;
  }

  encode(output: string): Uint8Array {
    const model = onnx.ModelProto.fromObject({
      irVersion: 8,
      opsetImport: [{ domain: "", version: 17 }, { domain: "com.microsoft", version: 1 }],
      graph: { name: "attention", node: this.nodes, input: this.inputs, initializer: this.initializers, output: [{ name: output }] },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

/** scores = q·K, softmax over the positions, then ·V: the three steps every formulation shares. */
function attend(builder: GraphBuilder, prefix: string, query: string, keys: string, values: string): string {
  const scores = builder.node("MatMul", [query, keys], `${prefix}/scores`);
  const probabilities = builder.node("Softmax", [scores], `${prefix}/probabilities`, { axis: -1 });
  return builder.node("MatMul", [probabilities, values], `${prefix}/weighted`);
}

const formulations: Formulation[] = [
  {
    name: "fp32 cache, the product's layout (a row-vector product per query head, keys stored transposed)",
    query: (s) => [1, s.kvHeads, s.groups, 1, s.headDim],
    layer: (builder, layer, query, s) =>
      attend(builder, `l${layer}`, query, builder.input(`k${layer}`, "float32", [1, s.kvHeads, 1, s.headDim, "positions"]), builder.input(`v${layer}`, "float32", [1, s.kvHeads, 1, "positions", s.headDim])),
  },
  {
    name: "fp32 cache, keys stored as written (the product transposes them: FusedMatMul transB)",
    query: (s) => [1, s.kvHeads, s.groups, 1, s.headDim],
    layer: (builder, layer, query, s) => {
      const keys = builder.node("Transpose", [builder.input(`k${layer}`, "float32", [1, s.kvHeads, 1, "positions", s.headDim])], `l${layer}/keys`, { perm: [0, 1, 2, 4, 3] });
      return attend(builder, `l${layer}`, query, keys, builder.input(`v${layer}`, "float32", [1, s.kvHeads, 1, "positions", s.headDim]));
    },
  },
  {
    name: "fp32 cache, one product per KV head (its query heads as rows: the cache read once)",
    query: (s) => [1, s.kvHeads, s.groups, s.headDim],
    layer: (builder, layer, query, s) =>
      attend(builder, `l${layer}`, query, builder.input(`k${layer}`, "float32", [1, s.kvHeads, s.headDim, "positions"]), builder.input(`v${layer}`, "float32", [1, s.kvHeads, "positions", s.headDim])),
  },
  {
    // A lower bound for an int8 cache: one quantization level for the probabilities (too coarse for the product),
    // and 1,536 positions of int8 fit this machine's last-level cache where the model's weights would evict them.
    name: "int8 cache, DynamicQuantizeMatMul with a scale per position (lower bound: see the note)",
    query: (s) => [1, s.kvHeads, s.groups, s.headDim],
    layer: (builder, layer, query, s) => {
      const keys = builder.input(`k${layer}`, "int8", [1, s.kvHeads, s.headDim, "positions"]);
      const keyScales = builder.input(`ks${layer}`, "float32", [1, s.kvHeads, 1, "positions"]);
      const values = builder.input(`v${layer}`, "int8", [1, s.kvHeads, "positions", s.headDim]);
      const valueScales = builder.input(`vs${layer}`, "float32", [1, s.kvHeads, 1, "positions"]);
      const scores = builder.node("DynamicQuantizeMatMul", [query, keys, keyScales], `l${layer}/scores`, {}, "com.microsoft");
      const probabilities = builder.node("Softmax", [scores], `l${layer}/probabilities`, { axis: -1 });
      const weights = builder.node("Mul", [probabilities, valueScales], `l${layer}/weights`);
      return builder.node("DynamicQuantizeMatMul", [weights, values, builder.scalar(`l${layer}/one`, 1)], `l${layer}/weighted`, {}, "com.microsoft");
    },
  },
  {
    name: "fp32 cache read once and summed, no products (what reading it costs here)",
    query: (s) => [1, s.kvHeads, s.groups, s.headDim],
    layer: (builder, layer, _query, s) => {
      const keys = builder.node("ReduceSum", [builder.input(`k${layer}`, "float32", [1, s.kvHeads, s.headDim, "positions"])], `l${layer}/key_sum`, { keepdims: 0 });
      const values = builder.node("ReduceSum", [builder.input(`v${layer}`, "float32", [1, s.kvHeads, "positions", s.headDim])], `l${layer}/value_sum`, { keepdims: 0 });
      return builder.node("Add", [keys, values], `l${layer}/sum`);
    },
  },
];

function graphOf(formulation: Formulation, shape: Shape): GraphBuilder {
  const builder = new GraphBuilder();
  let query = builder.input("q", "float32", formulation.query(shape));
  for (let layer = 0; layer < shape.layers; layer++) {
    const attention = formulation.layer(builder, layer, query, shape);
    const squashed = builder.node("Tanh", [attention], `l${layer}/squashed`);
    query = builder.node("Add", [query, squashed], `l${layer}/query`);
  }
  builder.node("Identity", [query], "out");
  return builder;
}

function feedsOf(builder: GraphBuilder, positions: number): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  for (const [name, { type, dims }] of builder.feeds) {
    const shape = dims.map((dim) => (dim === "positions" ? positions : dim));
    const size = shape.reduce((product, dim) => product * dim, 1);
    const isScale = /^[kv]s\d/.test(name);
    feeds[name] =
      type === "int8"
        ? new ort.Tensor("int8", Int8Array.from({ length: size }, () => Math.floor(Math.random() * 256) - 128), shape)
        : new ort.Tensor("float32", Float32Array.from({ length: size }, () => (isScale ? Math.random() / 64 : Math.random() - 0.5)), shape);
  }
  return feeds;
}

/** CPU milliseconds per pass (one new token through every layer), the median of 25 after 3 warm-up runs. */
async function timePass(graph: Uint8Array, builder: GraphBuilder, positions: number): Promise<number> {
  const session = await ort.InferenceSession.create(graph, { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: "all" });
  const feeds = feedsOf(builder, positions);
  for (let run = 0; run < 3; run++) await session.run(feeds);
  const times: number[] = [];
  for (let run = 0; run < 25; run++) {
    const start = process.cpuUsage();
    await session.run(feeds);
    times.push(cpuMs(process.cpuUsage(start)));
  }
  await session.release();
  return median(times);
}

const goal = 0.85;
const positions = { short: 64, long: 1536 };

export async function attentionFloorBench(model: { name: string; dir: string }): Promise<BenchmarkResult[]> {
  const { config } = openModelFolder(model.dir, "fp32");
  const heads = config.num_attention_heads ?? 1;
  const kvHeads = config.num_key_value_heads ?? heads;
  const shape: Shape = { layers: config.num_hidden_layers, kvHeads, groups: heads / kvHeads, headDim: config.head_dim ?? (config.hidden_size ?? 0) / heads };

  const variants: Variant[] = ["fp32", "int8", "q4"];
  const decode16 = new Map<Variant, number>();
  for (const variant of variants) {
    // decode-context's own measurement, of its 16-token prompt only
    const timings = await measure(model.dir, variant, 1, "all", new Map([[16, promptsFor(model.dir, variant).get(16)!]]));
    decode16.set(variant, timings.get(16)!.decodeCpuMs);
  }
  const product: Row[] = variants.map((variant) => ({
    model: `${model.name} ${variant}`,
    "decode cpu ms/tok @16": decode16.get(variant)!,
    [`growth allowed for ${goal} (ms)`]: decode16.get(variant)! * (1 / goal - 1),
  }));

  const rows: Row[] = [];
  for (const formulation of formulations) {
    const builder = graphOf(formulation, shape);
    const graph = builder.encode("out");
    const started = performance.now();
    const short = await timePass(graph, builder, positions.short);
    const long = await timePass(graph, builder, positions.long);
    const growth = long - short;
    console.log(`attention-floor: ${formulation.name}: ${(performance.now() - started).toFixed(0)} ms`);
    rows.push({
      formulation: formulation.name,
      [`cpu ms/tok @${positions.short}`]: short,
      [`cpu ms/tok @${positions.long}`]: long,
      "growth ms": growth,
      ...Object.fromEntries(variants.map((variant) => [`${variant}: best @1500/@16`, decode16.get(variant)! / (decode16.get(variant)! + growth)])),
    });
  }
  const cacheBytes = shape.layers * 2 * shape.kvHeads * shape.headDim * positions.long * 4;
  return [
    {
      name: `product decode step at 16 tokens (${model.name}, new path, 1 thread)`,
      note: `LocalEngine.generate, the median CPU time per decoded token after a 16-token prompt; the growth to 1,500 tokens that the goal @1500/@16 >= ${goal} leaves is t16 x (1/${goal} - 1).`,
      rows: product,
    },
    {
      name: `attention alone as the context grows: onnxruntime CPU kernels (${model.name}'s shapes)`,
      note:
        `${shape.layers} layers x ${shape.kvHeads} KV heads x ${shape.groups} query heads each x head size ${shape.headDim}, one new token, 1 thread; the fp32 cache at ` +
        `${positions.long} positions is ${(cacheBytes / 2 ** 20).toFixed(0)} MiB read per token. growth = @${positions.long} - @${positions.short}: what attention alone adds. ` +
        `best @1500/@16 = t16 / (t16 + growth), with t16 from the table above: the most that formulation allows that variant if nothing else grew. ` +
        "The int8 row is a lower bound: one quantization level (too coarse to keep the product's outputs) and a cache that fits the last-level cache here, where the model's weights would evict it between layers.",
      rows,
    },
  ];
}
