// Constrained decoding: what the tool-call grammar costs and what it buys. (1) Decode speed (tokens/s after the first
// token) of the agent's first-step prompt, under the tool-call grammar and free, in alternating rounds on the same
// engine: on the shipped test model and on a ~135M-parameter Qwen2-shaped model with a 49k vocabulary made by
// scripts/make-bench-model.py (random weights: speed only). Goal: constrained/unconstrained >= 0.9. (2) The format-
// error rate of the 50 fixture agent tasks (test/fixtures/agent-tasks) through the real agent loop on the test
// model, constrained and unconstrained. (3) Edit in place under its grammar: prompt-lookup drafts keep their gain.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { editMessages } from "../agent/edit/prompt";
import { rewriteGrammar } from "../agent/edit/reply-format";
import { linesTarget } from "../agent/edit/target";
import { toolCallGrammar } from "../agent/loop/reply-format";
import { systemPrompt, taskMessage } from "../agent/loop/prompts";
import { LocalEngine } from "../model/engine";
import type { GenerateRequest } from "../model/model";
import { tinyCoder } from "../test/helpers/models";
import { runFixtureTasks } from "../test/agent/loop/fixture-tasks";
import { benchModel, benchModelMissing } from "./bench-model";
import { median, type BenchmarkResult } from "./report";
import { timedGenerate } from "./speculation";

const rounds = 9;

const decode = async (engine: LocalEngine, request: GenerateRequest) => (await timedGenerate(engine, request)).stats;

async function speed(name: string, dir: string, maxTokens: number, threads: number) {
  const engine = await LocalEngine.load(dir, { variant: "auto", threads });
  try {
    const prompt = [{ text: await engine.renderChat([{ role: "system", content: systemPrompt() }, { role: "user", content: taskMessage("Fix the bug in add in src/math.ts") }], true) }];
    const constrained: GenerateRequest = { prompt, maxTokens, grammar: toolCallGrammar };
    await decode(engine, constrained); // compiles the grammar and fills the KV cache once
    const speeds = { constrained: [] as number[], free: [] as number[], ratios: [] as number[] };
    let forced = 0;
    let generated = 0;
    for (let round = 0; round < rounds; round++) {
      const stats = await decode(engine, constrained);
      speeds.constrained.push(stats.tokensPerSecond!);
      forced += stats.constrained!.forcedTokens;
      generated += stats.generatedTokens;
      // Free, as many tokens as the constrained reply had (no stop token): the same attention lengths.
      speeds.free.push((await decode(engine, { prompt, maxTokens: stats.generatedTokens, stopTokens: [] })).tokensPerSecond!);
      speeds.ratios.push(speeds.constrained.at(-1)! / speeds.free.at(-1)!);
    }
    const [constrainedSpeed, freeSpeed] = [median(speeds.constrained), median(speeds.free)];
    // The ratio is the median of each round's pair: two runs seconds apart share the machine's load, which on a
    // shared machine moves tokens/s far more between rounds than the grammar does.
    return { model: name, vocabulary: engine.info.vocabularySize, "max tokens": maxTokens, "free tok/s": freeSpeed, "constrained tok/s": constrainedSpeed, ratio: median(speeds.ratios), "forced share": forced / generated };
  } finally {
    await engine.dispose();
  }
}

/** Edit in place under its grammar (agent/edit/reply-format.ts) with and without prompt-lookup drafts, and the same
 *  prompt free, on real files of this repository: drafting must keep its gain under the grammar. Ids asserted
 *  identical with and without drafts. */
async function editDrafts(): Promise<BenchmarkResult> {
  const engine = await LocalEngine.load(tinyCoder, { variant: "fp32", threads: 1 });
  const rows = [];
  try {
    for (const file of ["model/prompt-lookup.ts", "model/sampling.ts"]) {
      const text = readFileSync(join(__dirname, "..", file), "utf8");
      const chat = await engine.renderChat(editMessages({ path: file, text, target: linesTarget(text, 0, text.length), instruction: "Rename the parameter logits to scores everywhere." }), true);
      const cases: Record<string, GenerateRequest> = {
        constrained: { prompt: [{ text: chat }], maxTokens: 160, grammar: rewriteGrammar },
        free: { prompt: [{ text: chat }], maxTokens: 160, stopTokens: [] },
      };
      for (const [decoding, request] of Object.entries(cases)) {
        const walls = { plain: [] as number[], drafted: [] as number[] };
        let passes = { plain: 0, drafted: 0, tokens: 0 };
        for (let round = 0; round < 3; round++) {
          const plain = await timedGenerate(engine, request);
          const drafted = await timedGenerate(engine, { ...request, speculation: { maxDraft: 8, ngram: 3 } });
          if (plain.ids.join() !== drafted.ids.join()) throw new Error(`${file} ${decoding}: drafts changed the output`);
          walls.plain.push(plain.ms);
          walls.drafted.push(drafted.ms);
          passes = { plain: plain.stats.forwardPasses, drafted: drafted.stats.forwardPasses, tokens: plain.stats.generatedTokens };
        }
        rows.push({ file, decoding, tokens: passes.tokens, "passes/token plain": passes.plain / passes.tokens, "passes/token drafted": passes.drafted / passes.tokens, "speed-up": median(walls.plain) / median(walls.drafted) });
      }
    }
  } finally {
    await engine.dispose();
  }
  return {
    name: "constrained: edit-in-place drafts",
    note: "Greedy edit-in-place replies (160 tokens at most) renaming a parameter in two of this repository's files, on tiny-coder fp32, with and without prompt-lookup drafts (8 tokens after a 3-gram), under the edit grammar and free; ids asserted identical. speed-up: median wall time of 3 rounds, plain / drafted.",
    rows,
  };
}

export async function constrainedBench(): Promise<BenchmarkResult[]> {
  const rows = [await speed("tiny-coder", tinyCoder, 160, 1)];
  const large = benchModel();
  if (large) rows.push(await speed("qwen2-135m (random weights)", large, 48, 2));
  else console.log(`\nconstrained: the 135M row is skipped: ${benchModelMissing}`);
  const model = await LocalEngine.load(tinyCoder, { variant: "fp32", threads: 1 });
  const formats = [];
  try {
    for (const unconstrained of [false, true]) {
      const report = await runFixtureTasks(model, { unconstrained, steps: 1, stepTokens: 64 });
      formats.push({ decoding: unconstrained ? "unconstrained" : "constrained", tasks: report.tasks, replies: report.replies, "format errors": report.formatErrors, "format-error rate": report.formatErrors / report.replies, "valid calls": report.validCalls, "ms per task": report.ms / report.tasks });
    }
  } finally {
    await model.dispose();
  }
  const edits = await editDrafts();
  return [
    edits,
    { name: "constrained: decode speed", note: "Tokens/s after the first token, median of 9 alternating rounds (ratio: the median of each round's ratio), agent first-step prompt; constrained = under the tool-call grammar (reply-format.ts), free = no grammar, no stop token, as many tokens as the constrained reply of the same round. forced share: tokens taken from the way to the grammar's end near the limit. Goal: ratio >= 0.9.", rows },
    { name: "constrained: format errors over 50 agent tasks", note: "The 50 fixture tasks (test/fixtures/agent-tasks/tasks.json), one step each through runAgent on tiny-coder fp32 at level 2, 64 tokens per step.", rows: formats },
  ];
}
