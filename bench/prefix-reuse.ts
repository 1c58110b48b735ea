// Replayed typing sessions on the product's own path: in real files of several real repositories a stretch of a
// line is deleted and typed back one character at a time, and after each keystroke `complete()` runs as the editor
// runs it (the CLI's workspace and index, the document's kept syntax tree, context assembly, window, FIM prompt,
// the engine with its KV cache, post-processing). Per keystroke: prompt tokens, tokens prefilled, time to first
// token, time until the suggestion is ready. As in the editor, the cursor first rests at the session's start, and
// the extension warms the KV cache with the prompt there (extension/completion-warmup.ts); the warm-up's tokens are
// counted in their own columns. Configurations side by side: cross-file snippets ordered afresh each keystroke (by
// path), kept in place by the prompt layout without a warm-up (the product before warm-ups), with it, and suffixes of
// several lengths (every suffix token is prefilled again at every keystroke).
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { measureCharsPerToken } from "../agent/complete/chars-per-token";
import { complete, editorRequest, warmCompletion } from "../agent/complete/complete";
import { PromptLayout } from "../agent/complete/prompt-layout";
import { DocumentTrees } from "../agent/context/document-trees";
import { languageOf } from "../agent/context/languages";
import { listSourceFiles } from "../agent/context/workspace-files";
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
  /** The configurations to run, by name; all when omitted. */
  only?: string[];
}

interface Keystroke {
  promptTokens: number;
  prefilledTokens: number;
  firstTokenMs: number | null;
  readyMs: number;
  shown: boolean;
  contextChanged: boolean;
  /** The session's first keystroke: nothing of this file is in the KV cache yet, unless a warm-up put it there. */
  first: boolean;
  /** Tokens of the prompt after the cursor's text: the suffix and the FIM markers around it, which every keystroke
   *  prefills again in the prefix-suffix-middle layout. */
  tailTokens: number;
}

interface Session {
  keystrokes: Keystroke[];
  /** The warm-up while the cursor rested at the start, or null without one. */
  warmup: { promptTokens: number; prefilledTokens: number; ms: number } | null;
}

interface Configuration {
  name: string;
  layout: boolean;
  warmup: boolean;
  suffixLines?: number;
}

/** The product is the third; the others show what each part of it is worth (the second was the product before the
 *  warm-up; the fourth is the shorter suffix that was measured against the product's 3 lines). */
export const configurations: Configuration[] = [
  { name: "by path, no warm-up", layout: false, warmup: false },
  { name: "kept in place, no warm-up", layout: true, warmup: false },
  { name: "product: kept in place, warm-up at rest", layout: true, warmup: true },
  { name: "product, suffix 1 line", layout: true, warmup: true, suffixLines: 1 },
];

/** Files to type in: the repository's source files of at least 4 KB, evenly spread over its sorted list. */
async function sessionFiles(root: string, count: number): Promise<string[]> {
  const sources = (await listSourceFiles(root)).filter((path) => !/\.d\.[mc]?ts$/.test(path) && languageOf(path) && statSync(join(root, path)).size >= 4096);
  return Array.from({ length: count }, (_, index) => sources[Math.floor(((index + 0.5) * sources.length) / count)]!);
}

/** One file's session: from the first line at 60% of the file that is long enough, its text after the
 *  indentation is deleted and typed back. */
async function typeFile(root: string, path: string, engine: LocalEngine, keystrokes: number, configuration: Configuration): Promise<Session> {
  const original = readFileSync(join(root, path), "utf8");
  const lineStart = original.slice(0, Math.floor(original.length * 0.6)).lastIndexOf("\n") + 1;
  const start = lineStart + /^\s*/.exec(original.slice(lineStart))![0].length;
  const end = Math.min(original.length, start + keystrokes);
  const workspace = await openWorkspace(join(root, path), root);
  const trees = new DocumentTrees();
  const layout = configuration.layout ? new PromptLayout() : undefined;
  const resting = { path, text: original.slice(0, start) + original.slice(end), offset: start };
  // As the editor measures it: once, on the document as the session finds it.
  const charsPerToken = await measureCharsPerToken(engine, resting.text);
  const options = { model: engine, index: workspace.index, recent: workspace.recent, trees, layout, budgetTokens, charsPerToken, ...editorRequest, suffixLines: configuration.suffixLines };
  const results: Keystroke[] = [];
  let previousContext = "";
  let warmup: Session["warmup"] = null;
  if (configuration.warmup) {
    const warmed = (await warmCompletion(resting, options, new AbortController().signal))!;
    warmup = { promptTokens: warmed.stats.promptTokens, prefilledTokens: warmed.stats.prefilledTokens, ms: warmed.stats.totalMs };
    previousContext = JSON.stringify(warmed.context.files);
  }
  for (let typed = 1; typed <= end - start; typed++) {
    const text = original.slice(0, start + typed) + original.slice(end);
    const started = performance.now();
    const result = await complete({ path, text, offset: start + typed }, options, new AbortController().signal);
    const context = JSON.stringify(result.context.files);
    results.push({
      promptTokens: result.stats.promptTokens,
      prefilledTokens: result.stats.prefilledTokens,
      firstTokenMs: result.stats.timeToFirstTokenMs,
      readyMs: performance.now() - started,
      shown: result.text !== "",
      contextChanged: previousContext !== "" && context !== previousContext,
      first: typed === 1,
      tailTokens: (await engine.tokenize(result.context.window.suffix)).length + 2,
    });
    previousContext = context;
  }
  return { keystrokes: results, warmup };
}

