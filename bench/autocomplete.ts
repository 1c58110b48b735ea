// Cross-file recall of autocomplete on the product's own path, on real repositories with call sites labelled
// independently of Ghost (bench-repositories.ts): at each site the user has just typed the call's `(`; the CLI's
// workspace (its cached index, its recent files) and `complete()` (context, window, FIM prompt, the model,
// post-processing) run as `ghost complete` runs them. Reported per repository: recall (the prompt holds the
// callee's definition, as a definition), the share of prompt tokens spent on other definitions, context assembly
// time and time to first token. Then `ghost context` on a 1,000-file repository, cold and with a warm index cache,
// against a keystroke's context time.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { complete, familyOf } from "../agent/complete/complete";
import { assembleContext, type ContextSnippet } from "../agent/complete/context";
import { openCachedIndex } from "../agent/context/index-cache";
import { measureCharsPerToken } from "../agent/complete/chars-per-token";
import { openWorkspace } from "../cli/workspace";
import { LocalEngine } from "../model/engine";
import type { Variant } from "../model/store/variants";
import { benchRepositories, type BenchRepository } from "./bench-repositories";
import type { LabelledSite } from "./label-typescript";
import { median, type BenchmarkResult, type Row } from "./report";

const budgetTokens = 1500;
const sitesPerRepository = 150;
const largeRepository = "lodash";

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** The file as it stands when the user has typed up to `offset`: the rest of that line is not written yet. */
export function typedUpTo(text: string, offset: number): string {
  const lineEnd = text.indexOf("\n", offset);
  return text.slice(0, offset) + (lineEnd < 0 ? "" : text.slice(lineEnd));
}

/** The snippet is the labelled definition: same file, and the label's line (the name's, or a decorator's) within a
 *  few lines of the declaration's head. */
function isCallee(snippet: ContextSnippet, site: LabelledSite): boolean {
  const lines = snippet.text.split("\n").length;
  return snippet.kind === "definition" && snippet.path === site.definitionPath && site.definitionLine >= snippet.line - 3 && site.definitionLine <= snippet.line + lines + 1;
}

async function recallOn(repository: BenchRepository, model: LocalEngine): Promise<Row> {
  const byFile = new Map<string, LabelledSite[]>();
  for (const site of repository.sites) byFile.set(site.path, [...(byFile.get(site.path) ?? []), site]);
  let hits = 0;
  const promptTokens: number[] = [];
  const otherDefinitionTokens: number[] = [];
  const contextMs: number[] = [];
  const firstTokenMs: number[] = [];
  for (const [path, sites] of byFile) {
    const workspace = await openWorkspace(join(repository.root, path), repository.root);
    const original = readFileSync(join(repository.root, path), "utf8");
    for (const site of sites) {
      const input = { path, text: typedUpTo(original, site.offset), offset: site.offset };
      const options = { model, index: workspace.index, recent: workspace.recent, budgetTokens, charsPerToken: await measureCharsPerToken(model, input.text), maxLineTokens: 8, maxBlockTokens: 16 };
      const started = performance.now();
      assembleContext(input, { ...options, family: familyOf(model) });
      contextMs.push(performance.now() - started);
      const result = await complete(input, options, new AbortController().signal);
      const definitions = result.context.snippets.filter((snippet) => snippet.kind === "definition");
      if (definitions.some((snippet) => isCallee(snippet, site))) hits++;
      else if (process.env.GHOST_BENCH_MISSES) console.error(`miss ${repository.name} ${path}@${site.offset} ${site.callee} -> ${site.definitionPath}:${site.definitionLine + 1}; had ${definitions.map((snippet) => `${snippet.path}:${snippet.line + 1}`).join(" ")}`);
      const others = definitions.filter((snippet) => !isCallee(snippet, site));
      otherDefinitionTokens.push((await model.tokenize(others.map((snippet) => `${snippet.path}\n${snippet.text}\n`).join(""))).length);
      promptTokens.push(result.stats.promptTokens);
      if (result.stats.timeToFirstTokenMs !== null) firstTokenMs.push(result.stats.timeToFirstTokenMs);
    }
  }
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
  return {
    repository: repository.name,
    labeller: repository.labeller,
    sites: repository.sites.length,
    recall: hits / repository.sites.length,
    "mean prompt tokens": sum(promptTokens) / promptTokens.length,
    "other definitions' token share": sum(otherDefinitionTokens) / sum(promptTokens),
    "context p50 ms": percentile(contextMs, 50),
    "context p95 ms": percentile(contextMs, 95),
    "first token p50 ms": percentile(firstTokenMs, 50),
    "first token p95 ms": percentile(firstTokenMs, 95),
  };
}

