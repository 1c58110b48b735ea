// Shared by the conventions tests: fixture paths, each fixture mined once, and one-line renderings of statements
// and flags, so a test compares compact strings.
import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, extname, join } from "node:path";
import type { Flag } from "../../../agent/conventions/checker";
import { mineWorkspace } from "../../../agent/conventions/miner";
import type { Profile, Statement } from "../../../agent/conventions/profile";

export const fixtures = join(__dirname, "..", "..", "fixtures", "conventions");
export const fixture = (name: string) => join(fixtures, name);
export const readPatch = (name: string) => readFileSync(join(fixtures, "patches", name), "utf8");

const mined = new Map<string, Promise<Profile>>();

/** The profile of a fixture repository, mined once per test process. */
export function profileOf(name: string): Promise<Profile> {
  let profile = mined.get(name);
  if (!profile) mined.set(name, (profile = mineWorkspace(fixture(name))));
  return profile;
}

export function statement(profile: Profile, id: string): Statement {
  const found = profile.statements.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no statement ${id}; there are ${profile.statements.map((s) => s.id).join(", ")}`);
  return found;
}

/** "double 54/54 enforced [src/a.ts:1, src/b.ts:3]" */
export function render(found: Statement, evidence = 2): string {
  return `${found.value} ${found.n}/${found.m} ${found.enforced ? "enforced" : "stated"} [${found.evidence.slice(0, evidence).join(", ")}]`;
}

/** "src/a.ts:4 javascript/function-try: adds a try/catch; ..." */
export function renderFlag(flag: Flag): string {
  return `${flag.path}:${flag.line} ${flag.ruleId}: ${flag.message}`;
}

/** Per fixture: files in the fixture's own style to copy (in turn), and how its file names join words. */
const templates: Record<string, { files: string[]; separator: string }> = {
  "ts-fetch": { files: ["src/stats.ts"], separator: "-" },
  "py-allreduce": { files: ["nanotrain/train.py"], separator: "_" },
  "py-script": { files: ["tinynet/data.py", "tinynet/layers.py"], separator: "_" },
  "js-standard": { files: ["lib/price_list.js"], separator: "_" },
  "js-axios": { files: ["src/orders.js"], separator: "-" },
  "py-ddp": { files: ["nanoddp/checkpoints.py"], separator: "_" },
};
const firstWords = ["order", "price", "report", "batch", "token", "queue", "cache", "shard"];
const lastWords = ["totals", "summary", "window", "buckets"];

/** `count` copies of the fixture's templates, each with its new path: two words in the fixture's style, none repeated. */
export function copiesOf(name: string, count: number): { template: string; path: string }[] {
  const { files, separator } = templates[name]!;
  const words = firstWords.flatMap((first) => lastWords.map((last) => `${first}${separator}${last}`));
  if (count > words.length) throw new Error(`at most ${words.length} copies`);
  return words.slice(0, count).map((word, index) => {
    const template = files[index % files.length]!;
    return { template, path: join(dirname(template), `${word}${extname(template)}`) };
  });
}

const grownRoots = new Map<string, string>();
process.on("exit", () => {
  for (const root of grownRoots.values()) rmSync(dirname(root), { recursive: true, force: true });
});

/** A temporary copy of a fixture repository grown by `count` copies of its own files, so that its conventions have
 *  files enough behind them to be enforced (support.ts); the fixture itself stays as written. */
export function grownFixture(name: string, count = 24): string {
  const key = `${name}:${count}`;
  let root = grownRoots.get(key);
  if (!root) {
    root = join(mkdtempSync(join(tmpdir(), `ghost-${name}-`)), name);
    cpSync(fixture(name), root, { recursive: true });
    for (const { template, path } of copiesOf(name, count)) copyFileSync(join(root, template), join(root, path));
    grownRoots.set(key, root);
  }
  return root;
}

const grownMined = new Map<string, Promise<Profile>>();

/** The profile of a grown fixture (grownFixture), mined once per test process. */
export function grownProfileOf(name: string, count = 24): Promise<Profile> {
  const key = `${name}:${count}`;
  let profile = grownMined.get(key);
  if (!profile) grownMined.set(key, (profile = mineWorkspace(grownFixture(name, count))));
  return profile;
}
