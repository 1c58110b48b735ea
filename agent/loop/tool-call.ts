// Reads the one tool call out of a model reply. The format, chosen for small local models: a single JSON object
// {"tool": NAME, "args": {...}}, best in a ```json fence. A <tool_call> tag, {"name", "arguments"} keys (Qwen's
// native tool format) and a bare object are accepted too. The object's end is found by scanning JSON, not the
// closing fence, so code with ``` inside a string survives. Knows nothing about running tools.
import { parseToolArgs, type ToolCall } from "../tools/schemas";

export type ParsedReply = { ok: true; call: ToolCall } | { ok: false; error: string };

const opener = /```json\b|<tool_call>/g;

export function parseToolCall(reply: string): ParsedReply {
  const starts = [...reply.matchAll(opener)].map((match) => match.index + match[0].length);
  const from = starts[0] ?? 0;
  const begin = reply.indexOf("{", from);
  if (begin < 0) return { ok: false, error: "the reply holds no tool call" };
  const end = jsonObjectEnd(reply, begin);
  if (end === null) return { ok: false, error: "the tool call's JSON object never closes" };
  if (starts.some((start) => start > end)) return { ok: false, error: "the reply holds more than one tool call; make exactly one per reply" };
  let json: unknown;
  try {
    json = JSON.parse(reply.slice(begin, end));
  } catch (error) {
    return { ok: false, error: `the tool call is not valid JSON: ${(error as Error).message}` };
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) return { ok: false, error: "the tool call must be a JSON object" };
  const record = json as Record<string, unknown>;
  const tool = record.tool ?? record.name;
  if (typeof tool !== "string") return { ok: false, error: `the tool call has no "tool" name` };
  return parseToolArgs(tool, record.args ?? record.arguments);
}

/** The index just past the `}` that closes the object opening at `begin`, skipping braces inside strings. */
function jsonObjectEnd(text: string, begin: number): number | null {
  let depth = 0;
  let inString = false;
  for (let i = begin; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === "\\") i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === "{") depth++;
    else if (char === "}" && --depth === 0) return i + 1;
  }
  return null;
}

/** What the model is told after a reply that could not be read: the error, then the format again. */
export function formatErrorMessage(error: string): string {
  return [
    `Format error: ${error}.`,
    "Reply with exactly one tool call, a JSON object in a ```json fence:",
    '```json\n{"tool": "read_file", "args": {"path": "src/main.ts"}}\n```',
  ].join("\n");
}
