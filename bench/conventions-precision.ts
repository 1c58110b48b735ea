// Conventions checker: precision and recall on real repositories found on this machine (TypeScript and JavaScript
// packages in node_modules, CPython's standard library and Debian's Python packages; Go, Rust and Java sources when
// present). Each repository is a deterministic sample of at most `maxFiles` source files, mined once.
//
// Precision, leave-one-out: for each file, the profile of the repository without it (the miner leaves that file's
// tallies out; nothing is parsed again), then the patch that adds the file back is checked. The repository's own
// authors wrote the file, so every warning is a false flag. Reported: the share of files with a warning, and warnings
// per 1,000 added lines, per rule.
//
// Recall, seeded violations: for each convention the repository clearly holds by an independent measurement (the
// TypeScript compiler's parser for TypeScript and JavaScript, Python's own ast and tokenize modules for Python:
// bench/conventions-measure.ts; 95% of at least 20 observations; for a job done with one library, 3 uses in 2 files
// and an alternative never used; for handlers, 95% of at least 20 that do more than log or pass, and 80% naming
// specific exceptions, or handlers rare and none swallowing), a patch appended to one of its files breaks it (the alternative library, a broad handler that only
// logs or passes, a naming style, the other quote, another indentation, the other semicolon or trailing-comma habit).
// Reported: the share the checker flags under that rule. Ghost's own tallies and statements choose no seed.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { createTwoFilesPatch } from "diff";
import { checkPatch, type Flag } from "../agent/conventions/checker";
import { familyOf } from "../agent/conventions/extract";
import type { Family } from "../agent/conventions/features";
import { ConventionMiner } from "../agent/conventions/miner";
import { groupsOf, type Member } from "../agent/conventions/alternatives";
import type { Profile } from "../agent/conventions/profile";
import { indentStep, measurePython, measureScript, type Measured } from "./conventions-measure";
import { fileSystemReader, type WorkspaceReader } from "../agent/conventions/workspace-reader";
import type { BenchmarkResult, Row } from "./report";

const maxFiles = 150;
const nodeModules = join(__dirname, "..", "node_modules");
const python = ["/usr/lib/python3.13", "/usr/lib/python3.12", "/usr/lib/python3.11"].find((dir) => existsSync(dir)) ?? "/usr/lib/python3";

/** Candidate repositories; those missing on this machine are skipped (and named in the note). */
const candidates: { name: string; language: string; root: string }[] = [
  { name: "zod (v4)", language: "TypeScript", root: join(nodeModules, "zod", "src", "v4") },
  { name: "cheerio", language: "TypeScript", root: join(nodeModules, "cheerio", "src") },
  { name: "mocha", language: "JavaScript", root: join(nodeModules, "mocha", "lib") },
  { name: "undici", language: "JavaScript", root: join(nodeModules, "undici", "lib") },
  { name: "markdown-it", language: "JavaScript", root: join(nodeModules, "markdown-it", "lib") },
  { name: "CPython asyncio", language: "Python", root: join(python, "asyncio") },
  { name: "CPython email", language: "Python", root: join(python, "email") },
  { name: "click (Debian)", language: "Python", root: "/usr/lib/python3/dist-packages/click" },
  { name: "pygments (Debian)", language: "Python", root: "/usr/lib/python3/dist-packages/pygments" },
  { name: "Go standard library", language: "Go", root: ["/usr/lib/go/src/net/http", "/usr/local/go/src/net/http"].find((dir) => existsSync(dir)) ?? "/usr/lib/go/src/net/http" },
];

/** Spread over the repository: every k-th path in path order, so a sample is not one folder's files. */
function sample(paths: string[]): string[] {
  const sorted = [...paths].sort();
  if (sorted.length <= maxFiles) return sorted;
  const step = sorted.length / maxFiles;
  return Array.from({ length: maxFiles }, (_, index) => sorted[Math.floor(index * step)]!);
}

function sampledReader(root: string, paths: string[]): WorkspaceReader {
  const reader = fileSystemReader(root);
  return { ...reader, sourceFiles: async () => paths };
}

/** The patch that creates `path` with `text`, as `git diff` writes it. */
function creating(path: string, text: string): string {
  const lines = (text.endsWith("\n") ? text.slice(0, -1) : text).split("\n");
  return `${["--- /dev/null", `+++ b/${path}`, `@@ -0,0 +1,${lines.length} @@`, ...lines.map((line) => `+${line}`)].join("\n")}\n`;
}
const ruleOf = (flag: Flag) => flag.ruleId.slice(flag.ruleId.indexOf("/") + 1);

