// Autocomplete's context, measured on a workspace of real source files gathered from installed packages:
// - the tag index: cold build time and memory, and the time to update one changed file;
// - keystroke to prompt ready (the multi-line decision plus context assembly; the model excluded): p50 and p95;
// - cross-file recall at call sites whose callee is defined in another file: does the assembled prompt
//   (1,500-token budget) hold the callee's definition? Ghost's context vs prefix/suffix only vs recent-files
//   Jaccard chunks alone.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { assembleContext } from "../agent/complete/context";
import { opensEmptyBlock } from "../agent/complete/multiline";
import { DocumentTrees } from "../agent/context/document-trees";
import { languageOf } from "../agent/context/languages";
import { RecentChunks } from "../agent/context/similar-chunks";
import { TagIndex } from "../agent/context/tag-index";
import { median, type BenchmarkResult } from "./report";

const roots = ["node_modules", ".tools/code-server/node_modules", "/usr/lib/node_modules"];
const wantedFiles = 5000;
const budgetTokens = 1500;
const charsPerToken = 3.5;

function gatherFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (files.length >= wantedFiles) return;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && languageOf(path) && !/\.min\.js$|\.d\.ts$/.test(path) && statSync(path).size < 100_000) files.push(path);
    }
  };
  for (const root of roots.filter(existsSync)) walk(root);
  if (files.length < wantedFiles) throw new Error(`found only ${files.length} source files in ${roots.join(", ")}; run npm run test:vscode once to install code-server's`);
  return files;
}

interface CallSite {
  path: string;
  offset: number;
  signature: string;
}

/** One call site per file: a name called there whose only definition is a function in another file. */
function callSites(index: TagIndex, files: string[], texts: Map<string, string>, limit: number): CallSite[] {
  const sites: CallSite[] = [];
  for (const path of files) {
    const text = texts.get(path)!;
    for (const name of index.tagsOf(path)?.references ?? []) {
      const definitions = index.definitionsOf(name);
      const [only] = definitions;
      if (definitions.length !== 1 || only!.path === path || !["function", "method", "class"].includes(only!.kind) || name.length < 4) continue;
      const at = text.indexOf(`${name}(`, Math.floor(text.length / 4));
      if (at < 0) continue;
      sites.push({ path, offset: at + name.length + 1, signature: only!.signature });
      break;
    }
    if (sites.length >= limit) break;
  }
  return sites;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function autocompleteBench(): Promise<BenchmarkResult[]> {
  const files = gatherFiles();
  const texts = new Map(files.map((path) => [path, readFileSync(path, "utf8")]));
  const memoryBefore = process.memoryUsage();
  const index = new TagIndex();
  const buildStart = performance.now();
  for (const path of files) await index.update(path, texts.get(path)!);
  const buildMs = performance.now() - buildStart;
  const memoryAfter = process.memoryUsage();
  const updateTimes: number[] = [];
  for (const path of files.slice(0, 50)) {
    const start = performance.now();
    await index.update(path, `${texts.get(path)!}\nexport function addedByBench(a) { return a; }\n`);
    updateTimes.push(performance.now() - start);
  }

  const sites = callSites(index, files, texts, 300);
  const assemblyTimes: number[] = [];
  const found = { ghost: 0, window: 0, jaccard: 0 };
  for (const site of sites) {
    const text = texts.get(site.path)!;
    const folder = site.path.slice(0, site.path.lastIndexOf("/"));
    const recent = new RecentChunks();
    for (const neighbour of files.filter((path) => path !== site.path && path.startsWith(`${folder}/`)).slice(0, 8)) recent.touch(neighbour, texts.get(neighbour)!);
    // The file is open and was just typed in: its tree exists from the previous keystroke, and this keystroke is
    // the `(` after the callee's name.
    const trees = new DocumentTrees();
    await opensEmptyBlock(site.path, text.slice(0, site.offset - 1) + text.slice(site.offset), site.offset - 1, trees);
    const start = performance.now();
    await opensEmptyBlock(site.path, text, site.offset, trees);
    const ghost = assembleContext({ path: site.path, text, offset: site.offset }, { family: "qwen", budgetTokens, charsPerToken, index, recent });
    assemblyTimes.push(performance.now() - start);
    trees.forget(site.path);
    const windowOnly = ghost.window.prefix + ghost.window.suffix;
    const prompt = windowOnly + ghost.files.map((file) => file.text).join("\n");
    if (prompt.includes(site.signature)) found.ghost++;
    if (windowOnly.includes(site.signature)) found.window++;
    // Jaccard alone: the same recent files, their best chunks within the same share of the budget.
    const jaccard = assembleContext({ path: site.path, text, offset: site.offset }, { family: "qwen", budgetTokens, charsPerToken, index: new TagIndex(), recent });
    if ((jaccard.window.prefix + jaccard.window.suffix + jaccard.files.map((file) => file.text).join("\n")).includes(site.signature)) found.jaccard++;
  }
  const mb = (bytes: number) => bytes / 2 ** 20;
  return [
    {
      name: "tag index",
      note: `${files.length} real source files from ${roots.filter(existsSync).join(", ")} (.ts/.js/.py…, under 100 KB, no .d.ts/.min.js).`,
      rows: [
        {
          files: files.length,
          "cold build s": buildMs / 1000,
          "heap MB": mb(memoryAfter.heapUsed - memoryBefore.heapUsed),
          "wasm+buffers MB": mb(memoryAfter.arrayBuffers - memoryBefore.arrayBuffers),
          "rss MB": mb(memoryAfter.rss - memoryBefore.rss),
          "update one file ms (median)": median(updateTimes),
          "update p95 ms": percentile(updateTimes, 95),
        },
      ],
    },
    {
      name: "keystroke to prompt ready",
      note: `The keystroke typing \`(\` after a callee: incremental reparse and multi-line decision plus context assembly, at ${sites.length} call sites, model excluded. Goal: p95 under 10 ms.`,
      rows: [{ sites: sites.length, "p50 ms": percentile(assemblyTimes, 50), "p95 ms": percentile(assemblyTimes, 95), "max ms": Math.max(...assemblyTimes) }],
    },
    {
      name: "cross-file recall",
      note: `Share of ${sites.length} call sites (one per file; the callee is the one definition of its name in the index, in another file) whose prompt (${budgetTokens}-token budget) holds the callee's signature.`,
      rows: [
        { context: "Ghost (tag index + Jaccard chunks + window)", recall: found.ghost / sites.length },
        { context: "prefix/suffix window only", recall: found.window / sites.length },
        { context: "recent-files Jaccard chunks alone (+ window)", recall: found.jaccard / sites.length },
      ],
    },
  ];
}
