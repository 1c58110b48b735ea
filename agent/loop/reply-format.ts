// The agent's reply format as a grammar, built from the tools' zod schemas (zod 4's toJSONSchema): free text for a
// short thought, then exactly one tool call in a ```json fence, and nothing after it. Constrained decoding with it
// makes every reply parse with parseToolCall and validate, whatever the model would have written. Data only; knows
// the tools' schemas, not the model or the loop.
import { z } from "zod";
import type { Grammar } from "../../model/grammar/grammar";
import { toolNames, toolSchemas, type ToolName } from "../tools/schemas";

/** The grammar of a reply that calls one of `tools`. Each call is {"tool": NAME, "args": {...}}, the form the system
 *  prompt shows; `io: "input"` keeps arguments with a default optional, as the model may leave them out. The thought
 *  holds no backtick or `<`, so it can neither open a fence nor a <tool_call> tag before the call. */
export function toolCallGrammarFor(tools: readonly ToolName[]): Grammar {
  const calls = tools.map((name) => z.strictObject({ tool: z.literal(name), args: toolSchemas[name] }));
  const schema = z.toJSONSchema(calls.length === 1 ? calls[0]! : z.union(calls), { io: "input" }) as Record<string, unknown>;
  return {
    kind: "sequence",
    parts: [
      { kind: "ebnf", text: "root ::= [^`<]*" },
      { kind: "text", value: "```json\n" },
      { kind: "json-schema", schema },
      { kind: "text", value: "\n```" },
    ],
  };
}

export const toolCallGrammar = toolCallGrammarFor(toolNames);
