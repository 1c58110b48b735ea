// The repository's own written rules, quoted: AGENTS.md, CLAUDE.md, .cursorrules, .cursor/rules/*,
// .github/copilot-instructions.md and CONTRIBUTING.md. Each list item or prose line becomes a rule with its
// file:line; CONTRIBUTING.md, mostly about process, gives only lines that tell how to write code. Knows text, not
// what a rule means.
import type { WorkspaceReader } from "./workspace-reader";

export interface Rule {
  /** "AGENTS.md:12" */
  source: string;
  text: string;
}

const instructionFiles = ["AGENTS.md", "CLAUDE.md", ".cursorrules", ".github/copilot-instructions.md"];
const contributingFiles = ["CONTRIBUTING.md", ".github/CONTRIBUTING.md", "docs/CONTRIBUTING.md"];
const maxRulesPerFile = 60;
const maxRuleLength = 240;
const directive = /\b(must|should|never|always|don't|do not|prefer|avoid|use|keep)\b/i;

export async function readRules(reader: WorkspaceReader): Promise<Rule[]> {
  const cursorRules = (await reader.list(".cursor/rules")).filter((name) => /\.mdc?$/.test(name)).sort().map((name) => `.cursor/rules/${name}`);
  const rules: Rule[] = [];
  for (const path of [...instructionFiles, ...cursorRules, ...contributingFiles]) {
    const text = await reader.read(path);
    if (text !== null) rules.push(...quoteRules(path, text, contributingFiles.includes(path)));
  }
  return rules;
}

/** Rule lines of one file: list items and prose, not headings, code blocks, front matter, tables or HTML. */
export function quoteRules(path: string, text: string, directivesOnly: boolean): Rule[] {
  const rules: Rule[] = [];
  const lines = text.split(/\r?\n/);
  let fenced = false;
  let frontMatter = lines[0]?.trim() === "---";
  lines.forEach((line, index) => {
    const trimmed = line.trim();
    if (frontMatter) {
      if (index > 0 && trimmed === "---") frontMatter = false;
      return;
    }
    if (/^(```|~~~)/.test(trimmed)) fenced = !fenced;
    if (fenced || trimmed === "" || /^(```|~~~|#|<|\||---|===)/.test(trimmed)) return;
    const item = trimmed.replace(/^([-*+]|\d+[.)])\s+/, "").replace(/^\[[ x]\]\s+/, "");
    if (directivesOnly && !directive.test(item)) return;
    if (rules.length < maxRulesPerFile) rules.push({ source: `${path}:${index + 1}`, text: clip(item) });
  });
  return rules;
}

const clip = (text: string) => (text.length <= maxRuleLength ? text : `${text.slice(0, maxRuleLength - 1)}…`);
