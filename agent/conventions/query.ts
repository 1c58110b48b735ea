// The conventions query of each language, read from queries/*.scm next to this file (or, in the bundle,
// dist/conventions/queries/), and the family each grammar belongs to. Knows where the queries are, not what the
// captures mean.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Query } from "web-tree-sitter";
import type { LoadedLanguage } from "../context/parser";
import type { Family } from "./features";

const queryFiles: Record<string, string[]> = {
  typescript: ["javascript.scm", "typescript.scm"],
  tsx: ["javascript.scm", "typescript.scm"],
  javascript: ["javascript.scm"],
  python: ["python.scm"],
  go: ["go.scm"],
  rust: ["rust.scm"],
  java: ["java.scm"],
};

export const familyOfLanguage: Record<string, Family> = {
  typescript: "javascript",
  tsx: "javascript",
  javascript: "javascript",
  python: "python",
  go: "go",
  rust: "rust",
  java: "java",
};

const queries = new Map<string, Query>();

export function conventionsQuery(loaded: LoadedLanguage): Query {
  let query = queries.get(loaded.spec.id);
  if (!query) {
    const files = queryFiles[loaded.spec.id];
    if (!files) throw new Error(`no conventions query for ${loaded.spec.id}`);
    query = new Query(loaded.language, files.map((file) => readFileSync(queryPath(file), "utf8")).join("\n"));
    queries.set(loaded.spec.id, query);
  }
  return query;
}

function queryPath(file: string): string {
  const candidates = [join(__dirname, "queries", file), join(__dirname, "conventions", "queries", file)];
  const found = candidates.find(existsSync);
  if (!found) throw new Error(`the conventions query ${file} is missing (looked in ${candidates.join(", ")})`);
  return found;
}
