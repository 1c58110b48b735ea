// The languages Ghost parses: file extension → the grammar package's own .wasm and tags.scm queries.
// Knows where the files are, not how to parse.
import { existsSync } from "node:fs";
import { extname, join } from "node:path";

export interface LanguageSpec {
  id: string;
  /** Grammar package and wasm file name inside it. */
  wasm: [pkg: string, file: string];
  /** tags.scm files concatenated in order (TypeScript's own query only adds to JavaScript's). */
  tagQueries: [pkg: string, file: string][];
  /** Ghost's own definition queries (agent/context/queries/), for declarations the grammar's tags.scm leaves out. */
  definitionQueries?: string[];
}

const javascriptTags: [string, string] = ["tree-sitter-javascript", "queries/tags.scm"];
const typescriptTags: [string, string] = ["tree-sitter-typescript", "queries/tags.scm"];

const scriptDefinitions = ["javascript-definitions.scm", "typescript-definitions.scm"];

export const languages: Record<string, LanguageSpec> = {
  typescript: { id: "typescript", wasm: ["tree-sitter-typescript", "tree-sitter-typescript.wasm"], tagQueries: [javascriptTags, typescriptTags], definitionQueries: scriptDefinitions },
  tsx: { id: "tsx", wasm: ["tree-sitter-typescript", "tree-sitter-tsx.wasm"], tagQueries: [javascriptTags, typescriptTags], definitionQueries: scriptDefinitions },
  javascript: { id: "javascript", wasm: ["tree-sitter-javascript", "tree-sitter-javascript.wasm"], tagQueries: [javascriptTags], definitionQueries: ["javascript-definitions.scm", "javascript-fields.scm"] },
  python: { id: "python", wasm: ["tree-sitter-python", "tree-sitter-python.wasm"], tagQueries: [["tree-sitter-python", "queries/tags.scm"]] },
  go: { id: "go", wasm: ["tree-sitter-go", "tree-sitter-go.wasm"], tagQueries: [["tree-sitter-go", "queries/tags.scm"]] },
  rust: { id: "rust", wasm: ["tree-sitter-rust", "tree-sitter-rust.wasm"], tagQueries: [["tree-sitter-rust", "queries/tags.scm"]] },
  java: { id: "java", wasm: ["tree-sitter-java", "tree-sitter-java.wasm"], tagQueries: [["tree-sitter-java", "queries/tags.scm"]] },
};

const byExtension: Record<string, string> = {
  ".ts": "typescript",
  ".mts": "typescript",
  ".cts": "typescript",
  ".tsx": "tsx",
  ".js": "javascript",
  ".mjs": "javascript",
  ".cjs": "javascript",
  ".jsx": "javascript",
  ".py": "python",
  ".go": "go",
  ".rs": "rust",
  ".java": "java",
};

export function languageOf(path: string): LanguageSpec | null {
  if (path.endsWith(".d.ts")) return languages.typescript!;
  const id = byExtension[extname(path).toLowerCase()];
  return id ? languages[id]! : null;
}

/** Grammar files sit in dist/tree-sitter/<pkg>/ when bundled (the build copies them), else in node_modules. */
export function grammarFile(pkg: string, file: string): string {
  const bundled = join(__dirname, "tree-sitter", pkg, file);
  if (existsSync(bundled)) return bundled;
  return join(packageDir(pkg), file);
}

/** One of Ghost's own query files: beside the bundle in dist/context/queries/ (the build copies them), else here. */
export function definitionQueryFile(file: string): string {
  const bundled = join(__dirname, "context", "queries", file);
  return existsSync(bundled) ? bundled : join(__dirname, "queries", file);
}

/** A package's folder, found the way Node looks for it (grammar packages do not export package.json). */
function packageDir(pkg: string): string {
  const dir = (require.resolve.paths(pkg) ?? []).map((base) => join(base, pkg)).find((candidate) => existsSync(join(candidate, "package.json")));
  if (!dir) throw new Error(`the grammar package ${pkg} is not installed; run npm ci`);
  return dir;
}

