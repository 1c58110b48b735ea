// Settings the repository declares for its formatters and linters, as convention values with their file:line:
// .editorconfig, prettier, eslint, pyproject.toml (black, ruff), .flake8/setup.cfg and rustfmt.toml. A declared
// setting is enforced whatever the code's counts say. Read with patterns, not by running or fully parsing the
// configs: a setting that is not written literally is not seen.
import type { Family } from "./features";
import type { WorkspaceReader } from "./workspace-reader";

export interface Declared {
  family: Family;
  key: string;
  value: string;
  /** "path:line" of the setting. */
  source: string;
}

type Setting = Omit<Declared, "source"> & { line: number };
type Reader = (text: string) => Setting[];

const allFamilies: Family[] = ["javascript", "python", "go", "rust", "java"];
const samples: Record<Family, string[]> = { javascript: ["a.ts", "a.tsx", "a.js", "a.mjs"], python: ["a.py"], go: ["a.go"], rust: ["a.rs"], java: ["a.java"] };

/** Later files win over earlier ones for the same setting: a formatter's own config over .editorconfig. */
const configFiles: [string[], Reader][] = [
  [[".editorconfig"], editorconfig],
  [[".flake8", "setup.cfg", "tox.ini"], (text) => numberSetting(text, /max-line-length\s*=\s*(\d+)/, "python", "line-length")],
  [[".eslintrc", ".eslintrc.json", ".eslintrc.js", ".eslintrc.cjs", ".eslintrc.yml", ".eslintrc.yaml", "eslint.config.js", "eslint.config.mjs", "eslint.config.cjs", "eslint.config.ts"], eslint],
  [["package.json"], (text) => (/"prettier"\s*:\s*\{/.test(text) ? prettier(text) : [])],
  [[".prettierrc", ".prettierrc.json", ".prettierrc.json5", ".prettierrc.yaml", ".prettierrc.yml", ".prettierrc.js", ".prettierrc.cjs", "prettier.config.js", "prettier.config.mjs", "prettier.config.cjs"], prettier],
  [["pyproject.toml"], pyproject],
  [["rustfmt.toml", ".rustfmt.toml"], rustfmt],
];

export async function readDeclared(reader: WorkspaceReader): Promise<Declared[]> {
  const settings = new Map<string, Declared>();
  for (const [paths, read] of configFiles) {
    for (const path of paths) {
      const text = await reader.read(path);
      for (const { line, ...setting } of text === null ? [] : read(text)) settings.set(`${setting.family}/${setting.key}`, { ...setting, source: `${path}:${line}` });
    }
  }
  return [...settings.values()];
}

const lineAt = (text: string, index: number) => text.slice(0, index).split("\n").length;

function find(text: string, pattern: RegExp): { match: RegExpExecArray; line: number } | null {
  const match = pattern.exec(text);
  return match ? { match, line: lineAt(text, match.index) } : null;
}

function numberSetting(text: string, pattern: RegExp, family: Family, key: string): Setting[] {
  const found = find(text, pattern);
  return found ? [{ family, key, value: found.match[1]!, line: found.line }] : [];
}

const spaces = (width: string) => (width === "2" || width === "4" ? `${width} spaces` : null);

/** [glob] sections; a section applies to the families whose sample file names its glob matches. */
export function editorconfig(text: string): Setting[] {
  const settings: Setting[] = [];
  let families: Family[] = [];
  let values: Record<string, { value: string; line: number }> = {};
  const flush = () => settings.push(...sectionSettings(families, values));
  text.split("\n").forEach((raw, index) => {
    const line = raw.trim();
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      flush();
      families = allFamilies.filter((family) => samples[family].some((name) => globMatches(section[1]!, name)));
      values = {};
    }
    const setting = /^([a-z_]+)\s*=\s*(.+)$/.exec(line);
    if (setting) values[setting[1]!] = { value: setting[2]!.trim().toLowerCase(), line: index + 1 };
  });
  flush();
  return settings;
}

function sectionSettings(families: Family[], values: Record<string, { value: string; line: number }>): Setting[] {
  const settings: Setting[] = [];
  const add = (key: string, value: string | null, line: number) => {
    for (const family of value ? families : []) settings.push({ family, key, value: value!, line });
  };
  const { indent_style: style, indent_size: size, max_line_length: length, quote_type: quote } = values;
  if (style?.value === "tab") add("indent", "tabs", style.line);
  else if (size) add("indent", spaces(size.value), size.line);
  if (length && /^\d+$/.test(length.value)) add("line-length", length.value, length.line);
  if (quote && (quote.value === "single" || quote.value === "double")) add("quotes", quote.value, quote.line);
  return settings;
}