function summary(model: string, configuration: string, sessions: Session[]): Row {
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
  const keystrokes = sessions.flatMap((session) => session.keystrokes);
  const warmups = sessions.flatMap((session) => (session.warmup ? [session.warmup] : []));
  const firstTokens = keystrokes.flatMap((keystroke) => (keystroke.firstTokenMs === null ? [] : [keystroke.firstTokenMs]));
  const ready = keystrokes.map((keystroke) => keystroke.readyMs);
  const prompt = keystrokes.map((keystroke) => keystroke.promptTokens);
  const prefilled = keystrokes.map((keystroke) => keystroke.prefilledTokens);
  const steady = keystrokes.filter((keystroke) => !keystroke.first);
  const changed = keystrokes.filter((keystroke) => keystroke.contextChanged);
  const warmupPrefilled = sum(warmups.map((warmup) => warmup.prefilledTokens));
  return {
    model,
    configuration,
    keystrokes: keystrokes.length,
    "prompt tokens p50": percentile(prompt, 50),
    "tail tokens p50": percentile(keystrokes.map((keystroke) => keystroke.tailTokens), 50),
    "prefilled p50": percentile(prefilled, 50),
    "prefilled p95": percentile(prefilled, 95),
    "prefilled share": sum(prefilled) / sum(prompt),
    "prefilled share after first keystroke": sum(steady.map((keystroke) => keystroke.prefilledTokens)) / sum(steady.map((keystroke) => keystroke.promptTokens)),
    "tail share": sum(keystrokes.map((keystroke) => keystroke.tailTokens)) / sum(prompt),
    "context changed share": changed.length / keystrokes.length,
    "context changed: prefilled beyond tail share": sum(changed.map((keystroke) => keystroke.prefilledTokens - keystroke.tailTokens)) / sum(prompt),
    "warm-up prefilled per session": warmups.length ? warmupPrefilled / warmups.length : null,
    "warm-up p50 ms": warmups.length ? percentile(warmups.map((warmup) => warmup.ms), 50) : null,
    "prefilled share with warm-up": (sum(prefilled) + warmupPrefilled) / sum(prompt),
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
  for (const configuration of configurations.filter((configuration) => !plan.only || plan.only.includes(configuration.name))) {
    const sessions: Session[] = [];
    for (const { root, paths } of files) for (const path of paths) sessions.push(await typeFile(root, path, engine, plan.keystrokesPerFile, configuration));
    rows.push(summary(model.name, configuration.name, sessions));
  }
  await engine.dispose();
  return {
    name: "typing sessions (product path)",
    note: `${plan.keystrokesPerFile} keystrokes in each of ${plan.filesPerRepository} files of ${repositories.map((repository) => repository.name).join(", ")}, complete() after each with the editor's options, ${budgetTokens}-token budget, 1 thread. prefilled share: prompt tokens the engine had to prefill (not reused from the KV cache), over every keystroke and over all but each session's first; goal under 5% for the product. tail: the suffix and its FIM markers, prefilled again at every keystroke. context changed: keystrokes whose cross-file part differs from the previous one's, and what they prefilled beyond the tail. Warm-up: the prompt prefilled while the cursor rested at the session's start, before typing (generates nothing); "with warm-up" counts its tokens too, over the keystrokes' prompt tokens. First token and ready times per keystroke.`,
    rows,
  };
}