interface RepoResult {
  name: string;
  language: string;
  files: number;
  flaggedFiles: number;
  addedLines: number;
  warnings: Map<string, { warnings: number; files: number }>;
  seeded: Map<string, { seeded: number; flagged: number }>;
  missed: string[];
}

async function measure(name: string, language: string, root: string): Promise<RepoResult | null> {
  const all = await fileSystemReader(root).sourceFiles();
  const paths = sample(all.filter((path) => familyOf(path) !== null));
  if (paths.length < 5) return null;
  const reader = sampledReader(root, paths);
  const miner = await ConventionMiner.open(root, { reader });
  await miner.refresh();
  const result: RepoResult = { name, language, files: 0, flaggedFiles: 0, addedLines: 0, warnings: new Map(), seeded: new Map(), missed: [] };
  const texts = new Map<string, string>();
  for (const path of paths) {
    const text = await reader.read(path);
    if (text === null) continue;
    texts.set(path, text);
    const profile = await miner.profile({ without: path });
    const checked = await checkPatch(profile, creating(path, text));
    if ("error" in checked) throw new Error(`${root}/${path}: ${checked.error}`);
    result.files++;
    result.addedLines += text.split("\n").length;
    if (checked.flags.length > 0) result.flaggedFiles++;
    for (const rule of new Set(checked.flags.map(ruleOf))) {
      const entry = result.warnings.get(rule) ?? { warnings: 0, files: 0 };
      entry.files++;
      entry.warnings += checked.flags.filter((flag) => ruleOf(flag) === rule).length;
      result.warnings.set(rule, entry);
    }
  }
  await seed(root, await miner.profile(), texts, result);
  return result;
}

/** The value holding in 95% of at least 20 of the measured observations `prefix:value`, or null. */
function clearly(measured: Measured, prefix: string): string | null {
  const entries = Object.entries(measured.counts).filter(([key]) => key.startsWith(`${prefix}:`));
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  const [key, n] = entries.sort(([, a], [, b]) => b - a)[0] ?? [];
  return key && n && total >= 20 && n / total >= 0.95 ? key.slice(prefix.length + 1) : null;
}

/** A member's measured uses and files: imports of its modules (or under them) and calls of its APIs. */
function usageOf(measured: Measured, member: Member): { uses: number; files: number } {
  const under = (name: string, entry: string) => name === entry || name.startsWith(`${entry}.`) || name.startsWith(`${entry}/`);
  let uses = 0;
  let files = 0;
  for (const [module, n] of Object.entries(measured.moduleFiles)) if (member.modules.some((entry) => under(module, entry))) (uses += n), (files = Math.max(files, n));
  const apis = member.apis.map((api) => api.replace(/\(grad\)$/, ""));
  for (const [call, n] of Object.entries(measured.calls)) {
    if (!apis.some((api) => under(call, api))) continue;
    uses += n;
    files = Math.max(files, measured.callFiles[call] ?? 0);
  }
  return { uses, files };
}

interface Seed {
  rule: string;
  code: string;
}

