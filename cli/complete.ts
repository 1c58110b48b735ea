// `ghost complete FILE:LINE:COL`: the autocomplete path of the extension (cross-file context, FIM, the model,
// post-processing) at a position of a file on disk, printed as text or, with --json, with token counts and timings.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { measureCharsPerToken } from "../agent/complete/chars-per-token";
import { complete as completeAt } from "../agent/complete/complete";
import type { Model } from "../model/model";
import { loadModel } from "./load-model";
import { modelOptions, UsageError } from "./options";
import { offsetOf, parsePosition } from "./position";
import { openWorkspace } from "./workspace";

export const completionOptions = { ...modelOptions, root: { type: "string" }, budget: { type: "string", default: "1500" } } as const;

export async function complete(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...completionOptions, "max-tokens": { type: "string", default: "48" } } });
  if (positionals.length !== 1) throw new UsageError("complete takes one FILE:LINE:COL");
  const position = parsePosition(positionals[0]!);
  const text = readFileSync(position.file, "utf8");
  const offset = offsetOf(text, position);
  const budgetTokens = positiveInteger("--budget", values.budget);
  const maxTokens = positiveInteger("--max-tokens", values["max-tokens"]);
  const workspace = await openWorkspace(position.file, values.root);
  const model = await loadModel(values);
  const result = await completeAt(
    { path: workspace.relativePath, text, offset },
    { model, index: workspace.index, recent: workspace.recent, budgetTokens, charsPerToken: await measureCharsPerToken(model, text), maxLineTokens: maxTokens, maxBlockTokens: maxTokens * 4 },
    new AbortController().signal,
  );
  await model.dispose();
  if (values.json) {
    console.log(JSON.stringify({ completion: result.text, raw: result.raw, multiline: result.multiline, model: model.info.onnxFile || model.info.dir, family: model.info.family, ...result.stats }, null, 2));
  } else process.stdout.write(`${result.text}\n`);
  return 0;
}

export function positiveInteger(option: string, value: string | undefined): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new UsageError(`${option} ${value} must be a positive whole number`);
  return number;
}
