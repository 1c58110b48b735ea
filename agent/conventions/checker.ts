// The checker: the same features computed over the code a change adds, compared with the profile. It flags what
// breaks an enforced convention, citing the repository's evidence, and notes modules and APIs the repository has
// never used. Code that follows the conventions, and weak or split conventions, raise nothing.
import type { ChangeSet } from "../../diffing/change-set";
import { addedFromChangeSet, addedFromPatch, type AddedCode } from "./added-code";
import { memberOf } from "./alternatives";
import { catalog } from "./catalog";
import { extractFeatures } from "./extract";
import { ObservationRecorder, type Family, type Observation } from "./features";
import type { Profile, Statement } from "./profile";
import { sites } from "./summary";
import { testFilePattern } from "./test-files";
import { groupUsage, prefixes, type GroupUsage } from "./usage";

export interface Flag {
  /** The statement it breaks ("python/function-try"), or "FAMILY/new-module" and "FAMILY/new-api" for notes. */
  ruleId: string;
  /** error: breaks a declared formatter or linter setting; warning: breaks a mined convention; info: a note. */
  severity: "error" | "warning" | "info";
  message: string;
  /** "path:line" in the repository. */
  evidence: string[];
  /** Where in the change: the path and the first new line; `lines` has every new line it applies to. */
  path: string;
  line: number;
  lines: number[];
}

export interface CheckResult {
  /** Broken conventions. */
  flags: Flag[];
  /** What is new to the repository: modules and APIs it has never used. */
  notes: Flag[];
}

export interface CheckOptions {
  /** Statement ids switched off. */
  disabled?: ReadonlySet<string>;
}

/** Keys observed once per file, at line 1; they belong to a change only when it creates the file. */
const fileKeys = new Set(["naming:file", "test-file", "test-location"]);

export function checkChangeSet(profile: Profile, changeSet: ChangeSet, options: CheckOptions = {}): Promise<CheckResult> {
  return checkAdded(profile, addedFromChangeSet(changeSet), options);
}

export async function checkPatch(
  profile: Profile,
  patch: string,
  options: CheckOptions & { readOriginal?: (path: string) => string | null } = {},
): Promise<CheckResult | { error: string }> {
  const added = addedFromPatch(patch, options.readOriginal);
  return added.ok ? checkAdded(profile, added.files, options) : { error: added.error };
}

export async function checkAdded(profile: Profile, files: readonly AddedCode[], options: CheckOptions = {}): Promise<CheckResult> {
  const context = new CheckContext(profile, options.disabled ?? new Set());
  for (const file of files) {
    const recorder = new ObservationRecorder();
    const family = await extractFeatures(file.path, file.text, recorder);
    if (!family || !profile.families[family]) continue;
    // An error class the change itself defines is the repository's own from now on, not a stranger to it.
    const defined = new Set(recorder.observations.filter((observation) => observation.key === "naming:class").map((observation) => observation.detail));
    // Test code names its throwaway values and types after the cases it tests: its identifiers are not judged.
    const isTest = testFilePattern(file.path, family) !== null;
    for (const observation of recorder.observations) {
      if (!file.added.has(observation.line) || (fileKeys.has(observation.key) && !file.created)) continue;
      if (observation.key === "throws" && defined.has(observation.value.split(".").pop())) continue;
      if (isTest && observation.key.startsWith("naming:") && observation.key !== "naming:file") continue;
      context.observe(file.path, family, observation);
    }
  }
  return context.result();
}

class CheckContext {
  private readonly statements = new Map<string, Statement>();
  private readonly usage = new Map<Family, GroupUsage[]>();
  private readonly found = new Map<string, Flag>();
  /** path and statement id → how many added observations follow and break it, for conventions judged as a whole. */
  private readonly votes = new Map<string, { follow: number; break: number }>();
  private readonly localModules: ReadonlySet<string>;

  constructor(
    private readonly profile: Profile,
    private readonly disabled: ReadonlySet<string>,
  ) {
    for (const statement of profile.statements) this.statements.set(statement.id, statement);
    this.localModules = new Set(profile.localModules);
  }

  observe(path: string, family: Family, observation: Observation): void {
    const flag =
      observation.key === "module" || observation.key === "api" ? this.novelty(family, observation) : this.convention(family, observation);
    if (catalog[observation.key]?.whole) {
      const voteKey = `${path}\0${family}/${observation.key}`;
      const vote = this.votes.get(voteKey) ?? { follow: 0, break: 0 };
      vote[flag ? "break" : "follow"]++;
      this.votes.set(voteKey, vote);
    }
    if (!flag || this.disabled.has(flag.ruleId)) return;
    const key = `${path}\0${flag.ruleId}\0${flag.message}`;
    const seen = this.found.get(key);
    if (seen) seen.lines.push(observation.line);
    else this.found.set(key, { ...flag, path, line: observation.line, lines: [observation.line] });
  }