/** Violations of what the repository clearly holds by the independent measurement, written as it writes code. */
function seedsFor(measured: Measured, family: Family): Seed[] {
  const seeds: Seed[] = [];
  const py = family === "python";
  const js = family === "javascript";
  if (!py && !js) return seeds;
  const step = clearly(measured, "indent");
  const indent = step === "tabs" ? "\t" : step === "2" ? "  " : "    ";
  const quote = clearly(measured, "quote") === "double" ? '"' : "'";
  const semi = js && clearly(measured, "semicolon") === "without" ? "" : ";";
  const n = (key: string) => measured.counts[key] ?? 0;
  // An alternative library never used, where the repository does the job with another in 2 files or more.
  for (const group of groupsOf(family)) {
    const usage = group.members.map((member) => ({ member, ...usageOf(measured, member) }));
    const top = usage.filter((entry) => entry.uses > 0).sort((a, b) => b.uses - a.uses)[0];
    const unused = usage.find((entry) => entry.uses === 0 && (entry.member.modules.length > 0 || entry.member.apis.length > 0));
    if (!top || !unused || top.uses < 3 || top.files < 2) continue;
    const module = unused.member.modules[0];
    const api = unused.member.apis[0]?.replace(/\(grad\)$/, "");
    const rule = `alternatives:${group.id}`;
    if (py && module) seeds.push({ rule, code: `import ${module}\n\n\ndef seeded_use():\n${indent}return ${module}\n` });
    else if (py && api) {
      const at = api.lastIndexOf(".");
      seeds.push({ rule, code: at < 0 ? `\n\ndef seeded_use(value):\n${indent}${api}(value)\n` : `from ${api.slice(0, at)} import ${api.slice(at + 1)}\n\n\ndef seeded_use(grad):\n${indent}return ${api.slice(at + 1)}(grad)\n` });
    } else if (js && module) seeds.push({ rule, code: `import seededDefault from ${quote}${module}${quote}${semi}\nexport const seededUse = seededDefault${semi}\n` });
    else if (js && api) seeds.push({ rule, code: `export function seededUse(value) {\n${indent}return ${api}(value)${semi}\n}\n` });
  }
  // A broad handler that only logs or passes, where handlers are rare and none swallows, or where 95% of at least 20
  // handlers do not swallow and (Python) 80% name specific exceptions.
  const handlers = py ? n("except:specific") + n("except:broad") : n("catch");
  const swallowing = n(py ? "except:swallows" : "catch:swallows");
  const rare = n("functions") >= 20 && handlers / n("functions") <= 0.02 && swallowing === 0;
  const handles = handlers >= 20 && swallowing / handlers <= 0.05 && (js || n("except:specific") / handlers >= 0.8);
  if (rare || handles) {
    seeds.push({
      rule: "swallow",
      code: py
        ? `\n\ndef seeded_swallow(value):\n${indent}try:\n${indent}${indent}return value.run()\n${indent}except Exception:\n${indent}${indent}pass\n`
        : `export function seededSwallow(value) {\n${indent}try {\n${indent}${indent}return value.run()${semi}\n${indent}} catch (error) {\n${indent}${indent}console.error(error)${semi}\n${indent}}\n}\n`,
    });
  }
  // A naming style never used.
  const functions = clearly(measured, "function");
  if (functions === "snake_case") seeds.push({ rule: "naming:function", code: py ? `\n\ndef seededCamelName(value):\n${indent}return value\n` : `export function seededCamelName(value) {\n${indent}return value${semi}\n}\n` });
  if (functions === "camelCase") seeds.push({ rule: "naming:function", code: py ? `\n\ndef seeded_snake_name(value):\n${indent}return value\n` : `export function seeded_snake_name(value) {\n${indent}return value${semi}\n}\n` });
  if (clearly(measured, "class") === "PascalCase") seeds.push({ rule: "naming:class", code: py ? `\n\nclass seeded_class_name:\n${indent}pass\n` : `export class seeded_class_name {\n}\n` });
  // A formatting choice never made: the other quote, another indentation, the other semicolon and trailing-comma habit.
  const quotes = clearly(measured, "quote");
  if (quotes) {
    const other = quotes === "double" ? "'" : '"';
    seeds.push({ rule: "quotes", code: py ? `\n\ndef seeded_quote():\n${indent}return ${other}seeded${other}\n` : `export function seededQuote() {\n${indent}return ${other}seeded${other}${semi}\n}\n` });
  }
  if (step) {
    const wrong = step === "2" ? "    " : "  ";
    seeds.push({ rule: "indent", code: py ? `\n\ndef seeded_indent(value):\n${wrong}return value\n` : `export function seededIndent(value) {\n${wrong}return value${semi}\n}\n` });
  }
  const semicolons = js ? clearly(measured, "semicolon") : null;
  if (semicolons) seeds.push({ rule: "semicolons", code: `export function seededSemicolon(value) {\n${indent}return value${semicolons === "with" ? "" : ";"}\n}\n` });
  const commas = js ? clearly(measured, "trailing-comma") : null;
  if (commas) {
    const comma = commas === "with" ? "" : ",";
    seeds.push({ rule: "trailing-comma", code: `export const seededOptions = {\n${indent}first: 1,\n${indent}second: 2${comma}\n}${semi}\n` });
  }
  return seeds;
}

async function seed(root: string, profile: Profile, texts: Map<string, string>, result: RepoResult): Promise<void> {
  for (const family of Object.keys(profile.families) as Family[]) {
    // The host: the family's first file in path order that is not a test.
    const paths = [...texts.keys()].sort().filter((path) => familyOf(path) === family);
    const host = paths.find((path) => !/test|spec/i.test(path));
    if (!host) continue;
    const original = texts.get(host)!;
    const measured = family === "python" ? measurePython(root, paths) : measureScript(root, paths);
    if (family === "python") measured.counts = { ...measured.counts, ...indentCounts(paths.map((path) => texts.get(path)!)) };
    for (const { rule, code } of seedsFor(measured, family)) {
      const text = `${original.endsWith("\n") ? original : `${original}\n`}${code}`;
      const patch = createTwoFilesPatch(`a/${host}`, `b/${host}`, original, text, "", "", { context: 3 }).replace(/^Index:.*\n=+\n/, "");
      const checked = await checkPatch(profile, patch, { readOriginal: (path) => (path === host ? original : null) });
      if ("error" in checked) throw new Error(`${host}: ${checked.error}`);
      const entry = result.seeded.get(rule) ?? { seeded: 0, flagged: 0 };
      entry.seeded++;
      if (checked.flags.some((flag) => ruleOf(flag) === rule)) entry.flagged++;
      else result.missed.push(`${result.name} ${rule}`);
      result.seeded.set(rule, entry);
    }
  }
}

