// Runs one validated tool call and returns what the model sees next. The reading tools live here; changes and
// commands have their own files. Every action passes the gate (policy, audit, approval) first, and every failure
// at the edge (no such file, a binary file, a bad pattern, a path the system refuses) becomes an observation, never
// a crash.
import { decode } from "../../diffing/text-format";
import { decide } from "../autonomy";
import { runChangeTool } from "./change-tools";
import { runCommandTool } from "./command-tool";
import { gate, observe, type ToolContext, type ToolResult } from "./context";
import type { ToolCall } from "./schemas";

const maxListed = 500;
const maxHits = 100;
const maxShownLines = 400;
const maxShownChars = 40_000;

export async function runTool(call: ToolCall, context: ToolContext): Promise<ToolResult> {
  await context.audit({ event: "call", step: context.step, tool: call.tool, args: call.args });
  const result = await dispatch(call, context).catch(systemError(call));
  const summary = result.kind === "finished" ? result.summary : result.text.split("\n", 1)[0]!.slice(0, 200);
  await context.audit({ event: "result", step: context.step, summary, checkpoint: result.kind === "observation" ? (result.checkpoint ?? null) : null });
  return result;
}

/** The model's arguments reach the file system and the kernel, which refuse some with an errno: a name too long
 *  (ENAMETOOLONG), a path through a file (ENOTDIR), a loop of links (ELOOP), no permission (EACCES). Those are
 *  the model's to handle, so they come back as observations; anything else is a bug and stays a crash. */
function systemError(call: ToolCall) {
  return (error: unknown): ToolResult => {
    const { code, syscall, message } = error as NodeJS.ErrnoException;
    if (typeof code !== "string" || typeof syscall !== "string") throw error;
    return observe(`${call.tool} failed: ${message}`);
  };
}

function dispatch(call: ToolCall, context: ToolContext): Promise<ToolResult> {
  switch (call.tool) {
    case "read_file":
      return readFile(call.args, context);
    case "list_files":
      return listFiles(call.args.path, context);
    case "search":
      return search(call.args, context);
    case "edit_file":
    case "create_file":
    case "delete_file":
      return runChangeTool(call, context);
    case "run_command":
      return runCommandTool(call, context);
    case "ask_user":
      return askUser(call.args.question, context);
    case "finish":
      return Promise.resolve({ kind: "finished", summary: call.args.summary });
  }
}

async function askUser(question: string, context: ToolContext): Promise<ToolResult> {
  const answer = context.askUser ? await context.askUser(question, context.signal) : null;
  return observe(answer === null ? "No one can answer questions in this session; decide yourself, or finish and say what you need." : `The user answered: ${answer}`);
}

/** Locates the path and passes the read gate; the located path, or the observation that ends the call. */
async function readable(path: string, context: ToolContext): Promise<{ path: string } | ToolResult> {
  const located = await context.workspace.locate(path);
  const action = { kind: "read" as const, path: located.ok ? located.path : path, outside: located.ok ? null : located.reason };
  const gated = await gate(action, context, (reason) => ({ kind: "read", reason, path }));
  if (gated !== "go") return gated;
  if (!located.ok) throw new Error(`a read outside the workspace passed the gate: ${path}`);
  return { path: located.path };
}

async function readFile(args: { path: string; start_line?: number; end_line?: number }, context: ToolContext): Promise<ToolResult> {
  const target = await readable(args.path, context);
  if ("kind" in target) return target;
  if (target.path === ".") return observe(`${args.path} is the workspace folder, not a file; list_files shows what it holds`);
  const read = await context.workspace.read(target.path);
  if (read.kind !== "file") return observe(`${target.path}: ${read.kind === "missing" ? "no such file" : `can not be read (${read.reason})`}`);
  const decoded = decode(read.bytes);
  if (decoded.kind === "unsupported") return observe(`${target.path}: ${decoded.reason}`);
  const lines = decoded.text.split("\n").slice(0, -1);
  const first = Math.max(1, args.start_line ?? 1);
  const last = Math.min(lines.length, args.end_line ?? lines.length, first + maxShownLines - 1);
  let shown = lines.slice(first - 1, last).map((line, index) => `${String(first + index).padStart(5)}  ${line}`).join("\n");
  if (shown.length > maxShownChars) shown = `${shown.slice(0, maxShownChars)}…`;
  const range = first === 1 && last === lines.length ? `${lines.length} lines` : `lines ${first}-${last} of ${lines.length}; read more with start_line`;
  return observe(`${target.path} (${range}):\n${shown}`);
}

async function listFiles(path: string, context: ToolContext): Promise<ToolResult> {
  const target = await readable(path, context);
  if ("kind" in target) return target;
  const listed = await context.workspace.list(target.path, maxListed);
  if (listed === null) return observe(`${target.path}: no such folder`);
  const { paths, truncated, skipped } = listed;
  const more = truncated ? `\n(only the first ${maxListed}; list a subfolder for more)` : "";
  return observe((paths.length === 0 ? `${target.path}: no files` : `${paths.join("\n")}${more}`) + unreadNote(skipped));
}

async function search(args: { query: string; kind: "text" | "symbol"; path: string }, context: ToolContext): Promise<ToolResult> {
  const target = await readable(args.path, context);
  if ("kind" in target) return target;
  const query = args.kind === "text" && !isRegExp(args.query) ? args.query.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") : args.query;
  const { hits, skipped, stopped } = await context.workspace.search({ kind: args.kind, query, dir: target.path }, maxHits);
  // A hit inside a protected file (.env, a key) would show its secret without the read being asked for.
  const shown = hits.filter((hit) => decide({ kind: "read", path: hit.path, outside: null }, context.level, context.rules).verdict === "allow");
  const hidden = hits.length - shown.length;
  const lines = shown.map((hit) => `${hit.path}:${hit.line}: ${hit.text}`);
  if (hidden > 0) lines.push(hidden === 1 ? "(1 hit in a protected file not shown)" : `(${hidden} hits in protected files not shown)`);
  if (stopped) lines.push(`(the search stopped early: ${stopped})`);
  return observe((lines.length === 0 ? `no ${args.kind === "symbol" ? "definition of" : "match for"} ${args.query}` : lines.join("\n")) + unreadNote(skipped));
}

/** What a walk or a search could not read: said, so "no match" is not taken for "nothing there". */
function unreadNote(skipped: readonly string[]): string {
  if (skipped.length === 0) return "";
  const shown = skipped.slice(0, 10).join(", ");
  return `\n(could not read ${skipped.length === 1 ? "" : `${skipped.length}: `}${shown}${skipped.length > 10 ? ", …" : ""})`;
}

function isRegExp(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}
