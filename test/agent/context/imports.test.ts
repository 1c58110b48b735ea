// Cross-file context follows the imports: at a call site, the prompt holds the definition from the module the file
// imports (through aliases, barrels, tsconfig paths, workspace packages, Python packages, Go packages, Rust
// paths), as a definition, ahead of every same-named definition elsewhere. A fixture repository on disk, real
// tree-sitter, the product's own file walker and context assembly.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assembleContext } from "../../../agent/complete/context";
import { RecentChunks } from "../../../agent/context/similar-chunks";
import { buildIndex, TagIndex } from "../../../agent/context/tag-index";
import { listIndexedFiles } from "../../../agent/context/workspace-files";

const fixture = join(__dirname, "..", "..", "fixtures", "repos", "imports");

/** A copy of the fixture with what git would not commit: an ignored folder and installed dependencies. */
function repository(): string {
  const root = mkdtempSync(join(tmpdir(), "ghost-imports-"));
  cpSync(fixture, root, { recursive: true });
  for (const folder of ["generated", "node_modules/@acme/core/src"]) mkdirSync(join(root, folder), { recursive: true });
  writeFileSync(join(root, "generated/routes.ts"), "export function generateRoutes(): string[] {\n  return [];\n}\n");
  writeFileSync(join(root, "node_modules/@acme/core/src/engine.ts"), "export function createEngine(installed: true): void {}\n");
  return root;
}

const root = repository();
const indexed = (async () => {
  const index = new TagIndex();
  await buildIndex(index, await listIndexedFiles(root), (path) => readFile(join(root, path), "utf8"));
  return index;
})();

/** The definition snippets the prompt holds for a completion right after `marker` in `path`. */
async function definitionsAt(path: string, marker: string): Promise<string[]> {
  const text = readFileSync(join(root, path), "utf8");
  const at = text.indexOf(marker);
  assert.ok(at >= 0, `${marker} not in ${path}`);
  const context = assembleContext({ path, text, offset: at + marker.length }, { family: "qwen", budgetTokens: 1500, charsPerToken: 3.5, index: await indexed, recent: new RecentChunks() });
  return context.snippets.filter((snippet) => snippet.kind === "definition").map((snippet) => `${snippet.path}:${snippet.line + 1} ${snippet.text.split("\n")[0]}`);
}

test("the walker indexes a build/ source folder and skips what .gitignore and dependency folders hold", async () => {
  const files = await listIndexedFiles(root);
  assert.ok(files.includes("build/codegen.ts"));
  assert.ok(files.includes("tsconfig.json") && files.includes("packages/core/package.json") && files.includes("go.mod"));
  assert.deepEqual(files.filter((path) => path.startsWith("generated/") || path.startsWith("node_modules/")), []);
});

test("of several same-named definitions, the imported one is the one in the prompt", async () => {
  assert.deepEqual((await definitionsAt("src/app.ts", "buildPage(")).filter((line) => line.includes("buildPage")), [
    "src/page-hono.ts:1 export function buildPage(context: HonoContext, options: PageOptions): Response {",
  ]);
});

test("a call through an import alias finds the aliased export in the imported module", async () => {
  assert.deepEqual((await definitionsAt("src/app.ts", "baseServeStatic(")).filter((line) => line.includes("serveStatic")), [
    "src/static.ts:1 export function serveStatic(root: string, options: { index: string }): Handler {",
  ]);
});

test("a barrel's export * and renamed re-export lead to the defining files", async () => {
  const definitions = await definitionsAt("src/app.ts", "parseInput(");
  assert.ok(definitions.includes("src/lib/format.ts:1 export function formatDate(date: Date, pattern: string): string {"), definitions.join("\n"));
  assert.ok(definitions.includes("src/lib/parse.ts:1 export function parse(input: string, strict: boolean): string[] {"), definitions.join("\n"));
  assert.ok(!definitions.some((line) => line.startsWith("src/legacy/")), definitions.join("\n"));
});

test("tsconfig paths and a workspace package's exports resolve to the repository's sources", async () => {
  const definitions = await definitionsAt("src/app.ts", "core.createEngine(");
  assert.ok(definitions.includes('src/util/slug.ts:1 export function slugify(text: string, separator = "-"): string {'), definitions.join("\n"));
  assert.ok(!definitions.some((line) => line.startsWith("src/slugs.ts")), definitions.join("\n"));
  assert.deepEqual(definitions.filter((line) => line.includes("createEngine")), ["packages/core/src/engine.ts:1 export function createEngine(options: { cache: boolean }): Engine {"]);
});

test("a build/ folder's definitions are found from the script that imports them", async () => {
  assert.deepEqual(await definitionsAt("scripts/routes.ts", "generateRoutes("), ["build/codegen.ts:1 export function generateRoutes(pages: string[], outDir: string): string[] {"]);
});

test("Python: relative imports, an alias, a submodule and a package's __init__ re-export", async () => {
  assert.deepEqual(await definitionsAt("pyapp/pkg/cli.py", "util.normalize("), ["pyapp/pkg/io.py:1 def load_config(path, defaults=None):", "pyapp/pkg/util.py:1 def normalize(values, scale=1.0):"]);
  assert.deepEqual(await definitionsAt("pyapp/run.py", "load_config("), ["pyapp/pkg/io.py:1 def load_config(path, defaults=None):"]);
});

test("Go: a package imported by its module path; Rust: a use path within the crate", async () => {
  assert.deepEqual((await definitionsAt("cmd/main.go", "cart.Total(")).filter((line) => line.includes("Total")), ["internal/cart/cart.go:3 func Total(items []Item, discount float64) float64 {"]);
  assert.deepEqual((await definitionsAt("rs/src/main.rs", "area(")).filter((line) => line.includes("area")), ["rs/src/geometry.rs:1 pub fn area(width: f64, height: f64) -> f64 {"]);
});

test("a name whose import does not resolve falls back to the index's definitions", async () => {
  const path = "src/unresolved.ts";
  const text = 'import { formatDate } from "some-package";\nformatDate(';
  const index = await indexed;
  await index.update(path, text);
  const context = assembleContext({ path, text, offset: text.length }, { family: "qwen", budgetTokens: 1500, charsPerToken: 3.5, index, recent: new RecentChunks() });
  index.remove(path);
  assert.deepEqual(context.snippets.map((snippet) => snippet.path), ["src/legacy/format.ts", "src/lib/format.ts"]);
});

test("CommonJS: a module required whole and called is its module.exports", async () => {
  assert.deepEqual((await definitionsAt("src/cjs/client.js", "buildConnector(")).filter((line) => line.includes("buildConnector")), ["src/cjs/connect.js:3 function buildConnector ({ allowH2, timeout }) {"]);
});

test("a default import leads to the declaration the module exports as default", async () => {
  assert.deepEqual(await definitionsAt("src/md/bin.mjs", "markdownit("), ["src/md/index.mjs:1 function MarkdownIt (presetName, options) {"]);
});

test("a method called on a value comes from a module the file imports, not from another file's same-named method", async () => {
  assert.deepEqual((await definitionsAt("src/parser.ts", "this.ruler.push(")).filter((line) => line.includes("push")), ["src/ruler.ts:2   push(name: string, rule: (state: unknown) => boolean): void {"]);
});
