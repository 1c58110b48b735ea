// Throughput: Ghost's generate() against the smallest loop that can drive the same graph (raw session.run with
// argmax), on the same model and prompt, alternating rounds so both see the same machine noise. Goal: >= 0.95.
import { performance } from "node:perf_hooks";
import * as ort from "onnxruntime-node";
import { LocalEngine } from "../model/engine";
import { emptyKvCache } from "../model/kv-cache";
import { argmax } from "../model/sampling";
import type { Variant } from "../model/store/variants";
import { median, type BenchmarkResult } from "./report";

const generatedTokens = 96;
const rounds = 21;
const promptText = "import { readFile } from \"node:fs/promises\";\n\nexport async function loadConfig(path: string) {\n  const text = await readFile(path, \"utf8\");\n";

/** The raw loop: prefill, then one session.run per token feeding present -> past. Returns tokens/second. */
async function rawLoop(session: ort.InferenceSession, engine: LocalEngine, promptIds: number[]): Promise<{ tokensPerSecond: number; ids: number[] }> {
  const layout = engine.session.layout;
  const presentNames = Array.from({ length: layout.layers }, (_, layer) => [`present.${layer}.key`, `present.${layer}.value`]).flat();
  const pastNames = presentNames.map((name) => name.replace("present", "past_key_values"));
  const hasPositions = session.inputNames.includes("position_ids");
  let past = emptyKvCache(layout).tensors;
  let tokens = promptIds;
  let position = 0;
  const ids: number[] = [];
  let start = 0;
  for (let step = 0; step <= generatedTokens; step++) {
    if (step === 1) start = performance.now();
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor("int64", BigInt64Array.from(tokens, BigInt), [1, tokens.length]),
      attention_mask: new ort.Tensor("int64", new BigInt64Array(position + tokens.length).fill(1n), [1, position + tokens.length]),
    };
    if (hasPositions) feeds.position_ids = new ort.Tensor("int64", BigInt64Array.from(tokens, (_, index) => BigInt(position + index)), [1, tokens.length]);
    pastNames.forEach((name, index) => (feeds[name] = past[index]!));
    const outputs = await session.run(feeds);
    const logits = outputs.logits!.data as Float32Array;
    const vocabulary = outputs.logits!.dims[2]!;
    const next = argmax(logits.subarray((tokens.length - 1) * vocabulary));
    ids.push(next);
    past = presentNames.map((name) => outputs[name]!);
    position += tokens.length;
    tokens = [next];
    if (ids.length === generatedTokens) break;
  }
  return { tokensPerSecond: ((generatedTokens - 1) * 1000) / (performance.now() - start), ids };
}

async function ghostLoop(engine: LocalEngine): Promise<{ tokensPerSecond: number; ids: number[] }> {
  const ids: number[] = [];
  let tokensPerSecond = 0;
  // An empty cache each round, like the raw loop: a different first token keeps the prompt from being reused.
  await engine.nextTokenLogits([{ text: "\n" }]);
  for await (const event of engine.generate({ prompt: [{ text: promptText }], maxTokens: generatedTokens, stopTokens: [] })) {
    if (event.type === "token") ids.push(event.id);
    else tokensPerSecond = event.stats.tokensPerSecond!;
  }
  return { tokensPerSecond, ids };
}

export async function throughput(models: { name: string; dir: string; variant: Variant }[]): Promise<BenchmarkResult> {
  const rows = [];
  for (const model of models) {
    const engine = await LocalEngine.load(model.dir, { variant: model.variant, threads: 1 });
    const promptIds = await engine.tokenize(promptText);
    // Its own session with the engine's options: the raw loop shares nothing with Ghost but the file.
    const session = await ort.InferenceSession.create(engine.folder.onnxPath, { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: "all" });
    const raw: number[] = [];
    const ghost: number[] = [];
    for (let round = 0; round < rounds; round++) {
      // Alternate which goes first, so neither always runs on caches the other just warmed.
      const rawFirst = round % 2 === 0;
      const first = rawFirst ? await rawLoop(session, engine, promptIds) : await ghostLoop(engine);
      const second = rawFirst ? await ghostLoop(engine) : await rawLoop(session, engine, promptIds);
      const [rawRun, ghostRun] = rawFirst ? [first, second] : [second, first];
      if (rawRun.ids.join() !== ghostRun.ids.join()) throw new Error(`${model.name}: Ghost and the raw loop generated different tokens`);
      raw.push(rawRun.tokensPerSecond);
      ghost.push(ghostRun.tokensPerSecond);
    }
    await Promise.all([engine.dispose(), session.release()]);
    rows.push({ model: model.name, "raw tok/s": median(raw), "ghost tok/s": median(ghost), ratio: median(ghost) / median(raw) });
  }
  return {
    name: "throughput",
    note: `Decode tokens/s over ${generatedTokens} greedy tokens, median of ${rounds} rounds, alternating which runs first; outputs asserted identical. Goal: ratio >= 0.95.`,
    rows,
  };
}
