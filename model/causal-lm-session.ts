// One onnxruntime session over a Hugging Face causal-LM export: discovers the graph's inputs and outputs, builds
// the feeds for a forward pass over new tokens given a KV cache, and returns the logits of the positions asked for.
// The graph it runs may be the export rewritten at load time (model/graph/prepare.ts, in a process of its own on a
// model's first load: model/graph/rewrite-process.ts): logits only for the last positions, and attention over
// capacity KV buffers (inputs only) of which only the new rows come back. Knows nothing about tokenizers,
// sampling or text.
import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import * as ort from "onnxruntime-node";
import type { AttentionShape } from "./graph/attention-rewrite";
import type { PreparedGraph } from "./graph/graph-cache";
import { preparedGraph } from "./graph/rewrite-process";
import { attentionBiasInput, logitsToKeepInput } from "./graph/rewritten-inputs";
import { appendKvRows, kvCapacity, reserveKvCache, type KvCache, type KvLayout } from "./kv-cache";

/** Which load-time rewrites to use: "all" (the default), "logits" (logits only where read), "none" (the export as
 *  it is: the fallback, and the baseline benchmarks compare against). */
export type GraphRewrites = "all" | "logits" | "none";

export interface SessionOptions {
  /** Threads for one operator; 1 is fastest for tiny models, the core count for real ones. */
  threads: number;
  rewrites?: GraphRewrites;
  /** The attention's shape from config.json; null when the config rules the attention rewrite out. */
  attention?: AttentionShape | null;
  overrides?: SessionOverrides;
}

export type SessionOverrides = Pick<ort.InferenceSession.SessionOptions, "enableCpuMemArena" | "enableMemPattern" | "extra">;

export interface ForwardResult {
  /** [keep, vocabulary] row-major: row i holds the next-token logits after fed token (fed - keep + i). */
  logits: Float32Array;
  vocabularySize: number;
  cache: KvCache;
}

interface GraphNames {
  positionIds: boolean;
  logitsToKeep: boolean;
  past: string[];
  present: string[];
}

const pastName = (layer: number, kind: "key" | "value") => `past_key_values.${layer}.${kind}`;
const presentName = (layer: number, kind: "key" | "value") => `present.${layer}.${kind}`;

/** onnxruntime's memory settings, measured on the ~135M int8 model (`npm run bench -- memory`, peak RSS of prefill
 *  512 + decode 128): the CPU arena grows in power-of-two extensions and keeps them, so with it off the peak was
 *  586 -> 531 MB at no measurable cost in speed; memory patterns gave no clear saving; prepacking must stay on
 *  (off: 641 MB, since packed weights replace the originals, and decode ~10x slower). The graph over capacity KV
 *  buffers is the exception: its prefill makes a few [heads, chunk, capacity + chunk] tensors per layer, the same
 *  sizes in every layer; with the arena off each goes to malloc, whose heap (glibc raises its mmap threshold after
 *  the first large free) keeps what is freed, so the peak grew with the capacity (shipped worker, int8 918 MB, q4
 *  745 MB), while the arena hands the same blocks to every layer (456 MB, 305 MB). */
const memorySettings = (capacityBuffers: boolean): ort.InferenceSession.SessionOptions => ({
  enableCpuMemArena: capacityBuffers,
  enableMemPattern: true,
});

