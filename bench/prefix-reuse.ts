// Prefix reuse on a replayed typing session: a region of a real source file is deleted and typed back one
// character at a time, with a completion requested after each keystroke. Counts the prompt tokens the engine
// actually prefilled against all prompt tokens. Goal: under 5%.
import { readFileSync } from "node:fs";
import { LocalEngine } from "../model/engine";
import { buildFimPrompt, fimStopTokens, type FimFamily } from "../model/fim";
import type { Variant } from "../model/store/variants";
import { median, type BenchmarkResult } from "./report";

export const typedFile = "node_modules/@huggingface/jinja/src/parser.ts";
const typedCharacters = 300;
const anchorLines = 64;
const prefixLines = 120;
const suffixLines = 3;

/** A window that stays put while the cursor moves inside it: the first line snaps to a multiple of anchorLines,
 *  so each keystroke only changes the prompt's tail (the text at the cursor and the short suffix after it). */
function window(before: string, after: string): { prefix: string; suffix: string } {
  const lines = before.split("\n");
  const first = Math.max(0, Math.floor((lines.length - prefixLines) / anchorLines) * anchorLines);
  return { prefix: lines.slice(first).join("\n"), suffix: after.split("\n").slice(0, suffixLines + 1).join("\n") };
}

export async function prefixReuse(model: { name: string; dir: string; variant: Variant }): Promise<BenchmarkResult> {
  const text = readFileSync(typedFile, "utf8");
  const start = text.indexOf("\n", Math.floor(text.length * 0.6)) + 1;
  const engine = await LocalEngine.load(model.dir, { variant: model.variant, threads: 1 });
  const family = engine.info.family as FimFamily;
  const stopTokens = [...engine.folder.eosTokenIds, ...fimStopTokens(family).flatMap((token) => engine.folder.tokenizer.tokenId(token) ?? [])];
  let total = 0;
  let prefilled = 0;
  const perKeystroke: number[] = [];
  for (let typed = 1; typed <= typedCharacters; typed++) {
    const { prefix, suffix } = window(text.slice(0, start + typed), text.slice(start + typedCharacters));
    for await (const event of engine.generate({ prompt: buildFimPrompt(family, { prefix, suffix, path: "src/parser.ts" }), maxTokens: 8, stopTokens, stopStrings: ["\n"] })) {
      if (event.type !== "done") continue;
      total += event.stats.promptTokens;
      prefilled += event.stats.prefilledTokens;
      perKeystroke.push(event.stats.prefilledTokens);
    }
  }
  await engine.dispose();
  return {
    name: "prefix reuse",
    note: `${typedCharacters} keystrokes retyping ${typedFile}, a completion after each (prefix window anchored every ${anchorLines} lines, ${suffixLines} suffix lines). Goal: prefilled under 5% of prompt tokens.`,
    rows: [
      {
        model: model.name,
        keystrokes: typedCharacters,
        "prompt tokens": total,
        "prefilled tokens": prefilled,
        "prefilled share": prefilled / total,
        "median prefilled per keystroke": median(perKeystroke),
        "mean prompt tokens": total / typedCharacters,
      },
    ],
  };
}
