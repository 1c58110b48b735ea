// One onnxruntime session over a Hugging Face causal-LM export: discovers the graph's inputs and outputs, builds
// the feeds for a forward pass over new tokens given a KV cache, and returns the logits of every fed position.
// Knows nothing about tokenizers, sampling or text.
import * as ort from "onnxruntime-node";
import type { KvCache, KvLayout } from "./kv-cache";

export interface SessionOptions {
  /** Threads for one operator; 1 is fastest for tiny models, the core count for real ones. */
  threads: number;
}

export interface ForwardResult {
  /** [fedTokens, vocabulary] row-major; row i holds the next-token logits after fed token i. */
  logits: Float32Array;
  vocabularySize: number;
  cache: KvCache;
}

interface GraphNames {
  positionIds: boolean;
  past: string[];
  present: string[];
}

const pastName = (layer: number, kind: "key" | "value") => `past_key_values.${layer}.${kind}`;
const presentName = (layer: number, kind: "key" | "value") => `present.${layer}.${kind}`;

export class CausalLmSession {
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly names: GraphNames,
    readonly layout: KvLayout,
  ) {}

  static async open(onnxPath: string, options: SessionOptions): Promise<CausalLmSession> {
    const session = await ort.InferenceSession.create(onnxPath, {
      intraOpNumThreads: options.threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: "all",
    }).catch((error: Error) => {
      throw new Error(`onnxruntime could not load ${onnxPath}: ${error.message}. The file may be truncated; download the model again`);
    });
    const layout = kvLayoutOf(session, onnxPath);
    return new CausalLmSession(session, graphNamesOf(session, layout.layers, onnxPath), layout);
  }

  /** Runs `tokens` after the cached positions. The returned cache covers cache.length + tokens.length positions. */
  async forward(tokens: readonly number[], cache: KvCache): Promise<ForwardResult> {
    const total = cache.length + tokens.length;
    const feeds: Record<string, ort.Tensor> = {
      input_ids: int64Tensor(tokens, [1, tokens.length]),
      attention_mask: new ort.Tensor("int64", new BigInt64Array(total).fill(1n), [1, total]),
    };
    if (this.names.positionIds) {
      feeds.position_ids = new ort.Tensor("int64", BigInt64Array.from(tokens, (_, index) => BigInt(cache.length + index)), [1, tokens.length]);
    }
    this.names.past.forEach((name, index) => (feeds[name] = cache.tensors[index]!));
    const outputs = await this.session.run(feeds);
    const logits = outputs.logits!;
    return {
      logits: toFloat32(logits),
      vocabularySize: logits.dims[2]!,
      cache: { length: total, tensors: this.names.present.map((name) => outputs[name]!) },
    };
  }

  async release(): Promise<void> {
    await this.session.release();
  }
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
function kvLayoutOf(session: ort.InferenceSession, onnxPath: string): KvLayout {
  const pastKeys = session.inputMetadata.filter((input) => /^past_key_values\.\d+\.key$/.test(input.name));
  const first = pastKeys.find((input) => input.name === pastName(0, "key"));
  if (!first || !first.isTensor) {
    throw new Error(
      `${onnxPath} is not a causal-LM export with a KV cache that Ghost can drive: it has no input ` +
        `'past_key_values.0.key' (${describeGraph(session)}). Export it with past key values ` +
        `(e.g. optimum's "text-generation-with-past" task).`,
    );
  }
  const [, kvHeads, , headDim] = first.shape;
  if (typeof kvHeads !== "number" || typeof headDim !== "number") {
    throw new Error(`${onnxPath}: 'past_key_values.0.key' must have static head and head-size dimensions, found [${first.shape.join(", ")}]`);
  }
  if (first.type !== "float32" && first.type !== "float16") {
    throw new Error(`${onnxPath}: KV cache of type ${first.type} is not supported (float32 or float16)`);
  }
  return { layers: pastKeys.length, kvHeads, headDim, type: first.type };
}

function graphNamesOf(session: ort.InferenceSession, layers: number, onnxPath: string): GraphNames {
  const past = Array.from({ length: layers }, (_, layer) => [pastName(layer, "key"), pastName(layer, "value")]).flat();
  const present = Array.from({ length: layers }, (_, layer) => [presentName(layer, "key"), presentName(layer, "value")]).flat();
  const known = new Set(["input_ids", "attention_mask", "position_ids", ...past]);
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
  return { positionIds: session.inputNames.includes("position_ids"), past, present };
}