export class CausalLmSession {
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly names: GraphNames,
    readonly layout: KvLayout,
    readonly graph: PreparedGraph,
  ) {}

  static async open(onnxPath: string, options: SessionOptions): Promise<CausalLmSession> {
    const rewrites = options.rewrites ?? "all";
    const graph: PreparedGraph = rewrites === "none"
      ? { file: onnxPath, weightsFolder: dirname(onnxPath), logitsToKeep: false, sharedKv: false, attentionSkipped: "rewrites off" }
      : await preparedGraph(onnxPath, { logitsToKeep: true, sharedKv: rewrites === "all" ? (options.attention ?? null) : null });
    const sessionOptions: ort.InferenceSession.SessionOptions = {
      ...memorySettings(graph.sharedKv),
      intraOpNumThreads: options.threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: "all",
      ...options.overrides,
    };
    // A rewritten graph is small (its weights stay in the source files) and may be cached away from them: load its
    // bytes and tell onnxruntime where the weights are.
    const created = graph.file === onnxPath
      ? ort.InferenceSession.create(onnxPath, sessionOptions)
      : ort.InferenceSession.create(readFileSync(graph.file), withWeightsFolder(sessionOptions, graph.weightsFolder));
    const session = await created.catch((error: Error) => {
      throw new Error(`onnxruntime could not load ${graph.file}${graph.file === onnxPath ? "" : ` (rewritten from ${onnxPath})`}: ${error.message}. The file may be truncated; download the model again`);
    });
    const layout = { ...kvLayoutOf(session, onnxPath), sharedBuffer: graph.sharedKv };
    return new CausalLmSession(session, graphNamesOf(session, layout.layers, onnxPath), layout, graph);
  }

  /** Runs `tokens` after the cached positions and returns the logits of the last `keep` of them (all by default).
   *  The returned cache covers cache.length + tokens.length positions. */
  async forward(tokens: readonly number[], cache: KvCache, keep = tokens.length): Promise<ForwardResult> {
    const total = cache.length + tokens.length;
    if (this.layout.sharedBuffer && total > kvCapacity(cache)) cache = reserveKvCache(cache, total, this.layout);
    const feeds: Record<string, ort.Tensor> = {
      input_ids: int64Tensor(tokens, [1, tokens.length]),
      attention_mask: new ort.Tensor("int64", new BigInt64Array(total).fill(1n), [1, total]),
    };
    if (this.names.positionIds) {
      feeds.position_ids = new ort.Tensor("int64", BigInt64Array.from(tokens, (_, index) => BigInt(cache.length + index)), [1, tokens.length]);
    }
    if (this.names.logitsToKeep) feeds[logitsToKeepInput] = int64Tensor([keep], [1]);
    if (this.layout.sharedBuffer) feeds[attentionBiasInput] = attentionBias(cache.length, kvCapacity(cache), tokens.length);
    this.names.past.forEach((name, index) => (feeds[name] = cache.tensors[index]!));
    const outputs = await this.session.run(feeds);
    const logits = outputs.logits!;
    const vocabularySize = logits.dims[2]!;
    const rows = toFloat32(logits);
    const presents = this.names.present.map((name) => outputs[name]!);
    return {
      // A graph without the logits rewrite computed every position: keep the rows asked for.
      logits: rows.length === keep * vocabularySize ? rows : rows.subarray(rows.length - keep * vocabularySize),
      vocabularySize,
      // The rewritten graph returns only this pass's rows: into the capacity buffer they go.
      cache: this.layout.sharedBuffer ? appendKvRows(cache, presents, this.layout) : { length: total, tensors: presents },
    };
  }

  /** The cache, with room for `total` positions (a request's prompt and reply) when the graph reads capacity
   *  buffers: reserved once per request instead of grown by copies while decoding. */
  reserve(cache: KvCache, total: number): KvCache {
    return this.layout.sharedBuffer ? reserveKvCache(cache, total, this.layout) : cache;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

/** [seq, capacity + seq]: new token i may attend to the cache's first `length` positions and to new tokens 0..i;
 *  -inf elsewhere (stale rows of the buffer, and the future). */
function attentionBias(length: number, capacity: number, seq: number): ort.Tensor {
  const width = capacity + seq;
  const bias = new Float32Array(seq * width).fill(-Infinity);
  for (let row = 0; row < seq; row++) {
    bias.fill(0, row * width, row * width + length);
    bias.fill(0, row * width + capacity, row * width + capacity + row + 1);
  }
  return new ort.Tensor("float32", bias, [seq, width]);
}

function withWeightsFolder(options: ort.InferenceSession.SessionOptions, folder: string): ort.InferenceSession.SessionOptions {
  const extra = (options.extra ?? {}) as { session?: Record<string, string> };
  return { ...options, extra: { ...extra, session: { ...extra.session, model_external_initializers_file_folder_path: folder } } };
}

function int64Tensor(values: readonly number[], dims: number[]): ort.Tensor {
  return new ort.Tensor("int64", BigInt64Array.from(values, BigInt), dims);
}

function toFloat32(tensor: ort.Tensor): Float32Array {
  if (tensor.type === "float32") return tensor.data as Float32Array;
  if (tensor.type === "float16") return Float32Array.from(tensor.data as Uint16Array, halfToFloat);
  throw new Error(`logits of type ${tensor.type} are not supported (expected float32 or float16)`);
}

/** IEEE 754 binary16 to a JS number. */
function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

function describeGraph(session: ort.InferenceSession): string {
  return `inputs: ${session.inputNames.join(", ")}; outputs: ${session.outputNames.join(", ")}`;
}

/** Layers, KV heads and head size, read from the graph's own past_key_values inputs. */
function kvLayoutOf(session: ort.InferenceSession, onnxPath: string): Omit<KvLayout, "sharedBuffer"> {
  const pastKeys = session.inputMetadata.filter((input) => /^past_key_values\.\d+\.key$/.test(input.name));
  const first = pastKeys.find((input) => input.name === pastName(0, "key"));
  if (!first || !first.isTensor) {
    throw new Error(
      `${onnxPath} is not a causal-LM export with a KV cache that Ghost can drive: it has no input ` +
        `'past_key_values.0.key' (${describeGraph(session)}). Export it with past key values ` +
        `(e.g. optimum's "text-generation-with-past" task).`,
    );
  }
  // The value's shape: [batch, kvHeads, positions, headDim] in both layouts (rewritten keys are stored transposed).
  const value = session.inputMetadata.find((input) => input.name === pastName(0, "value"));
  const shape = value?.isTensor ? value.shape : first.shape;
  const [, kvHeads, , headDim] = shape;
  if (typeof kvHeads !== "number" || typeof headDim !== "number") {
    throw new Error(`${onnxPath}: 'past_key_values.0.value' must have static head and head-size dimensions, found [${shape.join(", ")}]`);
  }
  if (first.type !== "float32" && first.type !== "float16") {
    throw new Error(`${onnxPath}: KV cache of type ${first.type} is not supported (float32 or float16)`);
  }
  return { layers: pastKeys.length, kvHeads, headDim, type: first.type };
}

function graphNamesOf(session: ort.InferenceSession, layers: number, onnxPath: string): GraphNames {
  const past = Array.from({ length: layers }, (_, layer) => [pastName(layer, "key"), pastName(layer, "value")]).flat();
  const present = Array.from({ length: layers }, (_, layer) => [presentName(layer, "key"), presentName(layer, "value")]).flat();
  const known = new Set(["input_ids", "attention_mask", "position_ids", logitsToKeepInput, attentionBiasInput, ...past]);
  const missingInputs = ["input_ids", "attention_mask", ...past].filter((name) => !session.inputNames.includes(name));
  const unknownInputs = session.inputNames.filter((name) => !known.has(name));
  const missingOutputs = ["logits", ...present].filter((name) => !session.outputNames.includes(name));
  const problems = [
    missingInputs.length ? `missing inputs ${missingInputs.join(", ")}` : "",
    unknownInputs.length ? `inputs Ghost cannot fill ${unknownInputs.join(", ")}` : "",
    missingOutputs.length ? `missing outputs ${missingOutputs.join(", ")}` : "",
  ].filter(Boolean);
  if (problems.length) {
    throw new Error(`${onnxPath} cannot be driven as a causal LM: ${problems.join("; ")} (${describeGraph(session)})`);
  }
  return { positionIds: session.inputNames.includes("position_ids"), logitsToKeep: session.inputNames.includes(logitsToKeepInput), past, present };
}
