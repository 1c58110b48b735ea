// Turns a JSON Schema into EBNF through XGrammar's converter, around two limits of XGrammar 0.1.27:
// - a string with minLength becomes `"` [^"\\\r\n]{1,} `"`, a class without escapes, so a non-empty `search` text
//   could never hold a newline (`\n`) or a quote; and a `pattern` that allows escapes instead makes every mask inside
//   the string cost 300-500 ms on a 49k vocabulary. So a non-empty string is marked with a sentinel pattern, and its
//   rule is rewritten to N JSON string characters followed by XGrammar's own string rule, whose masks are cached.
// - bounded repetition is expanded when compiled (maxLength 4096 took 5.4 s on a 49k vocabulary): maxLength and
//   maxItems are left to the validation that follows parsing (zod's max stays in force there); a reply within a
//   step's token limit does not reach them in practice.
// Knows JSON Schema and XGrammar's EBNF, not tokens.
import xgrammar from "@mlc-ai/web-xgrammar";

/** JSON as a small model should write it: one line, `", "` and `": "` between items, no free whitespace (which a
 *  weak model could repeat until its token limit). */
const separators: [string, string] = [", ", ": "];

const sentinel = "ghostminlength";

/** One JSON string character as XGrammar's basic_string_sub spells it: a plain character or an escape. */
const stringCharacter = String.raw`([^\0-\x1f\"\\\r\n] | "\\" basic_escape)`;

export async function jsonSchemaToEbnf(schema: Record<string, unknown>): Promise<string> {
  const ebnf = await xgrammar.Testings._jsonSchemaToEBNF(JSON.stringify(marked(schema)), false, -1, separators);
  // The sentinel pattern comes out spelled one character at a time: "\"" "g" "h" … "3" "\"".
  return ebnf.replace(/"\\"" ((?:"[a-z0-9]" )+)"\\""/g, (rule, spelled: string) => {
    const text = [...spelled.matchAll(/"([a-z0-9])"/g)].map((match) => match[1]).join("");
    if (!text.startsWith(sentinel)) return rule;
    return `"\\"" ${Array(Number(text.slice(sentinel.length))).fill(stringCharacter).join(" ")} basic_string_sub`;
  });
}

function marked(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(marked);
  if (typeof node !== "object" || node === null) return node;
  const { minLength, maxLength: _maxLength, maxItems: _maxItems, ...rest } = node as Record<string, unknown>;
  const out: Record<string, unknown> = Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, marked(value)]));
  if (out.type === "string" && out.pattern === undefined && typeof minLength === "number" && minLength > 0) out.pattern = `^${sentinel}${minLength}$`;
  return out;
}
