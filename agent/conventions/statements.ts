// Statements derived from the workspace's tallies, its declared settings and the feedback so far: one per feature
// key and family (the prevailing value, n of m, evidence, exceptions, whether it is enforced), one per alternatives
// group the repository uses, and one listing its most used modules. Pure: same inputs, same statements.
import { byFile, prevailing } from "./aggregate";
import { catalog, type FeatureSpec } from "./catalog";
import type { Declared } from "./declared";
import { familyNames, type Family } from "./features";
import { keepsRule, ruleWeight, type Adjustments, type ProfileTallies, type Statement, type ValueCount } from "./profile";
import { filesNeeded, supported } from "./support";
import { lineLimits } from "./text-features";
import { groupUsage, type GroupUsage } from "./usage";

/** The share of files a mined convention must hold with 95% confidence to be enforced. */
const fileShare = 0.8;
const maxEvidence = 5;

/** How many observations a tally holds, all values together. */
const observations = (tally: Record<string, ValueCount>): number => Object.values(tally).reduce((sum, count) => sum + count.n, 0);

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
      if (familyTallies[key] || setting || absentHolds(key, familyTallies)) statements.push(featureStatement(family, key, familyTallies[key] ?? {}, setting, adjustments, familyTallies));
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

/** For a matter of style: whether the files that mostly show `value` are at least the spec's share of the files that
 *  show the key at all (nothing to count, for other specs: kept). */
function keptByFiles(spec: FeatureSpec, value: string, files: Record<string, ValueCount> | undefined): boolean {
  if (!spec.whole || !files) return true;
  const total = observations(files);
  return total === 0 || (files[value]?.n ?? 0) / total >= spec.minShare;
}

/** Whether a spec with `absent` is stated for a family that shows none of its key. */
function absentHolds(key: string, familyTallies: Record<string, Record<string, ValueCount>>): boolean {
  const absent = catalog[key]!.absent;
  if (!absent || familyTallies[key]) return false;
  return observations(familyTallies[absent.basis] ?? {}) >= absent.minCount;
}

function featureStatement(
  family: Family,
  key: string,
  tally: Record<string, ValueCount>,
  setting: Declared | undefined,
  adjustments: Adjustments,
  familyTallies: Record<string, Record<string, ValueCount>>,
): Statement {
  const spec = catalog[key]!;
  const id = `${family}/${key}`;
  const counts = countsWithFeedback(tally, adjustments.observed[id]);
  const m = Object.values(counts).reduce((sum, n) => sum + n, 0);
  const absent = m === 0 && !setting && absentHolds(key, familyTallies);
  const value = setting?.value ?? (absent ? spec.absent!.value : key === "line-length" ? lineLimit(counts, m) : prevailing(counts));
  // Lines past every limit are counted as themselves: "run past 120 characters" is n of m lines that do.
  const within = (candidate: string) => (key === "line-length" && value !== "longer" ? fitsWithin(candidate, value) : candidate === value);
  const n = Object.entries(counts).reduce((sum, [candidate, count]) => sum + (within(candidate) ? count : 0), 0);
  const weight = ruleWeight(adjustments, id);
  const strength = m === 0 ? (setting || absent ? weight : 0) : (n / m) * weight;
  const checkable = spec.does !== undefined && (spec.enforces?.(value) ?? true);
  const files = absent ? { keep: basisFiles(familyTallies[spec.absent!.basis] ?? {}), broken: 0 } : fileSupport(spec, tally, within, familyTallies[byFile(key)], value);
  const strong =
    !spec.declaredOnly && m >= spec.minCount && strength >= spec.minShare && files.broken <= (spec.maxExceptionFiles ?? Infinity) && keptByFiles(spec, value, familyTallies[byFile(key)]);
  // The gate: a mined convention is enforced only with enough files behind it (support.ts); a declared setting
  // needs none. 0.8 rather than the spec's share: at 0.9 even 25 files with no exception would be needed, which
  // leaves most small repositories' clear habits unenforced (measured in bench/conventions-precision.ts).
  const enough = supported(files.keep, files.broken, fileShare);
  // A mined convention that passes every other test: the gate decides it, and its support says how.
  const gated = !setting && checkable && (strong || absent) && keepsRule(weight);
  const enforced = setting ? checkable && keepsRule(weight) : gated && enough;
  const support = !gated
    ? undefined
    : enough
      ? `enforced: ${files.keep} of ${files.keep + files.broken} files keep it`
      : `not enforced: too few examples (${files.keep} of ${files.keep + files.broken} files; ${filesNeeded(fileShare, files.broken)} would show it)`;
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
    // A declared setting's words are the setting's: always, whatever the code shows (its n of m are beside it).
    text: spec.says(setting ? { value, n: 1, m: 1, family } : { value, n, m, family }),
    n,
    m,
    strength,
    enforced,
    ...(support ? { support } : {}),
    declared: setting?.source ?? null,
    evidence: [...(setting ? [setting.source] : []), ...evidenceOf(within)].slice(0, maxEvidence),
    exceptions: evidenceOf((candidate) => !within(candidate)),
  };
}

