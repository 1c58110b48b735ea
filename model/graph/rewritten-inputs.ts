// The inputs the load-time rewrites add to a graph, which the session feeds. Apart from the rewrites themselves so
// that the session (in the model worker) can name them without loading the ONNX parser that only the rewrite needs.

/** int64 [1]: how many of the last positions get logits (logits-rewrite.ts). */
export const logitsToKeepInput = "num_logits_to_keep";

/** float32 [seq, capacity + seq]: 0 where a new token may attend, -inf elsewhere (attention-rewrite.ts). */
export const attentionBiasInput = "attention_bias";
