// What a constrained request asks for: a grammar the reply must match, as plain data (it crosses the worker
// boundary). A JSON Schema, an EBNF grammar (XGrammar's dialect: https://www.w3.org/TR/xml/#sec-notation with
// C-style escapes), or a sequence of literal text, EBNF and JSON Schema parts. Knows nothing about tokens.
import { z } from "zod";

const jsonSchema = z.object({ kind: z.literal("json-schema"), schema: z.record(z.string(), z.unknown()) });
const ebnf = z.object({ kind: z.literal("ebnf"), text: z.string().min(1) });
const text = z.object({ kind: z.literal("text"), value: z.string().min(1) });

export const grammarSchema = z.discriminatedUnion("kind", [
  jsonSchema,
  ebnf,
  z.object({ kind: z.literal("sequence"), parts: z.array(z.discriminatedUnion("kind", [jsonSchema, ebnf, text])).min(1) }),
]);
export type Grammar = z.infer<typeof grammarSchema>;
