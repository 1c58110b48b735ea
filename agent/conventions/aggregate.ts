// Per-file tallies summed into the workspace's tallies, with evidence taken in path order. Re-summing the kept
// per-file counts is how one file's change reaches the totals: no other file is read or parsed again.
import { catalog } from "./catalog";
import type { FileFeatures, Family } from "./features";
import type { ProfileTallies, ValueCount } from "./profile";

/** Evidence kept per value: a few for conventions, fewer for each of the many modules and APIs. */
const evidenceLimit = (key: string) => (key === "module" || key === "api" ? 2 : 5);

export function aggregate(files: ReadonlyMap<string, FileFeatures>): { tallies: ProfileTallies; families: Partial<Record<Family, number>> } {
  const tallies: ProfileTallies = {};
  const families: Partial<Record<Family, number>> = {};
  for (const path of [...files.keys()].sort()) {
    const { family, tallies: fileTallies } = files.get(path)!;
    families[family] = (families[family] ?? 0) + 1;
    const familyTallies = (tallies[family] ??= {});
    for (const key in fileTallies) {
      if (catalog[key]?.whole) addMajority(familyTallies, key, fileTallies[key]!, path);
      // Values are names from code ("constructor", "toString"): tallies have no prototype to collide with.
      const total = (familyTallies[key] ??= Object.create(null) as Record<string, ValueCount>);
      const limit = evidenceLimit(key);
      const tally = fileTallies[key]!;
      for (const value in tally) {
        const [n, ...lines] = tally[value]!;
        const count: ValueCount = (total[value] ??= { n: 0, files: 0, evidence: [] });
        count.n += n!;
        count.files += 1;
        for (const line of lines.sort((a, b) => a - b)) if (count.evidence.length < limit) count.evidence.push(`${path}:${line}`);
      }
    }
  }
  return { tallies, families };
}

/** The key under which files are counted by the value most of their own observations of `key` show. */
export const byFile = (key: string): string => `${key}#files`;

/** A matter of style is judged file by file (the checker flags a change that mostly breaks it), so it is also
 *  counted file by file: a few big files in one style must not make a convention of it that most files do not keep. */
function addMajority(familyTallies: ProfileTallies[string], key: string, tally: Record<string, number[]>, path: string): void {
  const value = prevailing(Object.fromEntries(Object.entries(tally).map(([candidate, [n]]) => [candidate, n!])));
  if (!value) return;
  const line = tally[value]![1];
  const total = (familyTallies[byFile(key)] ??= Object.create(null) as Record<string, ValueCount>);
  const count = (total[value] ??= { n: 0, files: 0, evidence: [] });
  count.n += 1;
  count.files += 1;
  if (count.evidence.length < evidenceLimit(key) && line !== undefined) count.evidence.push(`${path}:${line}`);
}

/** The most frequent value; ties go to the alphabetically first, so the result does not depend on file order. */
export function prevailing(counts: Record<string, number>): string {
  return Object.entries(counts).sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))[0]?.[0] ?? "";
}
