// Conventions: mining a 5,000-file workspace, the heap and RSS that adds, a restart through the cache, an
// incremental update after one file changes, and checking a 500-line patch. The workspace is real .ts/.js files
// from node_modules copied into a temporary folder; where node_modules holds fewer than 5,000, copies of the same
// files (under copy-N/) make up the rest, so the per-file cost is real code's.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, sep } from "node:path";
import { performance } from "node:perf_hooks";
import { checkPatch } from "../agent/conventions/checker";
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
  const miner = await ConventionMiner.open(workspace.root, { cachePath });
  const stats = await miner.refresh();
  const profile = await miner.profile();
  const mineMs = performance.now() - start;
  const after = process.memoryUsage();
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
      { step: "mine the workspace (parse, count, profile)", ms: Math.round(mineMs), "heap MB": mb(after.heapUsed - before.heapUsed), "RSS MB": mb(after.rss - before.rss) },
      { step: `restart through the cache (${restartStats.reused} reused)`, ms: Math.round(restartMs), "heap MB": null, "RSS MB": null },
      { step: "one file changed: update + profile", ms: Number(updateMs.toFixed(1)), "heap MB": null, "RSS MB": null },
      { step: "check a 500-line patch", ms: Number(checkMs.toFixed(1)), "heap MB": null, "RSS MB": null },
    ],
  };
}
