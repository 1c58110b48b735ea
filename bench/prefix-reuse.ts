// Replayed typing sessions on the product's own path: in real files of several real repositories a stretch of a
// line is deleted and typed back one character at a time, and after each keystroke `complete()` runs as the editor
// runs it (the CLI's workspace and index, the document's kept syntax tree, context assembly, window, FIM prompt,
// the engine with its KV cache, post-processing). Per keystroke: prompt tokens, tokens prefilled, time to first
// token, time until the suggestion is ready. Run twice side by side: cross-file snippets ordered afresh each
// keystroke (by path) and kept in place by the prompt layout (what the extension does).
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { complete } from "../agent/complete/complete";
import { PromptLayout } from "../agent/complete/prompt-layout";
import { DocumentTrees } from "../agent/context/document-trees";
import { languageOf } from "../agent/context/languages";
import { listSourceFiles } from "../agent/context/workspace-files";
import { charsPerToken } from "../cli/complete";
import { openWorkspace } from "../cli/workspace";
import { LocalEngine } from "../model/engine";
import type { Variant } from "../model/store/variants";
import { percentile } from "./autocomplete";
import { benchRoots } from "./bench-repositories";
import type { BenchmarkResult, Row } from "./report";

const budgetTokens = 1500;

export interface SessionPlan {
  filesPerRepository: number;
  keystrokesPerFile: number;
}

interface Keystroke {
  promptTokens: number;
  prefilledTokens: number;
  firstTokenMs: number | null;
  readyMs: number;
  shown: boolean;
  contextChanged: boolean;
  /** The session's first keystroke: nothing of this file is in the KV cache yet. */
  first: boolean;
}

/** Files to type in: the repository's source files of at least 4 KB, evenly spread over its sorted list. */
async function sessionFiles(root: string, count: number): Promise<string[]> {
  const sources = (await listSourceFiles(root)).filter((path) => !/\.d\.[mc]?ts$/.test(path) && languageOf(path) && statSync(join(root, path)).size >= 4096);
  return Array.from({ length: count }, (_, index) => sources[Math.floor(((index + 0.5) * sources.length) / count)]!);
}

/** One file's session: from the first line at 60% of the file that is long enough, its text after the
 *  indentation is deleted and typed back. */
async function typeFile(root: string, path: string, engine: LocalEngine, keystrokes: number, layout: PromptLayout | undefined): Promise<Keystroke[]> {
  const original = readFileSync(join(root, path), "utf8");
  const lineStart = original.slice(0, Math.floor(original.length * 0.6)).lastIndexOf("\n") + 1;
  const start = lineStart + /^\s*/.exec(original.slice(lineStart))![0].length;
  const end = Math.min(original.length, start + keystrokes);
  const workspace = await openWorkspace(join(root, path), root);
  const trees = new DocumentTrees();
  const estimate = await charsPerToken(engine, original);
  const results: Keystroke[] = [];
  let previousContext = "";
  for (let typed = 1; typed <= end - start; typed++) {
    const text = original.slice(0, start + typed) + original.slice(end);
    const started = performance.now();
    const result = await complete(
      { path, text, offset: start + typed },
      { model: engine, index: workspace.index, recent: workspace.recent, trees, layout, budgetTokens, charsPerToken: estimate, maxLineTokens: 16, maxBlockTokens: 32 },
      new AbortController().signal,
    );
    const context = JSON.stringify(result.context.files);
    results.push({
      promptTokens: result.stats.promptTokens,
      prefilledTokens: result.stats.prefilledTokens,
      firstTokenMs: result.stats.timeToFirstTokenMs,
      readyMs: performance.now() - started,
      shown: result.text !== "",
      contextChanged: typed > 1 && context !== previousContext,
      first: typed === 1,
    });
    previousContext = context;
  }
  return results;
}

function summary(model: string, layout: string, keystrokes: Keystroke[]): Row {
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
  const firstTokens = keystrokes.flatMap((keystroke) => (keystroke.firstTokenMs === null ? [] : [keystroke.firstTokenMs]));
  const ready = keystrokes.map((keystroke) => keystroke.readyMs);
  const prompt = keystrokes.map((keystroke) => keystroke.promptTokens);
  const prefilled = keystrokes.map((keystroke) => keystroke.prefilledTokens);
  const steady = keystrokes.filter((keystroke) => !keystroke.first);
  return {
    model,
    layout,
    keystrokes: keystrokes.length,
    "prompt tokens p50": percentile(prompt, 50),
    "prefilled p50": percentile(prefilled, 50),
    "prefilled p95": percentile(prefilled, 95),
    "prefilled share": sum(prefilled) / sum(prompt),
    "prefilled share after first keystroke": sum(steady.map((keystroke) => keystroke.prefilledTokens)) / sum(steady.map((keystroke) => keystroke.promptTokens)),
    "context changed share": keystrokes.filter((keystroke) => keystroke.contextChanged).length / keystrokes.length,
    "first token p50 ms": percentile(firstTokens, 50),
    "first token p95 ms": percentile(firstTokens, 95),
    "suggestion ready p50 ms": percentile(ready, 50),
    "suggestion ready p95 ms": percentile(ready, 95),
    "shown share": keystrokes.filter((keystroke) => keystroke.shown).length / keystrokes.length,
  };
}

export async function prefixReuse(model: { name: string; dir: string; variant: Variant }, plan: SessionPlan): Promise<BenchmarkResult> {
  const engine = await LocalEngine.load(model.dir, { variant: model.variant, threads: 1 });
  const repositories = benchRoots();
  const files = await Promise.all(repositories.map(async ({ root }) => ({ root, paths: await sessionFiles(root, plan.filesPerRepository) })));
  const rows: Row[] = [];
  for (const [name, makeLayout] of [["by path, each keystroke", () => undefined], ["kept in place (product)", () => new PromptLayout()]] as const) {
    const keystrokes: Keystroke[] = [];
    for (const { root, paths } of files) for (const path of paths) keystrokes.push(...(await typeFile(root, path, engine, plan.keystrokesPerFile, makeLayout())));
    rows.push(summary(model.name, name, keystrokes));
  }
  await engine.dispose();
  return {
    name: "typing sessions (product path)",
    note: `${plan.keystrokesPerFile} keystrokes in each of ${plan.filesPerRepository} files of ${repositories.map((repository) => repository.name).join(", ")}, complete() after each, ${budgetTokens}-token budget, 1 thread. prefilled share: prompt tokens the engine had to prefill (not reused from the KV cache), over every keystroke and over all but each session's first (a file just opened has nothing cached); goal under 5% with the product's layout. context changed: keystrokes whose cross-file part differs from the previous one's. First token and ready times per keystroke.`,
    rows,
  };
}
