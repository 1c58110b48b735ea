// The agent's tools as data: each one's zod schema for its arguments, and the one-line signature and description
// the system prompt shows the model. Knows nothing about running them (run-tool.ts) or parsing replies.
import { z } from "zod";

// Bounds on what a reply may ask for, so a runaway reply is a format error the model reads, not an E2BIG from the
// kernel or megabytes in the history. A command is one argument of `sh -c`: Linux takes at most 128 KiB per
// argument, which 32 Ki characters of up to 4 UTF-8 bytes stay within. Paths: PATH_MAX is 4096 bytes.
const path = z.string().min(1).max(4096);
const text = z.string().max(1 << 20);
const lineNumber = z.number().int().positive();

export const toolSchemas = {
  read_file: z.strictObject({ path, start_line: lineNumber.optional(), end_line: lineNumber.optional() }),
  list_files: z.strictObject({ path: path.default(".") }),
  search: z.strictObject({ query: z.string().min(1).max(2000), kind: z.enum(["text", "symbol"]).default("text"), path: path.default(".") }),
  edit_file: z.strictObject({ path, search: text.min(1), replace: text }),
  create_file: z.strictObject({ path, content: text }),
  delete_file: z.strictObject({ path }),
  run_command: z.strictObject({ command: z.string().min(1).max(32_768), timeout_s: z.number().positive().max(3600).optional() }),
  ask_user: z.strictObject({ question: z.string().min(1).max(10_000) }),
  finish: z.strictObject({ summary: z.string().max(10_000) }),
};

export type ToolName = keyof typeof toolSchemas;
export type ToolCall = { [Name in ToolName]: { tool: Name; args: z.output<(typeof toolSchemas)[Name]> } }[ToolName];
export const toolNames = Object.keys(toolSchemas) as ToolName[];

/** For the system prompt: `name {"arg": type}` and what the tool does. */
export const toolDocs: Record<ToolName, { signature: string; does: string }> = {
  read_file: { signature: `{"path": string, "start_line"?: number, "end_line"?: number}`, does: "show a file with line numbers" },
  list_files: { signature: `{"path"?: string}`, does: "list the files under a folder" },
  search: { signature: `{"query": string, "kind"?: "text" | "symbol", "path"?: string}`, does: "find lines containing the text (a regular expression), or where a symbol is defined" },
  edit_file: { signature: `{"path": string, "search": string, "replace": string}`, does: "replace the exact lines `search` (they must occur once) with `replace`" },
  create_file: { signature: `{"path": string, "content": string}`, does: "create a new file" },
  delete_file: { signature: `{"path": string}`, does: "delete a file" },
  run_command: { signature: `{"command": string, "timeout_s"?: number}`, does: "run a command line in the workspace folder and show its output" },
  ask_user: { signature: `{"question": string}`, does: "ask the user a question" },
  finish: { signature: `{"summary": string}`, does: "end the task, saying what was done" },
};

export type ParsedArgs = { ok: true; call: ToolCall } | { ok: false; error: string };

/** Validates one call's arguments against its tool's schema; the error is for the model to read. */
export function parseToolArgs(tool: string, args: unknown): ParsedArgs {
  if (!(tool in toolSchemas)) return { ok: false, error: `there is no tool "${tool}"; the tools are ${toolNames.join(", ")}` };
  const name = tool as ToolName;
  const parsed = toolSchemas[name].safeParse(args ?? {});
  if (!parsed.success) return { ok: false, error: `bad arguments for ${name} ${toolDocs[name].signature}: ${z.prettifyError(parsed.error)}` };
  return { ok: true, call: { tool: name, args: parsed.data } as ToolCall };
}
