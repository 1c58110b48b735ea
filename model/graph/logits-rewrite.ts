// Logits only where they are read. A standard export runs the vocabulary projection on every position, so a
// 512-token prefill makes a [512, vocabulary] float tensor (100 MB at 49k) of which Ghost reads one row. This
// rewrite adds an int64 input `num_logits_to_keep` ([1]) and slices the projection's input to the last that many
// positions, so `logits` is [batch, keep, vocabulary] (0 keeps all, as in Hugging Face's `logits_to_keep`).
// Knows graph structure, not the engine.
import { DataType, matMulOps, type OnnxGraph } from "./onnx-graph";
import { logitsToKeepInput } from "./rewritten-inputs";

/** Ops between the vocabulary projection and the `logits` output that act per position (walked through). */
const perPosition = new Set(["Cast", "Identity"]);

/** Returns false (graph untouched) when the projection feeding `logits` is not recognised. */
export function keepLastLogits(graph: OnnxGraph): boolean {
  let node = graph.producer("logits");
  while (node && perPosition.has(node.opType!)) node = graph.producer(node.input![0]!);
  if (!node || !matMulOps.has(node.opType!)) return false;
  // Dynamically quantized exports quantize the activation first: slice what goes into the quantizer instead.
  const quantizer = graph.producer(node.input![0]!);
  const consumer = quantizer?.opType === "DynamicQuantizeLinear" ? quantizer : node;
  const hidden = consumer.input![0]!; // [batch, seq, hidden]
  graph.addInput(logitsToKeepInput, DataType.INT64, [1]);
  graph.addInitializer("ghost/int64_max", DataType.INT64, [1], BigInt64Array.of(2n ** 63n - 1n));
  graph.addInitializer("ghost/seq_axis", DataType.INT64, [1], BigInt64Array.of(1n));
  graph.addNode("Neg", [logitsToKeepInput], ["ghost/logits_start"]);
  graph.addNode("Slice", [hidden, "ghost/logits_start", "ghost/int64_max", "ghost/seq_axis"], ["ghost/kept_hidden"]);
  consumer.input![0] = "ghost/kept_hidden";
  const logits = graph.graph.output!.find((output) => output.name === "logits")!;
  const dims = logits.type?.tensorType?.shape?.dim;
  if (dims?.length === 3) dims[1] = { dimParam: "kept_positions" };
  return true;
}
