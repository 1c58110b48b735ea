// The conventions Ghost states and checks, one entry per feature key: its category, how its statement reads, what
// a flag says about added code that breaks it, and the thresholds below which it is stated but not enforced.
//
// Thresholds: a convention is enforced when its prevailing value holds in at least 80% of at least 5 observations
// (a weak or split convention is never enforced). Stricter where exceptions are legitimate: try blocks need 20
// functions and 95% without one; line length needs 50 lines and 99% within the limit. What is thrown is only flagged
// for a class the repository never throws.
import type { Family } from "./features";

export type Category = "formatting" | "naming" | "imports" | "errors" | "tests" | "logging" | "docs" | "types";

export interface Counts {
  value: string;
  n: number;
  m: number;
  family: Family;
}

export interface FeatureSpec {
  category: Category;
  says(counts: Counts): string;
  /** What added code showing `value` does, for a flag; null for a value that never breaks the convention. A spec
   *  without `does` is stated, never checked. */
  does?(value: string, detail: string | undefined, family: Family): string | null;
  /** Which prevailing values the checker can enforce (a repository that rarely writes doc comments has nothing to
   *  enforce); all when absent. */
  enforces?(value: string): boolean;
  minShare: number;
  minCount: number;
  /** Flag only values the repository never shows. */
  novelOnly?: boolean;
  /** A flag cites where the repository does do what was added, not examples of the convention. */
  citeExceptions?: boolean;
}

export const defaults = { minShare: 0.8, minCount: 5 };

const tryWord = (family: Family) => (family === "python" ? "try/except" : "try/catch");
const catchWord = (family: Family) => (family === "python" ? "except clause" : "catch block");
const percent = (part: number, whole: number) => `${whole === 0 ? 0 : Math.round((100 * part) / whole)}%`;

const testPlaces: Record<string, string> = {
  "tests folder": "in a tests folder",
  "beside sources": "beside the code they test",
  "inline test module": "in inline #[cfg(test)] modules",
};

function naming(plural: string, singular: string): FeatureSpec {
  return {
    category: "naming",
    says: ({ value }) => `${plural} are ${value}`,
    does: (value, detail) => `names ${singular} \`${detail}\` in ${value}`,
    ...defaults,
  };
}

