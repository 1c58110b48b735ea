// Shared by the conventions tests: fixture paths, each fixture mined once, and one-line renderings of statements
// and flags, so a test compares compact strings.
import { readFileSync } from "node:fs";
import { join } from "node:path";
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
