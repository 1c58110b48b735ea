// What every language's extractor shares: the file being read, its captures grouped by role, and the features
// recorded the same way everywhere (names, trailing commas, try blocks per function, doc comments, comment lines).
import type { Node } from "web-tree-sitter";
import type { Family, Recorder } from "../features";
import { caseStyle, type CaseStyle } from "../naming";

export interface SourceFile {
  path: string;
  /** The grammar: typescript, tsx, javascript, python, go, rust or java. */
  languageId: string;
  family: Family;
  isTest: boolean;
  recorder: Recorder;
}

/** Capture name → captured nodes, in document order. */
export type Captures = Map<string, Node[]>;

export const lineOf = (node: Node): number => node.startPosition.row + 1;

export function nodes(captures: Captures, name: string): Node[] {
  return captures.get(name) ?? [];
}

export function recordName(file: SourceFile, kind: string, name: string, line: number, style: CaseStyle | string | null = caseStyle(name)): void {
  if (style === "UPPER_CASE" && kind !== "constant" && isAcronym(name)) return;
  if (style) file.recorder.add(`naming:${kind}`, style, line, name);
}

/** One all-capitals word (`MLP`, `IO`, `URL`) is an acronym: in PascalCase and in UPPER_CASE alike, so a class,
 *  type or function named so says nothing about either style. */
const isAcronym = (name: string) => /^[A-Z][A-Z0-9]+$/.test(name.replace(/^[_$]+|[_$]+$/g, ""));

const closers = new Set([")", "]", "}"]);

/** For a bracketed list whose closing bracket sits on its own line: whether the last element has a comma after it. */
export function recordTrailingComma(file: SourceFile, key: string, list: Node): void {
  if (list.startPosition.row === list.endPosition.row) return;
  const children = list.children.filter((child): child is Node => child !== null && !child.type.includes("comment"));
  const close = children[children.length - 1];
  const last = children[children.length - 2];
  if (!close || !last || children.length < 3 || !closers.has(close.type)) return;
  if (close.startPosition.row === last.endPosition.row) return;
  const element = last.type === "," ? children[children.length - 3]! : last;
  file.recorder.add(key, last.type === "," ? "with" : "without", element.endPosition.row + 1);
}

/** Per function: whether it contains a try block that handles errors ("with try" at the first one's line) or not
 *  (at the function's line). `tries` are the try statements that have a handler: a try/finally only cleans up, and
 *  is not defensive. A try outside every function (an optional import, a script's top level) is about no
 *  function, so it is not counted. `isFunction` tells function nodes by type. */
export function recordTries(file: SourceFile, functions: Node[], tries: Node[], isFunction: (type: string) => boolean): void {
  const firstTry = new Map<number, number>();
  for (const block of tries) {
    let owner = block.parent;
    while (owner && !isFunction(owner.type)) owner = owner.parent;
    if (owner && !firstTry.has(owner.id)) firstTry.set(owner.id, lineOf(block));
  }
  for (const fn of functions) {
    const tryLine = firstTry.get(fn.id);
    file.recorder.add("function-try", tryLine === undefined ? "without try" : "with try", tryLine ?? lineOf(fn));
  }
}

/** Whether a comment ends on the line just above `node` (skipping attributes and decorators between them). */
export function commentAbove(node: Node, isDoc: (comment: Node) => boolean = () => true): boolean {
  let previous = node.previousSibling;
  let row = node.startPosition.row;
  while (previous && (previous.type === "attribute_item" || previous.type === "decorator") && lastRow(previous) === row - 1) {
    row = previous.startPosition.row;
    previous = previous.previousSibling;
  }
  return previous !== null && previous.type.includes("comment") && lastRow(previous) === row - 1 && isDoc(previous);
}

/** The last row a node covers: a Rust `///` comment ends at column 0 of the next row, past its newline. */
const lastRow = (node: Node) => (node.endPosition.column === 0 && node.endPosition.row > node.startPosition.row ? node.endPosition.row - 1 : node.endPosition.row);

export function recordDoc(file: SourceFile, documented: boolean, line: number, name: string): void {
  if (!file.isTest) file.recorder.add("doc-comment", documented ? "documented" : "undocumented", line, name);
}