/** Files by indentation step, as "indent:STEP" counts. */
function indentCounts(texts: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const step of texts.map(indentStep)) if (step) counts[`indent:${step}`] = (counts[`indent:${step}`] ?? 0) + 1;
  return counts;
}

const pct = (part: number, whole: number) => (whole === 0 ? null : Number(((100 * part) / whole).toFixed(1)));

/** A repository's warnings, seeds and flagged seeds over all its rules. */
const totals = (repo: RepoResult) => ({
  warnings: [...repo.warnings.values()].reduce((sum, entry) => sum + entry.warnings, 0),
  seeded: [...repo.seeded.values()].reduce((sum, entry) => sum + entry.seeded, 0),
  flagged: [...repo.seeded.values()].reduce((sum, entry) => sum + entry.flagged, 0),
});

export async function conventionsPrecisionBench(): Promise<BenchmarkResult[]> {
  const results: RepoResult[] = [];
  const skipped: string[] = [];
  for (const { name, language, root } of candidates) {
    const measured = existsSync(root) && statSync(root).isDirectory() && readdirSync(root).length > 0 ? await measure(name, language, root) : null;
    if (measured) results.push(measured);
    else skipped.push(name);
  }
  const rows: Row[] = results.map((repo) => {
    const { warnings, seeded, flagged } = totals(repo);
    return {
      repository: repo.name,
      language: repo.language,
      "files (LOO)": repo.files,
      "files with a warning %": pct(repo.flaggedFiles, repo.files),
      "warnings / 1k lines": Number(((1000 * warnings) / repo.addedLines).toFixed(2)),
      seeded,
      "seeded flagged %": pct(flagged, seeded),
    };
  });
  const sum = (pick: (repo: RepoResult) => number) => results.reduce((total, repo) => total + pick(repo), 0);
  const allWarnings = sum((repo) => totals(repo).warnings);
  const allSeeded = sum((repo) => totals(repo).seeded);
  const allFlagged = sum((repo) => totals(repo).flagged);
  rows.push({
    repository: "all",
    language: [...new Set(results.map((repo) => repo.language))].join(", "),
    "files (LOO)": sum((repo) => repo.files),
    "files with a warning %": pct(sum((repo) => repo.flaggedFiles), sum((repo) => repo.files)),
    "warnings / 1k lines": Number(((1000 * allWarnings) / sum((repo) => repo.addedLines)).toFixed(2)),
    seeded: allSeeded,
    "seeded flagged %": pct(allFlagged, allSeeded),
  });
  const rules = new Set(results.flatMap((repo) => [...repo.warnings.keys(), ...repo.seeded.keys()]));
  const perRule: Row[] = [...rules].sort().map((rule) => {
    const seeded = sum((repo) => repo.seeded.get(rule)?.seeded ?? 0);
    return {
      rule,
      "files with a warning %": pct(sum((repo) => repo.warnings.get(rule)?.files ?? 0), sum((repo) => repo.files)),
      "warnings / 1k lines": Number(((1000 * sum((repo) => repo.warnings.get(rule)?.warnings ?? 0)) / sum((repo) => repo.addedLines)).toFixed(2)),
      seeded,
      "seeded flagged %": pct(sum((repo) => repo.seeded.get(rule)?.flagged ?? 0), seeded),
    };
  });
  const missed = results.flatMap((repo) => repo.missed);
  return [
    {
      name: "conventions precision and recall",
      note: `Leave-one-out over at most ${maxFiles} files per repository (goal: files with a warning <= 2%); seeded violations of conventions each repository clearly holds (goal: flagged >= 95%).${skipped.length ? ` Not on this machine: ${skipped.join(", ")}.` : ""}`,
      rows,
    },
    { name: "conventions precision and recall, per rule", note: `All repositories together.${missed.length ? ` Seeds not flagged: ${missed.join("; ")}.` : ""}`, rows: perRule },
  ];
}
