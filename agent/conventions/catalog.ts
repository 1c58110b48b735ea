// The conventions Ghost states and checks, one entry per feature key: its category, how its statement reads, what
// a flag says about added code that breaks it, and the thresholds below which it is stated but not enforced.
//
// Words: every statement says how often with howOften (wording.ts), from its own n of m, so words and numbers agree.
//
// Thresholds: a convention is enforced when its prevailing value holds in at least 90% of at least 5 observations
// (a weak or split convention is never enforced); a matter of style is flagged only where most of what a change adds
// breaks it. Stricter where exceptions are legitimate: try blocks need 20 functions, 95% without one and at most 2
// files with one; a broad, empty or swallowing handler is flagged only where no file has one; a line limit is enforced
// only where a formatter declares it. What is thrown is flagged only for a class the repository never throws, where
// it mostly throws one.
import type { Family } from "./features";
import { howOften, percent } from "./wording";

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
  /** Stated, as `value`, and enforced with no observation at all (m = 0) when the
   *  `basis` key has at least `minCount` observations: a repository whose 200 functions have no handler has none that swallow. */
  absent?: { basis: string; minCount: number; value: string };
  /** Enforced only while the code that does otherwise sits in at most this many files: a habit several files break
   *  is a choice the authors make case by case (a try where a call can fail), not a rule. */
  maxExceptionFiles?: number;
  /** Enforced only where a formatter or linter setting declares it; mined, it is stated only. */
  declaredOnly?: boolean;
  /** A matter of style, judged over what the change adds as a whole: flagged when most of the added code's
   *  observations of it break the convention, not for one exception among code that follows it (the repository's
   *  own files have those too). Without it, every occurrence is judged: one swallowing handler is one too many. */
  whole?: boolean;
}

export const defaults = { minShare: 0.9, minCount: 5, whole: true };

const builtinErrors =
  /^(Error|TypeError|RangeError|SyntaxError|ReferenceError|EvalError|URIError|AggregateError|Exception|BaseException|ValueError|KeyError|IndexError|LookupError|RuntimeError|NotImplementedError|AttributeError|OSError|IOError|AssertionError|StopIteration|ImportError|PermissionError|FileNotFoundError|TimeoutError|ConnectionError|RuntimeException|IllegalArgumentException|IllegalStateException|UnsupportedOperationException|NullPointerException)$/;
const tryWord = (family: Family) => (family === "python" ? "try/except" : "try/catch");
const catchWord = (family: Family) => (family === "python" ? "except clause" : "catch block");

const testPlaces: Record<string, string> = {
  "tests folder": "in a tests folder",
  "beside sources": "beside the code they test",
  "inline test module": "in inline #[cfg(test)] modules",
};

function naming(plural: string, singular: string): FeatureSpec {
  return {
    category: "naming",
    says: ({ value, n, m }) => `${plural} are ${howOften(n, m)} ${value}`,
    does: (value, detail) => `names ${singular} \`${detail}\` in ${value}`,
    ...defaults,
  };
}

