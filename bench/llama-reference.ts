// llama.cpp on the same weights, beside Ghost's decode-context rows: the llama-server that scripts/llama-server.sh
// builds, serving the ~135M benchmark model converted to GGUF (scripts/make-test-gguf.py --model .. --type f32|q8_0,
// which make-bench-model.py's folder gets under gguf/). The same prompts (the same text, the same tokenizer), the
// same thread count; decode time per token from the server's own timings (wall time: llama.cpp reports no CPU
// time), so on a shared machine read the ratio, not the milliseconds. A reference for what the hardware allows, not
// Ghost's path: the rows are labelled so.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { startLlamaServer } from "../test/helpers/llama-server";
import type { Variant } from "../model/store/variants";
import { median } from "./report";

/** llama.cpp's counterpart of each ONNX weight variant (q4 has none of the same format: MatMulNBits' blocks of 32
 *  with a float scale and zero point are not q4_0's, so it is left out rather than compared unlike with unlike). */
const ggufOf: Partial<Record<Variant, string>> = { fp32: "f32", int8: "q8_0" };

export function referenceGguf(modelDir: string, variant: Variant): string | null {
  const type = ggufOf[variant];
  const path = type ? join(modelDir, "gguf", `model-${type}.gguf`) : null;
  return path && existsSync(path) ? path : null;
}

const timingsSchema = z.object({
  timings: z.object({ prompt_n: z.number(), prompt_ms: z.number(), predicted_n: z.number(), predicted_per_token_ms: z.number() }),
});

export interface ReferenceTiming {
  decodeWallMs: number;
  prefillWallMs: number;
}

/** Decode ms per token after each prompt, the median of `repeats` requests, each prefilled afresh. */
export async function llamaDecode(gguf: string, threads: number, prompts: Map<number, string>, decodeTokens: number, repeats = 3): Promise<Map<number, ReferenceTiming>> {
  const server = await startLlamaServer({
    gguf,
    contextSize: 2048,
    extraArgs: ["--threads", String(threads), "--threads-batch", String(threads), "--batch-size", "512", "--ubatch-size", "512"],
  });
  try {
    const timings = new Map<number, ReferenceTiming>();
    for (const [context, prompt] of prompts) {
      const runs: ReferenceTiming[] = [];
      for (let repeat = 0; repeat < repeats; repeat++) {
        const response = await fetch(`${server.baseUrl.replace(/\/v1$/, "")}/completion`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ prompt, n_predict: decodeTokens, cache_prompt: false, ignore_eos: true, temperature: 0, top_k: 1 }),
        });
        if (!response.ok) throw new Error(`llama-server answered ${response.status} for the ${context}-token prompt: ${await response.text()}\n${server.log()}`);
        const { timings: timing } = timingsSchema.parse(await response.json());
        if (timing.predicted_n < decodeTokens / 2) throw new Error(`llama-server decoded ${timing.predicted_n} tokens (expected ${decodeTokens})`);
        runs.push({ decodeWallMs: timing.predicted_per_token_ms, prefillWallMs: timing.prompt_ms });
      }
      timings.set(context, { decodeWallMs: median(runs.map((run) => run.decodeWallMs)), prefillWallMs: median(runs.map((run) => run.prefillWallMs)) });
    }
    return timings;
  } finally {
    await server.stop();
  }
}
