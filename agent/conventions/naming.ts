// Case styles of identifiers and file names. Knows names only, not where they come from.
import { posix } from "node:path";

export type CaseStyle = "camelCase" | "PascalCase" | "snake_case" | "UPPER_CASE" | "kebab-case";

/** The style a name is unambiguously written in, or null for a name that fits several: one lower-case word ("add"
 *  is camelCase and snake_case alike), a lone letter. Leading and trailing `_`/`$` (privacy, dunders) are ignored. */
export function caseStyle(name: string): CaseStyle | null {
  const core = name.replace(/^[_$]+|[_$]+$/g, "");
  if (/^[a-z][a-z0-9]*(_[a-z0-9]+)+$/.test(core)) return "snake_case";
  if (/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/.test(core) || /^[A-Z][A-Z0-9]+$/.test(core)) return "UPPER_CASE";
  if (/^[a-z][a-z0-9]*(-[a-z0-9]+)+$/.test(core)) return "kebab-case";
  if (/^[a-z][a-z0-9]*[A-Z][A-Za-z0-9]*$/.test(core)) return "camelCase";
  if (/^[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*$/.test(core)) return "PascalCase";
  return null;
}

/** A file name's style, from its name up to the first dot: "change-set.test.ts" → kebab-case. */
export function fileNameStyle(path: string): CaseStyle | null {
  const stem = posix.basename(path).split(".")[0] ?? "";
  return caseStyle(stem);
}
