// The ~135M-parameter benchmark model: SmolLM2-135M's shape (hidden 576, 30 layers, 9 query and 3 KV heads of 64,
// vocabulary 49,152, tied embeddings) in the Qwen2 architecture of the test models, with random weights, in the
// Hugging Face ONNX layout (fp32 with external data, int8, q4). It is made, not shipped (~1 GB):
//   apt-get install python3-torch python3-onnx libopenblas0-pthread
//   /usr/bin/python3 scripts/make-bench-model.py      # ~2-5 min; writes .cache/bench-models/qwen2-135m/ (gitignored)
// Benchmarks that need it skip it with this message when it is missing. decode-context adds llama.cpp reference rows
// when the folder also has the same weights as GGUF (after `bash scripts/llama-server.sh`, for its gguf-py):
//   /usr/bin/python3 scripts/make-test-gguf.py --model .cache/bench-models/qwen2-135m --out .cache/bench-models/qwen2-135m/gguf/model-f32.gguf
//   /usr/bin/python3 scripts/make-test-gguf.py --model .cache/bench-models/qwen2-135m --out .cache/bench-models/qwen2-135m/gguf/model-q8_0.gguf --type q8_0
import { existsSync } from "node:fs";
import { join } from "node:path";

export const benchModelDir = join(__dirname, "..", ".cache", "bench-models", "qwen2-135m");

export const benchModelMissing =
  `the ~135M benchmark model is not at ${benchModelDir}: make it with \`/usr/bin/python3 scripts/make-bench-model.py\` ` +
  "(needs Debian's python3-torch and python3-onnx)";

/** The model folder once the script finished (it writes READY last), else null. */
export function benchModel(): string | null {
  return existsSync(join(benchModelDir, "READY")) ? benchModelDir : null;
}
