// Per-file tallies summed into the workspace's tallies, with evidence taken in path order. Re-summing the kept
// per-file counts is how one file's change reaches the totals: no other file is read or parsed again.
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
      const total = (familyTallies[key] ??= {});
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