export const catalog: Record<string, FeatureSpec> = {
  indent: { category: "formatting", says: ({ value }) => `indentation is ${value}`, does: (value) => `indents by ${value}`, ...defaults },
  "line-length": {
    category: "formatting",
    says: ({ value }) => (value === "longer" ? "lines often run past 120 characters" : `lines fit in ${value} characters`),
    does: (_, detail) => `has a ${detail}-character line`,
    minShare: 0.99,
    minCount: 50,
  },
  quotes: { category: "formatting", says: ({ value }) => `strings use ${value} quotes`, does: (value) => `uses ${value} quotes`, ...defaults },
  semicolons: {
    category: "formatting",
    says: ({ value }) => (value === "with" ? "statements end with a semicolon" : "statements have no semicolon"),
    does: (value) => (value === "with" ? "ends a statement with a semicolon" : "leaves out a semicolon"),
    ...defaults,
  },
  "trailing-comma": {
    category: "formatting",
    says: ({ value }) => `multi-line lists and objects ${value === "with" ? "end with a trailing comma" : "have no trailing comma"}`,
    does: (value) => (value === "with" ? "adds a trailing comma to a multi-line list" : "leaves the trailing comma off a multi-line list"),
    ...defaults,
  },
  "trailing-comma-call": {
    category: "formatting",
    says: ({ value }) => `multi-line arguments and parameters ${value === "with" ? "end with a trailing comma" : "have no trailing comma"}`,
    does: (value) => (value === "with" ? "adds a trailing comma after the last argument" : "leaves the trailing comma off the last argument"),
    ...defaults,
  },
  "naming:function": naming("function names", "function"),
  "naming:method": naming("method names", "method"),
  "naming:class": naming("class names", "class"),
  "naming:type": naming("type names", "type"),
  "naming:constant": naming("constant names", "constant"),
  "naming:variable": naming("variable names", "variable"),
  "naming:file": naming("file names", "file"),
  "function-try": {
    category: "errors",
    says: ({ value, n, m, family }) =>
      value === "without try" ? `functions rarely contain a ${tryWord(family)}: ${m - n} of ${m} do` : `${percent(n, m)} of functions contain a ${tryWord(family)}`,
    does: (value, _, family) => (value === "with try" ? `adds a ${tryWord(family)}` : null),
    enforces: (value) => value === "without try",
    minShare: 0.95,
    minCount: 20,
    citeExceptions: true,
  },
  "catch-body": {
    category: "errors",
    says: ({ value, family }) => (value === "empty" ? `${catchWord(family)}s are usually empty` : `${catchWord(family)}s handle what they catch`),
    does: (value, _, family) => (value === "empty" ? `adds an empty ${catchWord(family)}` : null),
    enforces: (value) => value === "handles",
    ...defaults,
  },
  "catch-type": {
    category: "errors",
    says: ({ value, family }) =>
      value === "specific" ? `${catchWord(family)}s name specific exceptions` : value === "bare" ? `${catchWord(family)}s are bare` : `${catchWord(family)}s catch everything`,
    does: (value, detail, family) => (value === "bare" ? "adds a bare `except:`" : value === "broad" ? `adds a ${catchWord(family)} for ${detail}` : null),
    enforces: (value) => value === "specific",
    ...defaults,
  },
  throws: {
    category: "errors",
    says: ({ value }) => `errors thrown are mostly ${value}`,
    does: (value) => `throws ${value}, which this repository never throws`,
    minShare: 0,
    minCount: 5,
    novelOnly: true,
  },
  "error-propagation": {
    category: "errors",
    says: ({ value }) => (value === "?" ? "errors propagate with `?` outside tests" : `errors are handled with .${value}() outside tests`),
    does: (value, detail) => (value === "?" ? null : `calls ${detail} outside tests`),
    enforces: (value) => value === "?",
    ...defaults,
  },
  "test-file": {
    category: "tests",
    says: ({ value }) => `test files are named ${value}`,
    does: (value, detail) => `adds test file ${detail}, named ${value}`,
    minShare: 0.8,
    minCount: 3,
  },
  "test-location": {
    category: "tests",
    says: ({ value }) => `tests live ${testPlaces[value] ?? value}`,
    does: (value, detail) => `adds test file ${detail} ${testPlaces[value] ?? value}`,
    minShare: 0.8,
    minCount: 3,
  },
  "doc-comment": {
    category: "docs",
    says: ({ value }) => (value === "documented" ? "functions and classes have a doc comment" : "functions and classes rarely have a doc comment"),
    does: (value, detail) => (value === "undocumented" ? `adds \`${detail}\` without a doc comment` : null),
    enforces: (value) => value === "documented",
    ...defaults,
  },
  "comment-lines": {
    category: "docs",
    says: ({ value, n, m }) => `${percent(value === "comment" ? n : m - n, m)} of non-blank lines are comments`,
    ...defaults,
  },
  "param-types": {
    category: "types",
    says: ({ value }) => (value === "typed" ? "function parameters have type annotations" : "function parameters have no type annotations"),
    does: (value, detail) => (value === "untyped" ? `leaves parameter \`${detail}\` without a type` : null),
    enforces: (value) => value === "typed",
    ...defaults,
  },
  "return-types": {
    category: "types",
    says: ({ value }) => (value === "annotated" ? "functions declare their return type" : "functions leave their return type to inference"),
    does: (value, detail) => (value === "unannotated" ? `leaves \`${detail}\` without a return type` : null),
    enforces: (value) => value === "annotated",
    ...defaults,
  },
};
