// Statements derived from the workspace's tallies, its declared settings and the feedback so far: one per feature
// key and family (the prevailing value, n of m, evidence, exceptions, whether it is enforced), one per alternatives
// group the repository uses, and one listing its most used modules. Pure: same inputs, same statements.
import { catalog } from "./catalog";
import type { Declared } from "./declared";
import { familyNames, type Family } from "./features";
import { ruleWeight, type Adjustments, type ProfileTallies, type Statement, type ValueCount } from "./profile";
import { lineLimits } from "./text-features";
import { groupUsage, type GroupUsage } from "./usage";

const maxEvidence = 5;

/** `families` counts each family's files. */
export function deriveStatements(
  tallies: ProfileTallies,
  families: Partial<Record<string, number>>,
  declared: readonly Declared[],
  adjustments: Adjustments,
): Statement[] {
  const statements: Statement[] = [];
  for (const family of Object.keys(tallies).sort() as Family[]) {
    const familyTallies = tallies[family]!;
    for (const key of Object.keys(catalog)) {
      const setting = declared.find((entry) => entry.family === family && entry.key === key);
      if (familyTallies[key] || setting) statements.push(featureStatement(family, key, familyTallies[key] ?? {}, setting, adjustments));
    }
    for (const usage of groupUsage(tallies, family)) {
      const statement = alternativesStatement(family, usage, adjustments);
      if (statement) statements.push(statement);
    }
    const modules = modulesStatement(family, familyTallies.module ?? {}, families[family] ?? 0);
    if (modules) statements.push(modules);
  }
  return statements;
}

function featureStatement(family: Family, key: string, tally: Record<string, ValueCount>, setting: Declared | undefined, adjustments: Adjustments): Statement {
  const spec = catalog[key]!;
  const id = `${family}/${key}`;
  const counts = countsWithFeedback(tally, adjustments.observed[id]);
  const m = Object.values(counts).reduce((sum, n) => sum + n, 0);
  const value = setting?.value ?? (key === "line-length" ? lineLimit(counts, m) : prevailing(counts));
  const within = (candidate: string) => (key === "line-length" ? fitsWithin(candidate, value) : candidate === value);
  const n = Object.entries(counts).reduce((sum, [candidate, count]) => sum + (within(candidate) ? count : 0), 0);
  const weight = ruleWeight(adjustments, id);
  const strength = m === 0 ? (setting ? weight : 0) : (n / m) * weight;
  const checkable = spec.does !== undefined && (spec.enforces?.(value) ?? true);
  const enforced = checkable && (setting ? weight >= 0.75 : m >= spec.minCount && strength >= spec.minShare);
  const evidenceOf = (keep: (candidate: string) => boolean) =>
    Object.entries(tally)
      .filter(([candidate]) => keep(candidate))
      .flatMap(([, count]) => count.evidence)
      .slice(0, maxEvidence);
  return {
    id,
    family,
    category: spec.category,
    key,
    value,
    text: spec.says({ value, n, m, family }),
    n,
    m,
    strength,
    enforced,
    declared: setting?.source ?? null,
    evidence: [...(setting ? [setting.source] : []), ...evidenceOf(within)].slice(0, maxEvidence),
    exceptions: evidenceOf((candidate) => !within(candidate)),
  };
}

function countsWithFeedback(tally: Record<string, ValueCount>, observed: Record<string, number> | undefined): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [value, count] of Object.entries(tally)) counts[value] = count.n;
  for (const [value, extra] of Object.entries(observed ?? {})) counts[value] = (counts[value] ?? 0) + extra;
  return counts;
}

/** The most frequent value; ties go to the alphabetically first, so the result does not depend on file order. */
function prevailing(counts: Record<string, number>): string {
  return Object.entries(counts).sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))[0]?.[0] ?? "";
}

/** The smallest common limit that 99% of lines fit in, or "longer". */
function lineLimit(counts: Record<string, number>, m: number): string {
  let within = 0;
  for (const limit of lineLimits) {
    within += counts[String(limit)] ?? 0;
    if (m > 0 && within / m >= catalog["line-length"]!.minShare) return String(limit);
  }
  return "longer";
}

/** Whether a line-length bucket ("80", "100", "120", "longer") lies within a limit ("100", or a declared "88"). */
export function fitsWithin(bucket: string, limit: string): boolean {
  return bucket !== "longer" && (limit === "longer" || Number(bucket) <= Number(limit));
}

function alternativesStatement(family: Family, { group, members }: GroupUsage, adjustments: Adjustments): Statement | null {
  const used = members.filter((usage) => usage.n > 0);
  const top = used[0];
  if (!top) return null;
  const id = `${family}/alternatives:${group.id}`;
  const unused = members.filter((usage) => usage.n === 0).map((usage) => usage.member.name);
  const m = used.reduce((sum, usage) => sum + usage.n, 0);
  const uses = used.map((usage) => `${usage.member.name} (${usage.n} in ${usage.files} ${usage.files === 1 ? "file" : "files"})`);
  return {
    id,
    family,
    category: group.id === "test-framework" ? "tests" : group.id === "logging" ? "logging" : "imports",
    key: `alternatives:${group.id}`,
    value: top.member.name,
    text: `${group.job} with ${uses.join(", ")}${unused.length ? `; never with ${unused.join(", ")}` : ""}`,
    n: top.n,
    m,
    strength: (top.n / m) * ruleWeight(adjustments, id),
    enforced: ruleWeight(adjustments, id) >= 0.75,
    declared: null,
    evidence: top.evidence,
    exceptions: used.slice(1).flatMap((usage) => usage.evidence).slice(0, maxEvidence),
  };
}

/** The most imported modules; n of m is how many of the family's files import the first. */
function modulesStatement(family: Family, modules: Record<string, ValueCount>, files: number): Statement | null {
  const ranked = Object.entries(modules).sort(([a, x], [b, y]) => y.files - x.files || (a < b ? -1 : 1));
  const top = ranked[0];
  if (!top) return null;
  const list = ranked.slice(0, 8).map(([name, count]) => `${name} (${count.files} ${count.files === 1 ? "file" : "files"})`);
  return {
    id: `${family}/modules`,
    family,
    category: "imports",
    key: "modules",
    value: top[0],
    text: `${familyNames[family]} code imports ${ranked.length} modules; most used: ${list.join(", ")}`,
    n: top[1].files,
    m: files,
    strength: files === 0 ? 0 : top[1].files / files,
    enforced: false,
    declared: null,
    evidence: top[1].evidence,
    exceptions: [],
  };
}