/** Comment lines against code lines, over the file's non-blank lines. */
export function recordCommentLines(file: SourceFile, comments: Node[], lines: string[]): void {
  const commentRows = new Set<number>();
  for (const comment of comments) {
    for (let row = comment.startPosition.row; row <= lastRow(comment); row++) commentRows.add(row);
  }
  lines.forEach((line, row) => {
    if (line.trim() !== "") file.recorder.add("comment-lines", commentRows.has(row) ? "comment" : "code", row + 1);
  });
}

/** A callee or import written as a plain chain of names (`dist.all_reduce`, `std::fs::read`), whitespace removed;
 *  null for anything else (`a().b`, `x[0].y`, `a?.b`). */
export function nameChain(node: Node, separator: "." | "::"): string[] | null {
  const text = node.text.replace(/\s+/g, "");
  return chains[separator].test(text) ? text.split(separator) : null;
}

const chains = { ".": /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/, "::": /^[A-Za-z_$][\w$]*(?:::[A-Za-z_$][\w$]*)*$/ };

/** Calls that only report: print, console.*, a logger's or logging's methods, traceback.print_exc,
 *  printStackTrace, and helpers named like them (print0, log_error). */
const reportingName = /^(print\w*|log\w*|debug|info|warn(ing)?|error|exception|critical|fatal|trace|print_exc|printStackTrace)$/i;
const reportingRoot = /^(console|logger|logging|log|_?log(ger)?|LOG(GER)?|self\.log(ger)?|this\.log(ger)?)$/;

export function onlyReports(call: Node | null | undefined): boolean {
  if (!call || !/call|invocation/.test(call.type)) return false;
  const callee = call.childForFieldName("function") ?? call.childForFieldName("name");
  const chain = callee?.text.replace(/\s+/g, "").split(".") ?? [];
  const last = chain[chain.length - 1] ?? "";
  return reportingName.test(last) || reportingRoot.test(chain.slice(0, -1).join("."));
}

/** A statement that leaves a caught error be: pass, continue, `...`, an empty `;`, or a call that only reports
 *  (each language has only some of these). */
function isQuiet(statement: Node): boolean {
  if (quietTypes.has(statement.type) || statement.text === "...") return true;
  return statement.type === "expression_statement" && onlyReports(statement.namedChildren[0]);
}

const quietTypes = new Set(["pass_statement", "continue_statement", "empty_statement"]);

/** A handler that catches everything (`broad`) and whose body statements only report, pass or continue swallows
 *  the error: "swallows"; every other handler, "handles". `detail` names what it catches. */
export function recordSwallow(file: SourceFile, handler: Node, broad: boolean, statements: Node[], detail: string): void {
  const swallows = broad && statements.every(isQuiet);
  file.recorder.add("swallow", swallows ? "swallows" : "handles", lineOf(handler), detail);
}

/** Statements in a thin wrapper's body at most: a helper that guards or formats, then calls one API. */
const maxWrapperStatements = 3;

/** A call inside a thin wrapper function (`def print0(*a): if rank == 0: print(*a)`: at most 3 statements, and the
 *  call passes on one of the function's parameters) is recorded as
 *  ("wraps", "print0>print"), and a call of a plain name no import or global binds (`print0(...)`) as ("call",
 *  "print0"), so the repository's own helpers count as uses of the API they wrap (usage.ts). `functionName` gives the
 *  name of a function node, null for a node that is not a function. */
export function recordWrapped(file: SourceFile, callee: Node, api: string | null, chain: string[] | null, functionName: (node: Node) => string | null): void {
  const line = lineOf(callee);
  if (api === null) {
    if (chain?.length === 1) file.recorder.add("call", chain[0]!, line, chain[0]);
    return;
  }
  for (let owner = callee.parent; owner; owner = owner.parent) {
    const name = functionName(owner);
    if (name === null) continue;
    if (name === "") return; // an anonymous function wraps nothing a call can name
    const body = owner.childForFieldName("body");
    const thin = body !== null && body.namedChildren.filter((child) => child && !child.type.includes("comment")).length <= maxWrapperStatements;
    if (!thin) return;
    const parameters = new Set((owner.childForFieldName("parameters") ?? owner.childForFieldName("parameter"))?.text.match(/[A-Za-z_$][\w$]*/g) ?? []);
    const args = callee.parent?.childForFieldName("arguments")?.text.match(/[A-Za-z_$][\w$]*/g) ?? [];
    if (args.some((word) => parameters.has(word))) file.recorder.add("wraps", `${name}>${api}`, lineOf(owner), name);
    return;
  }
}
