// The alternatives table (alternatives.json): groups of modules and APIs that do the same job, validated once on
// load, and which member a module or API belongs to. Knows the table, not the repository.
import { z } from "zod";
import type { Family } from "./features";
import table from "./alternatives.json";

const memberSchema = z.object({ name: z.string(), modules: z.array(z.string()).default([]), apis: z.array(z.string()).default([]) });
const groupSchema = z.object({
  id: z.string(),
  family: z.enum(["javascript", "python", "go", "rust", "java"]),
  job: z.string(),
  members: z.array(memberSchema).min(2),
});

export type Member = z.infer<typeof memberSchema>;
export type Group = z.infer<typeof groupSchema>;

export const groups: Group[] = z.object({ groups: z.array(groupSchema) }).parse(table).groups;

export function groupsOf(family: Family): Group[] {
  return groups.filter((group) => group.family === family);
}

/** The member a module (key "module") or API (key "api") belongs to: the one with the longest entry that equals it
 *  or that it extends past a separator (axios → axios/lib; torch.distributed.all_reduce does not match
 *  torch.distributed.all_reduce_coalesced). An API also belongs to its member's modules: axios.get to axios. */
export function memberOf(group: Group, key: string, value: string): Member | null {
  let best: { member: Member; length: number } | null = null;
  for (const member of group.members) {
    const entries = key === "module" ? member.modules : key === "api" ? [...member.apis, ...member.modules] : [];
    for (const entry of entries) {
      if (!extendsEntry(value, entry) || (best && best.length >= entry.length)) continue;
      best = { member, length: entry.length };
    }
  }
  return best?.member ?? null;
}

function extendsEntry(value: string, entry: string): boolean {
  if (value === entry) return true;
  return value.startsWith(entry) && /^[./:]/.test(value.slice(entry.length));
}
