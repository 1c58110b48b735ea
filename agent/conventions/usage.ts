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
  /** The repository's own thin wrappers around the member (print0 around print) whose calls count as its uses (in
   *  `n` and the evidence; `files` counts the files that use the member itself). */
  through: { name: string; n: number }[];
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
  for (const [wrapped, wrapper] of Object.entries(tallies[family]?.wraps ?? {})) {
    const [name, api] = [wrapped.slice(0, wrapped.indexOf(">")), wrapped.slice(wrapped.indexOf(">") + 1)];
    if (!prefixes(api).some((prefix) => entries.has(prefix))) continue;
    const calls = callsOf(tallies, family, name);
    if (!calls) continue;
    // Logging only: a helper around print or a logger is how a repository logs, while a helper that happens to call
    // os.path.join is not another way of handling paths.
    for (const group of groups.filter((candidate) => candidate.id === "logging")) {
      const member = memberOf(group, "api", api);
      if (!member) continue;
      const files = usage.get(member)?.files ?? wrapper.files;
      add(usage, member, calls);
      usage.get(member)!.through.push({ name, n: calls.n });
      usage.get(member)!.files = files; // the files that call the member itself; the helper's calls are told apart
    }
  }
  const none = (member: Member): MemberUsage => ({ member, n: 0, files: 0, evidence: [], through: [] });
  return groups.map((group) => ({ group, members: group.members.map((member) => usage.get(member) ?? none(member)).sort((a, b) => b.n - a.n) }));
}

/** Calls of a helper by its plain name (defined or relatively imported in the calling file), and through imports
 *  of it from the repository's own modules (`pkg.log.print0`). */
function callsOf(tallies: ProfileTallies, family: Family, name: string): ValueCount | null {
  const calls = tallies[family]?.call ?? {};
  const found = [Object.hasOwn(calls, name) ? calls[name] : undefined, ...Object.entries(tallies[family]?.api ?? {}).filter(([api]) => api.endsWith(`.${name}`)).map(([, count]) => count)];
  const counts = found.filter((count): count is ValueCount => count !== undefined);
  if (counts.length === 0) return null;
  return { n: counts.reduce((sum, count) => sum + count.n, 0), files: Math.max(...counts.map((count) => count.files)), evidence: counts.flatMap((count) => count.evidence).sort(byPathAndLine) };
}

function add(usage: Map<Member, MemberUsage>, member: Member, count: ValueCount): void {
  const entry = usage.get(member) ?? { member, n: 0, files: 0, evidence: [], through: [] };
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
