// A Ghost grammar (model/grammar/grammar.ts) as the server's structured-output parameter:
// - JSON Schema → `response_format: {type: "json_schema"}` on chat (vLLM, llama.cpp, Ollama, OpenAI all take it), and
//   llama.cpp's `json_schema` field on /v1/completions, which reads no response_format there;
// - EBNF → llama.cpp's GBNF `grammar` field (Ghost's EBNF grammars are written in the subset GBNF shares with
//   XGrammar's dialect: quoted strings, classes, * + ?, groups) and vLLM's `structured_outputs.grammar` (vLLM's
//   default backend is XGrammar); other servers take no grammar, and the request goes unconstrained (the stats say so);
// - a sequence (the agent's tool call: a thought, "```json\n", the call's JSON Schema, "\n```") → its one JSON Schema
//   part through the server, its text parts added around the reply by Ghost, and its EBNF parts left empty, which is
//   allowed only where the part's root is a starred repetition (so the empty string is in its language).
// A server can not steer a reply to its grammar's end near the token limit as Ghost's engine does (way-to-end.ts), so
// each JSON Schema also comes bounded: every string at most maxTokens / 8 characters, every list at most 4 items, for
// asking again when a reply ran out of tokens inside the JSON.
// Knows the servers' parameters, not HTTP.
import type { Grammar } from "../grammar/grammar";
import type { ServerKind } from "./server";

export interface ServerConstraint {
  /** Fields to add to the request body. */
  fields: Record<string, unknown>;
  /** Text Ghost puts before and after the server's reply (from a sequence's text parts). */
  before: string;
  after: string;
  /** For a JSON Schema: the fields again with every string at most maxTokens / 8 characters and every list at most 4
   *  items, so that the reply fits in maxTokens even one character per token (for a reply that ran out of tokens). */
  bounded?: (maxTokens: number) => Record<string, unknown>;
}

type SequencePart = Extract<Grammar, { kind: "sequence" }>["parts"][number];

export function serverConstraint(grammar: Grammar, kind: ServerKind, chat: boolean): ServerConstraint | null {
  if (grammar.kind === "json-schema") return { ...jsonSchemaConstraint(grammar.schema, kind, chat), before: "", after: "" };
  if (grammar.kind === "ebnf") {
    const fields = ebnfFields(grammar.text, kind);
    return fields && { fields, before: "", after: "" };
  }
  const schemas = grammar.parts.filter((part) => part.kind === "json-schema");
  if (schemas.length !== 1) throw new Error(`a grammar sequence goes to a model server only with exactly one JSON Schema part (this one has ${schemas.length})`);
  const at = grammar.parts.indexOf(schemas[0]!);
  const literal = (parts: SequencePart[]) => parts.map((part) => {
    if (part.kind === "text") return part.value;
    if (part.kind === "ebnf" && acceptsEmpty(part.text)) return "";
    throw new Error(`a model server can not follow the grammar part ${JSON.stringify(part).slice(0, 200)}: only text, one JSON Schema and EBNF parts that may stay empty go to a server`);
  }).join("");
  return { ...jsonSchemaConstraint(schemas[0]!.schema, kind, chat), before: literal(grammar.parts.slice(0, at)), after: literal(grammar.parts.slice(at + 1)) };
}

function jsonSchemaConstraint(schema: Record<string, unknown>, kind: ServerKind, chat: boolean): Pick<ServerConstraint, "fields" | "bounded"> {
  const unbounded = withoutLengthLimits(schema) as Record<string, unknown>;
  return { fields: jsonSchemaFields(unbounded, kind, chat), bounded: (maxTokens) => jsonSchemaFields(bounded(unbounded, maxTokens), kind, chat) };
}

function jsonSchemaFields(schema: Record<string, unknown>, kind: ServerKind, chat: boolean): Record<string, unknown> {
  if (kind === "llama.cpp" && !chat) return { json_schema: schema };
  return { response_format: { type: "json_schema", json_schema: { name: "reply", schema, strict: true } } };
}

function ebnfFields(text: string, kind: ServerKind): Record<string, unknown> | null {
  if (kind === "llama.cpp") return { grammar: text };
  if (kind === "vllm") return { structured_outputs: { grammar: text } };
  return null;
}

/** The schema less maxLength and maxItems, as the local grammar compiles it (schema-for-xgrammar.ts): grammar engines
 *  expand bounded repetition into rules, and llama.cpp refuses the tool calls' 4096-character bound outright ("number
 *  of rules … exceeds sane defaults"). The bounds stay in force where the reply is validated (zod, after parsing). */
function withoutLengthLimits(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutLengthLimits);
  if (typeof node !== "object" || node === null) return node;
  const { maxLength: _maxLength, maxItems: _maxItems, ...rest } = node as Record<string, unknown>;
  return Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, withoutLengthLimits(value)]));
}

function bounded(schema: Record<string, unknown>, maxTokens: number): Record<string, unknown> {
  const characters = Math.max(1, Math.floor(maxTokens / 8));
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (typeof node !== "object" || node === null) return node;
    const out: Record<string, unknown> = Object.fromEntries(Object.entries(node).map(([key, value]) => [key, visit(value)]));
    if (out.type === "string" && out.enum === undefined && out.const === undefined) out.maxLength = Math.max(characters, Number(out.minLength ?? 0));
    if (out.type === "array") out.maxItems = Math.max(4, Number(out.minItems ?? 0));
    return out;
  };
  return visit(schema) as Record<string, unknown>;
}

/** A one-rule grammar `root ::= X*`: the empty string is in its language. */
function acceptsEmpty(ebnf: string): boolean {
  const rules = ebnf.trim().split("\n");
  return rules.length === 1 && /^root ::= \S+\*$/.test(rules[0]!.trim());
}