/** Files that keep the convention and files that break it: for a matter of style, by the value most of each file's
 *  own observations show; otherwise the files showing a value within it, and those showing one outside it. */
function fileSupport(
  spec: FeatureSpec,
  tally: Record<string, ValueCount>,
  within: (candidate: string) => boolean,
  byFiles: Record<string, ValueCount> | undefined,
  value: string,
): { keep: number; broken: number } {
  if (spec.whole && byFiles) {
    const total = observations(byFiles);
    const keep = Object.entries(byFiles).reduce((sum, [candidate, count]) => sum + (within(candidate) || candidate === value ? count.n : 0), 0);
    return { keep, broken: total - keep };
  }
  const entries = Object.entries(tally);
  const broken = entries.reduce((sum, [candidate, count]) => sum + (within(candidate) ? 0 : count.files), 0);
  // A file can show several values within the convention: the most files any one shows is the fewest that keep it.
  const keep = Math.max(0, ...entries.filter(([candidate]) => within(candidate)).map(([, count]) => count.files));
  return { keep, broken };
}

/** The fewest files that show a key at all: the most files any one of its values shows. */
const basisFiles = (tally: Record<string, ValueCount>): number => Math.max(0, ...Object.values(tally).map((count) => count.files));

function countsWithFeedback(tally: Record<string, ValueCount>, observed: Record<string, number> | undefined): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [value, count] of Object.entries(tally)) counts[value] = count.n;
  for (const [value, extra] of Object.entries(observed ?? {})) counts[value] = (counts[value] ?? 0) + extra;
  return counts;
}

/** The smallest common limit that 99% of lines fit in; else the widest limit, when most lines fit in it (stated, not
 *  enforced); "longer" only when most lines run past every limit. */
function lineLimit(counts: Record<string, number>, m: number): string {
  let within = 0;
  for (const limit of lineLimits) {
    within += counts[String(limit)] ?? 0;
    if (m > 0 && within / m >= catalog["line-length"]!.minShare) return String(limit);
  }
  return m > 0 && within / m >= 0.5 ? String(lineLimits[lineLimits.length - 1]) : "longer";
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
  const uses = used.map((usage) => {
    const direct = usage.n - usage.through.reduce((sum, wrapper) => sum + wrapper.n, 0);
    const through = usage.through.map((wrapper) => `, and ${wrapper.n} ${wrapper.n === 1 ? "use" : "uses"} of its own ${wrapper.name}`).join("");
    return `${usage.member.name} (${direct} in ${usage.files} ${usage.files === 1 ? "file" : "files"}${through})`;
  });
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
    enforced: keepsRule(ruleWeight(adjustments, id)),
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