  /** Flags, less those for a matter of style that most of the file's added code follows. */
  result(): CheckResult {
    const outvoted = (flag: Flag) => {
      const vote = this.votes.get(`${flag.path}\0${flag.ruleId}`);
      return vote !== undefined && vote.break <= vote.follow;
    };
    const all = [...this.found.values()]
      .filter((flag) => !outvoted(flag))
      .map((flag) => ({ ...flag, lines: [...new Set(flag.lines)] }))
      .sort((a, b) => (a.path === b.path ? a.line - b.line : a.path < b.path ? -1 : 1));
    return { flags: all.filter((flag) => flag.severity !== "info"), notes: all.filter((flag) => flag.severity === "info") };
  }

  private convention(family: Family, { key, value, detail }: Observation): Omit<Flag, "path" | "line" | "lines"> | null {
    const spec = catalog[key];
    const statement = this.statements.get(`${family}/${key}`);
    if (!spec?.does || !statement?.enforced) return null;
    const breaks =
      key === "line-length"
        ? statement.value !== "longer" && Number(detail) > Number(statement.value)
        : spec.novelOnly
          ? this.profile.tallies[family]?.[key]?.[value] === undefined
          : value !== statement.value;
    const does = breaks ? spec.does(value, detail, family) : null;
    if (!does) return null;
    const evidence = spec.citeExceptions ? statement.exceptions : statement.evidence;
    const message = statement.declared
      ? `${does}; ${statement.declared} declares that ${statement.text}`
      : `${does}; in this repository ${statement.text}${statement.m === 0 || /\b\d+ of \d+\b/.test(statement.text) ? "" : `: ${statement.n} of ${statement.m}`}${cite(statement, spec.citeExceptions === true)}`;
    return { ruleId: statement.id, severity: statement.declared ? "error" : "warning", message, evidence };
  }

  /** A module or API: an alternative to what the repository uses for the same job (a flag), or new to it (a note). */
  private novelty(family: Family, { key, value }: Observation): Omit<Flag, "path" | "line" | "lines"> | null {
    if (prefixes(value).some((prefix) => this.isLocal(family, prefix))) return null;
    for (const usage of this.groupUsage(family)) {
      const member = memberOf(usage.group, key, value);
      const statement = this.statements.get(`${family}/alternatives:${usage.group.id}`);
      if (!member || !statement?.enforced || usage.members.find((entry) => entry.member === member)!.n > 0) continue;
      const used = usage.members.filter((entry) => entry.n > 0);
      const evidence = used.flatMap((entry) => entry.evidence).slice(0, 3);
      const names = used.map((entry) => entry.member.name).join(" and ");
      const message = `adds ${member.name}, which this repository never uses; it ${usage.group.job} with ${names} (${evidence.join(", ")})`;
      return { ruleId: statement.id, severity: "warning", evidence, message };
    }
    if (this.used(family, key, value)) return null;
    const message = key === "module" ? `imports ${value}, which this repository has never imported` : `uses ${value}, which this repository has never used`;
    return { ruleId: `${family}/new-${key === "module" ? "module" : "api"}`, severity: "info", evidence: [], message };
  }

  private groupUsage(family: Family): GroupUsage[] {
    let usage = this.usage.get(family);
    if (!usage) this.usage.set(family, (usage = groupUsage(this.profile.tallies, family)));
    return usage;
  }

  /** node:fs and fs are one module. */
  private used(family: Family, key: string, value: string): boolean {
    const tally = this.profile.tallies[family]?.[key] ?? {};
    const bare = value.replace(/^node:/, "");
    return tally[value] !== undefined || tally[bare] !== undefined || tally[`node:${bare}`] !== undefined;
  }

  private isLocal(family: Family, module: string): boolean {
    if (family === "go") return this.profile.localModules.some((local) => module === local || module.startsWith(`${local}/`));
    return (family === "python" || family === "java") && this.localModules.has(module);
  }
}

/** Where the repository follows the statement, and where it does not: " (a.py:3, b.py:9; not at c.py:4)". A spec
 *  that cites exceptions (where the repository does do what was added) cites only those. */
function cite(statement: Statement, exceptionsOnly: boolean): string {
  const cited = exceptionsOnly ? statement.exceptions.slice(0, 3).join(", ") : sites(statement);
  return cited ? ` (${cited})` : "";
}