/** `ghost context` on lodash (about 1,050 files): the real command, cold and then with its index cache warm, and
 *  the index's open alone, against one keystroke's context assembly. */
async function contextCommand(model: { dir: string; variant: Variant }): Promise<Row[]> {
  const root = resolve("node_modules", largeRepository);
  const file = join(root, "debounce.js");
  const line = readFileSync(file, "utf8").split("\n").findIndex((text) => text.includes("function debounced(")) + 2;
  const home = mkdtempSync(join(tmpdir(), "ghost-bench-home-"));
  const cli = existsSync("dist/cli.js") ? ["dist/cli.js"] : ["--import", "tsx", "cli/ghost.ts"];
  const run = () => {
    const started = performance.now();
    execFileSync(process.execPath, [...cli, "context", `${file}:${line}:5`, "--root", root, "--model", model.dir, "--variant", model.variant, "--json"], { env: { ...process.env, GHOST_HOME: home }, stdio: "ignore" });
    return performance.now() - started;
  };
  const cold = run();
  const warm = median([run(), run(), run()]);
  const cacheFile = join(mkdtempSync(join(tmpdir(), "ghost-bench-cache-")), "tag-index.json");
  let started = performance.now();
  const opened = await openCachedIndex(root, cacheFile);
  const coldOpen = performance.now() - started;
  const warmOpens: number[] = [];
  for (let run = 0; run < 5; run++) {
    started = performance.now();
    await openCachedIndex(root, cacheFile);
    warmOpens.push(performance.now() - started);
  }
  const text = readFileSync(file, "utf8");
  const { recent } = await openWorkspace(file, root);
  const keystrokes: number[] = [];
  for (let offset = Math.floor(text.length / 2); keystrokes.length < 50; offset += 7) {
    started = performance.now();
    assembleContext({ path: "debounce.js", text, offset }, { family: "qwen", budgetTokens, charsPerToken: 3.5, index: opened.index, recent });
    keystrokes.push(performance.now() - started);
  }
  return [
    { measure: "`ghost context` (process, model load included)", files: opened.paths.length, "cold ms": cold, "warm ms": warm, "warm / keystroke context": warm / median(keystrokes) },
    { measure: "index open (list, stat, cache)", files: opened.paths.length, "cold ms": coldOpen, "warm ms": median(warmOpens), "warm / keystroke context": median(warmOpens) / median(keystrokes) },
    { measure: "a keystroke's context assembly", files: opened.paths.length, "cold ms": null, "warm ms": median(keystrokes), "warm / keystroke context": 1 },
  ];
}

export async function autocompleteBench(model: { name: string; dir: string; variant: Variant }): Promise<BenchmarkResult[]> {
  const previousHome = process.env.GHOST_HOME;
  process.env.GHOST_HOME = mkdtempSync(join(tmpdir(), "ghost-bench-home-"));
  const repositories = await benchRepositories(sitesPerRepository);
  const engine = await LocalEngine.load(model.dir, { variant: model.variant, threads: 1 });
  const rows: Row[] = [];
  for (const repository of repositories) rows.push(await recallOn(repository, engine));
  await engine.dispose();
  const command = await contextCommand(model);
  process.env.GHOST_HOME = previousHome;
  return [
    {
      name: "cross-file recall (product path)",
      note: `At up to ${sitesPerRepository} call sites per repository (≤3 per file, in file order), labelled by an independent resolver, the user has just typed \`(\`; the CLI's workspace and complete() run on ${model.name} with a ${budgetTokens}-token budget. recall: the callee's definition is in the prompt as a definition. Goal: recall ≥ 0.98 on each; lower token share on other definitions is better.`,
      rows,
    },
    {
      name: "ghost context with a warm index cache",
      note: `${largeRepository} from node_modules as the repository. Goal: a warm call costs what a keystroke costs (the index open is within a few keystrokes' context time; the process's own start and model load are extra).`,
      rows: command,
    },
  ];
}