function globMatches(glob: string, name: string): boolean {
  const source = glob
    .replace(/[.+^$()|\\]/g, "\\$&")
    .replace(/\{([^}]*)\}/g, (_, options: string) => `(${options.split(",").join("|")})`)
    .replaceAll("**", "\u0000")
    .replaceAll("*", "[^/]*")
    .replaceAll("\u0000", ".*")
    .replaceAll("?", "[^/]");
  return new RegExp(`^${source}$`).test(name);
}

const prettierKey = (key: string) => new RegExp(`["']?${key}["']?\\s*:\\s*["']?(true|false|\\d+|[a-z0-9]+)["']?`);

export function prettier(text: string): Setting[] {
  const settings: Setting[] = [];
  const read = (key: string) => find(text, prettierKey(key));
  const add = (key: string, value: string | null, line: number) => value && settings.push({ family: "javascript", key, value, line });
  const quote = read("singleQuote");
  if (quote) add("quotes", quote.match[1] === "true" ? "single" : "double", quote.line);
  const semi = read("semi");
  if (semi) add("semicolons", semi.match[1] === "false" ? "without" : "with", semi.line);
  const tabs = read("useTabs");
  const width = read("tabWidth");
  if (tabs?.match[1] === "true") add("indent", "tabs", tabs.line);
  else if (width) add("indent", spaces(width.match[1]!), width.line);
  const comma = read("trailingComma");
  if (comma) {
    const value = comma.match[1]!;
    add("trailing-comma", value === "none" ? "without" : "with", comma.line);
    add("trailing-comma-call", value === "all" ? "with" : "without", comma.line);
  }
  const printWidth = read("printWidth");
  if (printWidth) add("line-length", printWidth.match[1]!, printWidth.line);
  return settings;
}

/** A rule's options after its severity: `"quotes": ["error", "single"]`, also under @stylistic/. Off rules are skipped. */
function eslintRule(text: string, name: string): { options: string; line: number } | null {
  const pattern = new RegExp(`["']?(?:@stylistic/(?:js/|ts/)?)?${name}["']?\\s*:\\s*\\[\\s*["']?(?:error|warn|2|1)["']?\\s*,\\s*([^\\]\\n]+)`);
  const found = find(text, pattern);
  return found ? { options: found.match[1]!, line: found.line } : null;
}

export function eslint(text: string): Setting[] {
  const settings: Setting[] = [];
  const add = (key: string, value: string | null | undefined, line: number) => value && settings.push({ family: "javascript", key, value, line });
  const quotes = eslintRule(text, "quotes");
  if (quotes) add("quotes", /single|double/.exec(quotes.options)?.[0], quotes.line);
  const semi = eslintRule(text, "semi");
  if (semi) add("semicolons", /never/.test(semi.options) ? "without" : /always/.test(semi.options) ? "with" : null, semi.line);
  const indent = eslintRule(text, "indent");
  if (indent) add("indent", /tab/.test(indent.options) ? "tabs" : spaces(/\d+/.exec(indent.options)?.[0] ?? ""), indent.line);
  const comma = eslintRule(text, "comma-dangle");
  if (comma) {
    const value = /always|only-multiline/.test(comma.options) ? "with" : /never/.test(comma.options) ? "without" : null;
    add("trailing-comma", value, comma.line);
    add("trailing-comma-call", value, comma.line);
  }
  const maxLength = eslintRule(text, "max-len");
  if (maxLength) add("line-length", /(?:code["']?\s*:\s*)?(\d+)/.exec(maxLength.options)?.[1], maxLength.line);
  return settings;
}

/** black's and ruff's line-length, ruff's quote-style and indent-style. */
export function pyproject(text: string): Setting[] {
  const settings = numberSetting(text, /^line-length\s*=\s*(\d+)/m, "python", "line-length");
  const quote = find(text, /^quote-style\s*=\s*["'](single|double)["']/m);
  if (quote) settings.push({ family: "python", key: "quotes", value: quote.match[1]!, line: quote.line });
  const indent = find(text, /^indent-style\s*=\s*["']tab["']/m);
  if (indent) settings.push({ family: "python", key: "indent", value: "tabs", line: indent.line });
  return settings;
}

export function rustfmt(text: string): Setting[] {
  const settings = numberSetting(text, /^max_width\s*=\s*(\d+)/m, "rust", "line-length");
  const tabs = find(text, /^hard_tabs\s*=\s*true/m);
  const width = find(text, /^tab_spaces\s*=\s*(\d+)/m);
  if (tabs) settings.push({ family: "rust", key: "indent", value: "tabs", line: tabs.line });
  else if (width && spaces(width.match[1]!)) settings.push({ family: "rust", key: "indent", value: spaces(width.match[1]!)!, line: width.line });
  return settings;
}
