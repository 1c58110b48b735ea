// Independent measurements for the conventions benchmark's seeded violations: which conventions a repository
// clearly holds is decided from counts taken here, with the TypeScript compiler's own parser for TypeScript and
// JavaScript and with Python's own ast and tokenize modules (conventions-measure.py) for Python, never from Ghost's
// extractors or tallies, so the seeds are not chosen by the code being scored.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";

export interface Measured {
  /** "quote:single", "function:camelCase", "except:broad", "semicolon:with", "indent:2", ... → how many */
  counts: Record<string, number>;
  /** module → files importing it */
  moduleFiles: Record<string, number>;
  /** dotted call name ("console.log", "logging.info") → calls */
  calls: Record<string, number>;
  callFiles: Record<string, number>;
}

export function measurePython(root: string, paths: string[]): Measured {
  const run = spawnSync("python3", [join(__dirname, "conventions-measure.py")], { input: paths.map((path) => join(root, path)).join("\n"), encoding: "utf8", maxBuffer: 1 << 26 });
  if (run.status !== 0) throw new Error(`bench/conventions-measure.py failed on ${root}: ${run.stderr}`);
  return JSON.parse(run.stdout) as Measured;
}

function style(name: string): string | null {
  const bare = name.replace(/^_+|_+$/g, "");
  if (/^[a-z][a-z0-9]*(_[a-z0-9]+)+$/.test(bare)) return "snake_case";
  if (/^[a-z][a-z0-9]*([A-Z][a-z0-9]*)+$/.test(bare)) return "camelCase";
  if (/^[A-Z][a-z0-9]+([A-Z][a-z0-9]*)*$/.test(bare)) return "PascalCase";
  return null; // one lower-case word fits every style
}

function dotted(node: ts.Expression): string | null {
  if (ts.isIdentifier(node)) return node.text;
  if (ts.isPropertyAccessExpression(node)) {
    const base = dotted(node.expression);
    return base ? `${base}.${node.name.text}` : null;
  }
  return null;
}

/** A call that only reports: console.error, logger.warn, debug(...). */
const logging = /^(console|logger|log|debug)\b|\.(log|warn|warning|error|info|debug|trace)$/;

const statementKinds = new Set([
  ts.SyntaxKind.ExpressionStatement,
  ts.SyntaxKind.VariableStatement,
  ts.SyntaxKind.ReturnStatement,
  ts.SyntaxKind.ThrowStatement,
  ts.SyntaxKind.ImportDeclaration,
  ts.SyntaxKind.BreakStatement,
  ts.SyntaxKind.ContinueStatement,
]);

export function measureScript(root: string, paths: string[]): Measured {
  const measured: Measured = { counts: {}, moduleFiles: {}, calls: {}, callFiles: {} };
  const add = (table: Record<string, number>, key: string) => (table[key] = (table[key] ?? 0) + 1);
  for (const path of paths) {
    const text = readFileSync(join(root, path), "utf8");
    const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
    const modules = new Set<string>();
    const calls = new Set<string>();
    const visit = (node: ts.Node): void => {
      if (ts.isStringLiteral(node) && !ts.isJsxAttribute(node.parent)) {
        const raw = node.getText(source);
        if (!raw.slice(1, -1).includes(raw[0] === "'" ? '"' : "'")) add(measured.counts, raw[0] === "'" ? "quote:single" : "quote:double");
      }
      if (ts.isFunctionDeclaration(node) && node.name) {
        const kind = style(node.name.text);
        if (kind && kind !== "PascalCase") add(measured.counts, `function:${kind}`);
      }
      if (ts.isClassDeclaration(node) && node.name) {
        const kind = style(node.name.text);
        if (kind) add(measured.counts, `class:${kind}`);
      }
      if (ts.isFunctionLike(node)) add(measured.counts, "functions");
      if (ts.isCatchClause(node)) {
        add(measured.counts, "catch");
        const onlyLogs = node.block.statements.every(
          (statement) => ts.isExpressionStatement(statement) && ts.isCallExpression(statement.expression) && logging.test(dotted(statement.expression.expression) ?? ""),
        );
        if (onlyLogs) add(measured.counts, "catch:swallows");
      }
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) modules.add(node.moduleSpecifier.text);
      if (ts.isCallExpression(node)) {
        const name = dotted(node.expression);
        if (name === "require" && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) modules.add(node.arguments[0].text);
        else if (name) {
          calls.add(name);
          add(measured.calls, name);
        }
      }
      if (statementKinds.has(node.kind)) add(measured.counts, node.getText(source).endsWith(";") ? "semicolon:with" : "semicolon:without");
      if ((ts.isArrayLiteralExpression(node) || ts.isObjectLiteralExpression(node)) && multiline(node, source)) {
        const elements = ts.isArrayLiteralExpression(node) ? node.elements : node.properties;
        if (elements.length > 0) add(measured.counts, elements.hasTrailingComma ? "trailing-comma:with" : "trailing-comma:without");
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
    for (const module of modules) add(measured.moduleFiles, module);
    for (const call of calls) add(measured.callFiles, call);
    const step = indentStep(text);
    if (step) add(measured.counts, `indent:${step}`);
  }
  return measured;
}

/** A file's indentation step, "tabs", "2" or "4": the smallest even run of leading spaces (odd runs are comment
 *  alignment); null for a file with no indented line. */
export function indentStep(text: string): string | null {
  const widths = text.split("\n").map((line) => /^( +|\t+)\S/.exec(line)?.[1] ?? "").filter(Boolean);
  const spaces = widths.filter((width) => width[0] === " " && width.length % 2 === 0).map((width) => width.length);
  const tabs = widths.filter((width) => width[0] === "\t").length;
  if (tabs > spaces.length) return "tabs";
  return spaces.length > 0 ? (Math.min(...spaces) === 2 ? "2" : "4") : null;
}

function multiline(node: ts.Node, source: ts.SourceFile): boolean {
  return source.getLineAndCharacterOfPosition(node.getStart(source)).line !== source.getLineAndCharacterOfPosition(node.getEnd()).line;
}
