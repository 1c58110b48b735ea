// `ghost context FILE:LINE:COL --budget N`: exactly what the model would see for a completion there, part by part,
// with each cross-file snippet's source and the real token counts.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { familyOf } from "../agent/complete/complete";
import { assembleContext } from "../agent/complete/context";
import type { PromptPart } from "../model/prompt";
import { measureCharsPerToken } from "../agent/complete/chars-per-token";
import { completionOptions, positiveInteger } from "./complete";
import { loadModel } from "./load-model";
import { UsageError } from "./options";
import { offsetOf, parsePosition } from "./position";
import { openWorkspace } from "./workspace";

export async function context(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: completionOptions });
  if (positionals.length !== 1) throw new UsageError("context takes one FILE:LINE:COL");
  const position = parsePosition(positionals[0]!);
  const text = readFileSync(position.file, "utf8");
  const workspace = await openWorkspace(position.file, values.root);
  const model = await loadModel(values);
  const assembled = assembleContext(
    { path: workspace.relativePath, text, offset: offsetOf(text, position) },
    { family: familyOf(model), budgetTokens: positiveInteger("--budget", values.budget), charsPerToken: await measureCharsPerToken(model, text), index: workspace.index, recent: workspace.recent },
  );
  // In turn, not all at once: a model server tokenizes over HTTP, and a small one serves few connections at a time.
  const tokens: number[] = [];
  for (const part of assembled.parts) tokens.push("text" in part ? (await model.tokenize(part.text)).length : 1);
  await model.dispose();
  const totalTokens = tokens.reduce((sum, count) => sum + count, 0);
  const estimated = model.info.server?.tokenizer === "estimate";
  if (values.json) {
    console.log(JSON.stringify({ totalTokens, ...(estimated ? { tokensEstimated: "3.5 characters per token: the server offers no tokenizer, pass --tokenizer DIR for exact counts" } : {}), parts: assembled.parts.map((part, index) => ({ ...part, tokens: tokens[index] })), snippets: assembled.snippets, window: assembled.window }, null, 2));
    return 0;
  }
  console.log(`# sources (${assembled.snippets.length})`);
  for (const snippet of assembled.snippets) console.log(`${snippet.kind.padEnd(10)} ${snippet.path}:${snippet.line + 1}  (${snippet.reason})`);
  console.log(`\n# prompt: ${estimated ? "about " : ""}${totalTokens} tokens${estimated ? " (estimated at 3.5 characters per token)" : ""} (budget ${values.budget})\n${assembled.parts.map(render).join("")}`);
  return 0;
}

function render(part: PromptPart): string {
  if ("special" in part) return part.special;
  if ("ids" in part) return `<ids ${part.ids.join(" ")}>`;
  return part.text;
}
