// How much a repository uses each member of each alternatives group, from its module and API tallies. Lookups go
// through an index of the table's entries, so a workspace with tens of thousands of distinct APIs stays fast.
import { groupsOf, memberOf, type Group, type Member } from "./alternatives";
import type { Family } from "./features";
import type { ProfileTallies, ValueCount } from "./profile";

export interface MemberUsage {
  member: Member;
  n: number;
  files: number;
  evidence: string[];
}

export interface GroupUsage {
  group: Group;
  /** Every member, most used first. */
  members: MemberUsage[];
}

/** Prefixes of a module or API at its separators, longest first: "a/b.c" → a/b.c, a/b, a. */
export function prefixes(value: string): string[] {
  const found = [value];
  for (let index = value.length - 1; index > 0; index--) if ("./:".includes(value[index]!) && !"./:".includes(value[index - 1]!)) found.push(value.slice(0, index));
  return found;
}

export function groupUsage(tallies: ProfileTallies, family: Family): GroupUsage[] {
  const groups = groupsOf(family);
  const entries = new Set(groups.flatMap((group) => group.members.flatMap((member) => [...member.modules, ...member.apis])));
  const usage = new Map<Member, MemberUsage>();
  for (const key of ["module", "api"]) {
    for (const [value, count] of Object.entries(tallies[family]?.[key] ?? {})) {
      if (!prefixes(value).some((prefix) => entries.has(prefix))) continue;
      for (const group of groups) {
        const member = memberOf(group, key, value);
        if (member) add(usage, member, count);
      }
    }
  }
  const none = (member: Member): MemberUsage => ({ member, n: 0, files: 0, evidence: [] });
  return groups.map((group) => ({ group, members: group.members.map((member) => usage.get(member) ?? none(member)).sort((a, b) => b.n - a.n) }));
}

function add(usage: Map<Member, MemberUsage>, member: Member, count: ValueCount): void {
  const entry = usage.get(member) ?? { member, n: 0, files: 0, evidence: [] };
  entry.n += count.n;
  entry.files = Math.max(entry.files, count.files);
  entry.evidence = [...new Set([...entry.evidence, ...count.evidence])].sort(byPathAndLine).slice(0, 3);
  usage.set(member, entry);
}

/** Evidence order: by path, then by line number ("a.ts:9" before "a.ts:10"). */
export function byPathAndLine(a: string, b: string): number {
  const [pathA, lineA] = splitEvidence(a);
  const [pathB, lineB] = splitEvidence(b);
  return pathA === pathB ? lineA - lineB : pathA < pathB ? -1 : 1;
}

function splitEvidence(evidence: string): [string, number] {
  const at = evidence.lastIndexOf(":");
  return [evidence.slice(0, at), Number(evidence.slice(at + 1))];
}