export const catalog: Record<string, FeatureSpec> = {
  indent: { category: "formatting", says: ({ value, n, m }) => `indentation is ${howOften(n, m)} ${value}`, does: (value) => `indents by ${value}`, ...defaults },
  "line-length": {
    category: "formatting",
    says: ({ value, n, m }) => (value === "longer" ? `lines ${howOften(n, m)} run past 120 characters` : `lines ${howOften(n, m)} fit in ${value} characters`),
    does: (_, detail) => `has a ${detail}-character line`,
    minShare: 0.99,
    minCount: 50,
    declaredOnly: true,
    whole: true,
  },
  quotes: { category: "formatting", says: ({ value, n, m }) => `plain strings ${howOften(n, m)} use ${value} quotes`, does: (value) => `uses ${value} quotes`, ...defaults },
  semicolons: {
    category: "formatting",
    says: ({ value, n, m }) => (value === "with" ? `statements ${howOften(n, m)} end with a semicolon` : `statements ${howOften(n, m)} leave out the semicolon`),
    does: (value) => (value === "with" ? "ends a statement with a semicolon" : "leaves out a semicolon"),
    ...defaults,
  },
  "trailing-comma": {
    category: "formatting",
    says: ({ value, n, m }) => `multi-line lists and objects ${howOften(n, m)} ${value === "with" ? "end with a trailing comma" : "leave the trailing comma off"}`,
    does: (value) => (value === "with" ? "adds a trailing comma to a multi-line list" : "leaves the trailing comma off a multi-line list"),
    ...defaults,
  },
  "trailing-comma-call": {
    category: "formatting",
    says: ({ value, n, m }) => `multi-line arguments and parameters ${howOften(n, m)} ${value === "with" ? "end with a trailing comma" : "leave the trailing comma off"}`,
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
      value === "without try"
        ? `functions ${howOften(m - n, m)} contain a ${tryWord(family)}: ${m - n} of ${m} do`
        : `functions ${howOften(n, m)} contain a ${tryWord(family)}: ${n} of ${m} do`,
    does: (value, _, family) => (value === "with try" ? `adds a ${tryWord(family)}` : null),
    enforces: (value) => value === "without try",
    minShare: 0.95,
    minCount: 20,
    maxExceptionFiles: 2,
    citeExceptions: true,
  },
  "catch-body": {
    category: "errors",
    says: ({ value, n, m, family }) => (value === "empty" ? `${catchWord(family)}s are ${howOften(n, m)} empty` : `${catchWord(family)}s ${howOften(n, m)} do something with what they catch`),
    does: (value, _, family) => (value === "empty" ? `adds an empty ${catchWord(family)}` : null),
    enforces: (value) => value === "handles",
    ...defaults,
    whole: false,
    maxExceptionFiles: 0,
  },
  "catch-type": {
    category: "errors",
    says: ({ value, n, m, family }) =>
      value === "specific"
        ? `${catchWord(family)}s ${howOften(n, m)} name specific exceptions`
        : value === "bare"
          ? `${catchWord(family)}s are ${howOften(n, m)} bare`
          : `${catchWord(family)}s ${howOften(n, m)} catch everything`,
    does: (value, detail, family) => (value === "bare" ? "adds a bare `except:`" : value === "broad" ? `adds a ${catchWord(family)} for ${detail}` : null),
    enforces: (value) => value === "specific",
    ...defaults,
    whole: false,
    maxExceptionFiles: 0,
  },
  swallow: {
    category: "errors",
    says: ({ value, n, m, family }) => {
      if (m === 0) return `the code has no ${catchWord(family)}s, so none that swallow errors`;
      const swallowing = value === "swallows" ? n : m - n;
      return `${catchWord(family)}s ${howOften(swallowing, m)} catch everything and only log, pass or continue: ${swallowing} of ${m} do`;
    },
    does: (value, detail, family) => (value === "swallows" ? `adds ${family === "python" ? "an" : "a"} ${catchWord(family)} for ${detail} that only logs, passes or continues` : null),
    enforces: (value) => value === "handles",
    // Enforced however few the handlers are: where they are rare, a swallowing one is all the more out of place.
    minShare: 0.9,
    minCount: 1,
    maxExceptionFiles: 0,
    absent: { basis: "function-try", minCount: 20, value: "handles" },
  },
  throws: {
    category: "errors",
    says: ({ value, n, m }) => `errors thrown are ${howOften(n, m)} ${value}`,
    does: (value) => `throws ${value}, which this repository never throws`,
    // Only where the repository mostly throws an error class of its own: where it throws the language's Error, a
    // more specific built-in one (TypeError, ValueError) follows it.
    enforces: (value) => !builtinErrors.test(value),
    minShare: 0.8,
    minCount: 5,
    novelOnly: true,
  },
  "error-propagation": {
    category: "errors",
    says: ({ value, n, m }) => (value === "?" ? `errors ${howOften(n, m)} propagate with \`?\` outside tests` : `errors are ${howOften(n, m)} handled with .${value}() outside tests`),
    does: (value, detail) => (value === "?" ? null : `calls ${detail} outside tests`),
    enforces: (value) => value === "?",
    ...defaults,
    whole: false,
  },
  "test-file": {
    category: "tests",
    says: ({ value, n, m }) => `test files are ${howOften(n, m)} named ${value}`,
    does: (value, detail) => `adds test file ${detail}, named ${value}`,
    minShare: 0.8,
    minCount: 3,
  },
  "test-location": {
    category: "tests",
    says: ({ value, n, m }) => `tests ${howOften(n, m)} live ${testPlaces[value] ?? value}`,
    does: (value, detail) => `adds test file ${detail} ${testPlaces[value] ?? value}`,
    minShare: 0.8,
    minCount: 3,
  },
  "doc-comment": {
    category: "docs",
    says: ({ value, n, m }) => `functions and classes ${howOften(value === "documented" ? n : m - n, m)} have a doc comment`,
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
    says: ({ value, n, m }) => `function parameters ${howOften(value === "typed" ? n : m - n, m)} have type annotations`,
    does: (value, detail) => (value === "untyped" ? `leaves parameter \`${detail}\` without a type` : null),
    enforces: (value) => value === "typed",
    ...defaults,
  },
  "return-types": {
    category: "types",
    says: ({ value, n, m }) => `functions ${howOften(value === "annotated" ? n : m - n, m)} declare their return type`,
    does: (value, detail) => (value === "unannotated" ? `leaves \`${detail}\` without a return type` : null),
    enforces: (value) => value === "annotated",
    ...defaults,
  },
};
