// `ghost complete FILE:LINE:COL`: a fill-in-the-middle completion at a position of a file on disk, printed as
// text or, with --json, with the prompt's token counts and timings.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { LocalEngine } from "../model/engine";
import { buildFimPrompt, fimStopTokens } from "../model/fim";
import type { GenerateEvent } from "../model/model";
import { chooseModel, modelOptions, UsageError } from "./options";
import { cursorWindow, parsePosition } from "./position";

export async function complete(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...modelOptions, "max-tokens": { type: "string", default: "48" }, multiline: { type: "boolean", default: false } },
  });
  if (positionals.length !== 1) throw new UsageError("complete takes one FILE:LINE:COL");
  const position = parsePosition(positionals[0]!);
  const text = readFileSync(position.file, "utf8");
  const { prefix, suffix } = cursorWindow(text, position);
  const maxTokens = Number(values["max-tokens"]);
  if (!Number.isInteger(maxTokens) || maxTokens < 1) throw new UsageError(`--max-tokens ${values["max-tokens"]} must be a positive whole number`);

  const choice = await chooseModel(values);
  const engine = await LocalEngine.load(choice.dir, { variant: choice.variant, threads: choice.threads });
  if (engine.info.family === "none") throw new Error(`${choice.dir} has no fill-in-the-middle tokens in its tokenizer; use a code model trained for FIM`);
  const family = engine.info.family as Parameters<typeof buildFimPrompt>[0];
  const stopTokens = [...engine.folder.eosTokenIds, ...fimStopTokens(family).flatMap((token) => engine.folder.tokenizer.tokenId(token) ?? [])];
  let done: Extract<GenerateEvent, { type: "done" }> | undefined;
  for await (const event of engine.generate({
    prompt: buildFimPrompt(family, { prefix, suffix, path: position.file }),
    maxTokens,
    stopTokens,
    stopStrings: values.multiline ? ["\n\n"] : ["\n"],
  })) {
    if (event.type === "done") done = event;
  }
  await engine.dispose();
  if (values.json) console.log(JSON.stringify({ completion: done!.text, model: engine.info.onnxFile, family, ...done!.stats }, null, 2));
  else process.stdout.write(`${done!.text}\n`);
  return 0;
}
