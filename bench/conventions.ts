// Conventions: mining a 5,000-file workspace (on this thread, and through the worker thread the extension uses, with
// the longest event-loop stall of each), the heap and RSS that adds, a restart through the cache, an
// incremental update after one file changes, and checking a 500-line patch. The workspace is real .ts/.js files
// from node_modules copied into a temporary folder; where node_modules holds fewer than 5,000, copies of the same
// files (under copy-N/) make up the rest, so the per-file cost is real code's.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, sep } from "node:path";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { checkPatch } from "../agent/conventions/checker";
import { FeatureThread } from "../agent/conventions/feature-thread";
import { ConventionMiner, maxMinedBytes } from "../agent/conventions/miner";
import { median, type BenchmarkResult } from "./report";

const fileCount = 5000;
const runs = 5;
const mb = (bytes: number) => Number((bytes / 2 ** 20).toFixed(1));

/** Source files under a folder that the miner mines (not .d.ts, not over its size limit, not minified), in a
 *  stable order. */
function sourceFiles(dir: string, found: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.name.startsWith(".")) continue; // the workspace lister skips hidden files and folders
    if (entry.isDirectory()) sourceFiles(path, found);
    else if (entry.isFile() && /\.(ts|js|mjs|cjs)$/.test(entry.name) && !entry.name.endsWith(".d.ts") && mined(path)) found.push(path);
  }
  return found;
}

function mined(path: string): boolean {
  if (statSync(path).size > maxMinedBytes) return false;
  const text = readFileSync(path, "utf8");
  return text.length / text.split("\n").length <= 200;
}

/** Folders the workspace lister skips (dist/, build/, ...) are renamed, so every copied file is mined. */
const listedPath = (path: string) => path.split(sep).map((segment) => (/^(dist|out|build|target|vendor|node_modules|venv)$/.test(segment) ? `${segment}-src` : segment)).join("/");

function buildWorkspace(): { root: string; files: number; distinct: number } {
  const modules = join(__dirname, "..", "node_modules");
  const sources = sourceFiles(modules);
  const root = mkdtempSync(join(tmpdir(), "ghost-conventions-bench-"));
  for (let index = 0; index < fileCount; index++) {
    const source = sources[index % sources.length]!;
    const target = join(root, `copy-${Math.floor(index / sources.length)}`, listedPath(relative(modules, source)));
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(source, target);
  }
  return { root, files: fileCount, distinct: Math.min(sources.length, fileCount) };
}

async function time(run: () => Promise<unknown>): Promise<number> {
  await run(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return median(times);
}

/** A new 500-line TypeScript file, made of real lines (zod's schemas.ts), as a unified diff. */
function patchOf500Lines(): string {
  const text = readFileSync(join(__dirname, "..", "node_modules", "zod", "src", "v4", "core", "schemas.ts"), "utf8");
  const lines = text.split("\n").slice(0, 500);
  return `${["--- /dev/null", "+++ b/src/added.ts", `@@ -0,0 +1,${lines.length} @@`, ...lines.map((line) => `+${line}`)].join("\n")}\n`;
}

export async function conventionsBench(): Promise<BenchmarkResult> {
  const workspace = buildWorkspace();
  const cachePath = join(workspace.root, ".ghost", "conventions-cache.json");
  const before = process.memoryUsage();
  let start = performance.now();
  const stalls = monitorEventLoopDelay({ resolution: 10 });
  stalls.enable();
  const miner = await ConventionMiner.open(workspace.root, { cachePath });
  const stats = await miner.refresh();
  const profile = await miner.profile();
  const mineMs = performance.now() - start;
  stalls.disable();
  const after = process.memoryUsage();
  // The same cold mining with files parsed in a worker thread, as the extension does: how long the calling thread's
  // event loop is held at most (an editor's keystrokes wait that long).
  const thread = new FeatureThread();
  const threadStalls = monitorEventLoopDelay({ resolution: 10 });
  threadStalls.enable();
  start = performance.now();
  const offThread = await ConventionMiner.open(workspace.root, { parse: thread.parse });
  await offThread.refresh();
  await offThread.profile();
  const threadMs = performance.now() - start;
  threadStalls.disable();
  await thread.dispose();
  const sizes = `profile ${Math.round(JSON.stringify(profile).length / 1024)} KB, cache ${mb(statSync(cachePath).size)} MB`;

  start = performance.now();
  const restarted = await ConventionMiner.open(workspace.root, { cachePath });
  const restartStats = await restarted.refresh();
  await restarted.profile();
  const restartMs = performance.now() - start;

  const changed = relative(workspace.root, sourceFiles(workspace.root)[0]!).split(sep).join("/");
  const original = readFileSync(join(workspace.root, changed), "utf8");
  let version = 0;
  const updateMs = await time(async () => {
    await miner.update(changed, `${original}\nexport function added${version++}(value) {\n  return value;\n}\n`);
    await miner.profile();
  });
  const patch = patchOf500Lines();
  const checkMs = await time(() => checkPatch(profile, patch));
  rmSync(workspace.root, { recursive: true, force: true });
  return {
    name: "conventions",
    note: `${workspace.files} files (${workspace.distinct} distinct from node_modules), ${stats.read} mined; ${sizes}; median ms of ${runs} runs for the update and the check. Heap and RSS: growth over mining, garbage included.`,
    rows: [
      { step: "mine the workspace (parse, count, profile)", ms: Math.round(mineMs), "heap MB": mb(after.heapUsed - before.heapUsed), "RSS MB": mb(after.rss - before.rss), "longest stall ms": Math.round(stalls.max / 1e6) },
      { step: "the same, parsed in a worker thread (the extension)", ms: Math.round(threadMs), "heap MB": null, "RSS MB": null, "longest stall ms": Math.round(threadStalls.max / 1e6) },
      { step: `restart through the cache (${restartStats.reused} reused)`, ms: Math.round(restartMs), "heap MB": null, "RSS MB": null },
      { step: "one file changed: update + profile", ms: Number(updateMs.toFixed(1)), "heap MB": null, "RSS MB": null },
      { step: "check a 500-line patch", ms: Number(checkMs.toFixed(1)), "heap MB": null, "RSS MB": null },
    ],
  };
}
