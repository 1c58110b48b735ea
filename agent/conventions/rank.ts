// Autocomplete's check: does a completion candidate break a strong formatting convention (quotes, semicolons,
// indentation)? A penalty (the summed strengths of the conventions it breaks) lets autocomplete drop or rank it
// down. Lexical, no parse: it runs per candidate on the completion path, and a candidate is rarely whole code.
import { familyOf } from "./extract";
import type { Profile, Statement } from "./profile";
import { indentStep } from "./text-features";

export interface CompletionFlag {
  ruleId: string;
  message: string;
  /** 0-based line within the completion. */
  line: number;
}

export interface CompletionRank {
  /** 0 when the candidate follows the conventions; each broken one adds its strength (0..1]. */
  penalty: number;
  flags: CompletionFlag[];
}

export interface RankOptions {
  /** The text before the cursor on its line: its indentation is where the completion's first line starts. */
  linePrefix?: string;
  disabled?: ReadonlySet<string>;
}

export function rankCompletion(profile: Profile, path: string, completionText: string, options: RankOptions = {}): CompletionRank {
  const family = familyOf(path);
  const enforced = (key: string) =>
    profile.statements.find((statement) => statement.id === `${family}/${key}` && statement.enforced && !options.disabled?.has(statement.id));
  const flags: (CompletionFlag & { strength: number })[] = [];
  const add = (statement: Statement, message: string, line: number) => flags.push({ ruleId: statement.id, message, line, strength: statement.strength });
  const lines = completionText.split("\n");
  const quotes = enforced("quotes");
  if (quotes && (family === "javascript" || family === "python")) {
    for (const literal of stringLiterals(completionText, family)) {
      if (literal.quote !== quotes.value) add(quotes, `uses ${literal.quote} quotes; strings here use ${quotes.value} quotes`, literal.line);
    }
  }
  const semicolons = enforced("semicolons");
  if (semicolons && family === "javascript") {
    lines.slice(0, -1).forEach((line, index) => {
      const ending = statementEnding(line, lines[index + 1] ?? "");
      if (ending && ending !== semicolons.value) add(semicolons, ending === "with" ? "ends a statement with a semicolon" : "leaves out a semicolon", index);
    });
  }
  const indent = enforced("indent");
  if (indent) {
    let previous = /^[ \t]*/.exec(options.linePrefix ?? "")![0];
    lines.forEach((line, index) => {
      if (index === 0 || line.trim() === "") return;
      const current = /^[ \t]*/.exec(line)![0];
      const step = indentStep(previous, current);
      if (step && step !== indent.value) add(indent, `indents by ${step}; indentation here is ${indent.value}`, index);
      previous = current;
    });
  }
  return { penalty: flags.reduce((sum, flag) => sum + flag.strength, 0), flags: flags.map(({ strength: _, ...flag }) => flag) };
}

interface Literal {
  quote: "single" | "double";
  line: number;
}

/** Quoted strings outside comments and template literals; a string holding the other quote, or cut off by the end
 *  of the candidate, says nothing. Python's triple-quoted strings are skipped. */
function stringLiterals(text: string, family: "javascript" | "python"): Literal[] {
  const found: Literal[] = [];
  let line = 0;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (char === "\n") line++;
    else if ((family === "javascript" && text.startsWith("//", index)) || (family === "python" && char === "#")) index = skipTo(text, index, "\n") - 1;
    else if (family === "javascript" && text.startsWith("/*", index)) index = skipTo(text, index + 2, "*/") + 1;
    else if (family === "javascript" && char === "`") index = skipTo(text, index + 1, "`");
    else if (family === "python" && (text.startsWith('"""', index) || text.startsWith("'''", index))) index = skipTo(text, index + 3, char.repeat(3)) + 2;
    else if (char === '"' || char === "'") {
      const end = closingQuote(text, index);
      if (end === -1) return found;
      const other = char === '"' ? "'" : '"';
      if (!text.slice(index + 1, end).includes(other)) found.push({ quote: char === '"' ? "double" : "single", line });
      index = end;
    }
  }
  return found;
}

function skipTo(text: string, from: number, end: string): number {
  const at = text.indexOf(end, from);
  return at === -1 ? text.length : at;
}

/** The matching unescaped quote on the same line, or -1. */
function closingQuote(text: string, start: number): number {
  for (let index = start + 1; index < text.length; index++) {
    const char = text[index];
    if (char === "\\") index++;
    else if (char === text[start]) return index;
    else if (char === "\n") return -1;
  }
  return -1;
}

const simpleStatement = /^\s*(const|let|var|return|throw|import|export\s+(const|let|default)|[\w$.]+\s*(=|\+=|-=)[^=>]|[\w$.]+\(.*\)$)/;

/** Whether a complete line ends a simple statement with or without its semicolon; null when it cannot tell (a
 *  block opens, brackets stay open, the next line continues the expression, a `for` header). */
function statementEnding(line: string, next: string): "with" | "without" | null {
  const code = withoutLineComment(line).trimEnd();
  if (!simpleStatement.test(code) || /^\s*for\b/.test(code) || /^\s*[.?:+\-*/&|,)=]/.test(next)) return null;
  const opened = (code.match(/[([{]/g) ?? []).length - (code.match(/[)\]}]/g) ?? []).length;
  if (opened !== 0) return null;
  if (code.endsWith(";")) return "with";
  return /[\w$)\]'"`]$/.test(code) ? "without" : null;
}

/** The line up to a `//` comment that is not inside a string. */
function withoutLineComment(line: string): string {
  let quote: string | null = null;
  for (let index = 0; index < line.length; index++) {
    const char = line[index]!;
    if (quote) {
      if (char === "\\") index++;
      else if (char === quote) quote = null;
    } else if (char === '"' || char === "'" || char === "`") quote = char;
    else if (line.startsWith("//", index)) return line.slice(0, index);
  }
  return line;
}
