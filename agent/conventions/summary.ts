// Conventions as text: the whole profile for a reader (the CLI), and a short summary of the strongest conventions
// for one file's language, bounded in tokens, for edit and agent prompts. Knows the profile, not the model.
import { catalog, type Category } from "./catalog";
import { familyOf } from "./extract";
import { familyNames, type Family } from "./features";
import type { Profile, Statement } from "./profile";

const categoryOrder: Category[] = ["formatting", "naming", "errors", "imports", "logging", "tests", "types", "docs"];
/** Characters per token for the budget: a cautious estimate for code-like English. */
export const charsPerToken = 3.5;

export function renderProfile(profile: Profile, disabled: ReadonlySet<string> = new Set()): string {
  const families = Object.entries(profile.families).map(([family, count]) => `${familyNames[family as Family]} ${count}`);
  const lines = [`Conventions of ${profile.files} files (${families.join(", ")}). ✓ enforced by the checker, · stated only.`];
  for (const family of Object.keys(profile.families) as Family[]) {
    lines.push("", familyNames[family]);
    for (const category of categoryOrder) {
      const statements = profile.statements.filter((statement) => statement.family === family && statement.category === category);
      if (statements.length === 0) continue;
      lines.push(`  ${category}`);
      for (const statement of statements) lines.push(`    ${renderStatement(statement, disabled)}`);
    }
  }
  if (profile.rules.length > 0) lines.push("", "Rules written in the repository", ...profile.rules.map((rule) => `  ${rule.source}  ${rule.text}`));
  return lines.join("\n");
}

/** Where the code follows the statement, and where it does not: "a.py:3, b.py:9; not at c.py:4" (empty without either). */
export function sites(statement: Statement): string {
  return [statement.evidence.slice(0, 3).join(", "), statement.exceptions.length ? `not at ${statement.exceptions.slice(0, 2).join(", ")}` : ""].filter(Boolean).join("; ");
}

function renderStatement(statement: Statement, disabled: ReadonlySet<string>): string {
  const mark = statement.enforced && !disabled.has(statement.id) ? "✓" : "·";
  const source = statement.declared ? `declared in ${statement.declared}; ` : "";
  const cited = sites(statement);
  const support = statement.support ? `; ${statement.support}` : "";
  return `${mark} ${statement.text} — ${source}${statement.n} of ${statement.m}${cited ? ` (${cited})` : ""}${support}  [${statement.id}]`;
}

/** The strongest enforced conventions for `path`'s language, then the repository's written rules, as a list that
 *  fits in `maxTokens` (estimated at 3.5 characters a token). Empty when nothing fits or nothing is known. */
export function summarize(profile: Profile, options: { path: string; maxTokens: number; disabled?: ReadonlySet<string> }): string {
  const family = familyOf(options.path);
  const disabled = options.disabled ?? new Set();
  const strongest = profile.statements
    .filter((statement) => statement.family === family && statement.enforced && !disabled.has(statement.id) && statement.key !== "modules")
    .sort(byStrength)
    .map((statement) => `- ${statement.text}`);
  const rules = profile.rules.map((rule) => `- ${rule.text} (${rule.source})`);
  const header = "Conventions of this repository:";
  const budget = Math.floor(options.maxTokens * charsPerToken);
  const kept: string[] = [];
  let used = header.length;
  for (const line of [...strongest, ...rules]) {
    if (used + 1 + line.length > budget) continue;
    kept.push(line);
    used += 1 + line.length;
  }
  return kept.length === 0 ? "" : [header, ...kept].join("\n");
}

/** Declared settings first, then by strength, then by category (formatting before docs). */
function byStrength(a: Statement, b: Statement): number {
  const declared = Number(b.declared !== null) - Number(a.declared !== null);
  const category = (statement: Statement) => categoryOrder.indexOf(catalog[statement.key]?.category ?? statement.category);
  return declared || b.strength - a.strength || category(a) - category(b);
}

/** The summary for the workspace's main language, for the agent, which works across files. */
export function summarizeWorkspace(profile: Profile, maxTokens: number, disabled: ReadonlySet<string> = new Set()): string {
  const sample: Record<string, string> = { javascript: "x.ts", python: "x.py", go: "x.go", rust: "x.rs", java: "x.java" };
  const [main] = Object.entries(profile.families).sort(([, a], [, b]) => b - a)[0] ?? [];
  return main && sample[main] ? summarize(profile, { path: sample[main], maxTokens, disabled }) : "";
}
