// The conventions profile: the zod schema of the JSON document the miner writes and the checker, the summary and
// autocomplete read. Statements are what a reader sees; tallies are the counts and evidence behind them, kept so
// the checker can cite them and feedback can re-derive the statements. Knows the shape, not how it is filled.
import { z } from "zod";

export const familySchema = z.enum(["javascript", "python", "go", "rust", "java"]);
export const categorySchema = z.enum(["formatting", "naming", "imports", "errors", "tests", "logging", "docs", "types"]);

const valueCountSchema = z.object({
  n: z.number().int().nonnegative(),
  /** How many files show it. */
  files: z.number().int().nonnegative(),
  /** "path:line" examples, in path order. */
  evidence: z.array(z.string()),
});
export type ValueCount = z.infer<typeof valueCountSchema>;

/** family → feature key → value → count */
const talliesSchema = z.record(z.string(), z.record(z.string(), z.record(z.string(), valueCountSchema)));
export type ProfileTallies = z.infer<typeof talliesSchema>;

export const statementSchema = z.object({
  /** "python/function-try", "javascript/naming:function", "python/alternatives:gradient-sync" */
  id: z.string(),
  family: familySchema,
  category: categorySchema,
  key: z.string(),
  /** The prevailing (or declared) value: "double", "camelCase", "without try", "fetch". */
  value: z.string(),
  text: z.string(),
  /** n of m observations show the value. */
  n: z.number().nonnegative(),
  m: z.number().nonnegative(),
  /** n/m times the weight feedback gave the rule (1 without feedback). */
  strength: z.number(),
  enforced: z.boolean(),
  /** For a mined convention strong enough in its share: whether there are files enough to enforce it, in words
   *  ("enforced: 40 of 40 files keep it", "not enforced: too few examples (15 of 15 files keep it; 25 needed)"). */
  support: z.string().optional(),
  /** "path:line" of a formatter or linter setting that declares the value; null when only mined. */
  declared: z.string().nullable(),
  evidence: z.array(z.string()),
  /** Where the code does otherwise. */
  exceptions: z.array(z.string()),
});
export type Statement = z.infer<typeof statementSchema>;

export const adjustmentsSchema = z.object({
  /** statement id → how often its flags were taken up or dismissed */
  rules: z.record(z.string(), z.object({ accepted: z.number().int().nonnegative(), rejected: z.number().int().nonnegative() })),
  /** statement id → value → observations added by accepted suggestions */
  observed: z.record(z.string(), z.record(z.string(), z.number().nonnegative())),
});
export type Adjustments = z.infer<typeof adjustmentsSchema>;

export const profileSchema = z.object({
  version: z.literal(1),
  files: z.number().int().nonnegative(),
  /** family → files */
  families: z.record(z.string(), z.number().int().nonnegative()),
  statements: z.array(statementSchema),
  rules: z.array(z.object({ source: z.string(), text: z.string() })),
  declared: z.array(z.object({ family: familySchema, key: z.string(), value: z.string(), source: z.string() })),
  tallies: talliesSchema,
  /** Module names that are the repository's own code (dotted suffixes of its paths, and a Go module path). */
  localModules: z.array(z.string()),
  adjustments: adjustmentsSchema,
});
export type Profile = z.infer<typeof profileSchema>;

export const emptyAdjustments = (): Adjustments => ({ rules: {}, observed: {} });

/** A rule's weight from feedback: 1 without any; each dismissal pulls it down and each acceptance cancels one. One
 *  net dismissal (0.9) leaves a unanimous convention enforced (the bar is 90%) and turns off a 95% one; two (0.82)
 *  turn off any, a declared setting and an alternatives rule included (`keepsRule`). */
export function ruleWeight(adjustments: Adjustments, id: string): number {
  const { accepted = 0, rejected = 0 } = adjustments.rules[id] ?? {};
  return Math.min(1, (9 + accepted) / (9 + rejected));
}

/** Whether a rule enforced without a share (declared, or an alternatives rule) stays enforced at this weight. */
export const keepsRule = (weight: number): boolean => weight >= 0.85;
