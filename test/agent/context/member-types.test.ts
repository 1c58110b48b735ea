// Member calls resolved through the receiver's type: at `value.method(`, the prompt holds the method declared in
// the class or interface the value's type names (from `new`, an annotation, a JSDoc tag, a `this.x = ...`, an
// imported function's return type, what the class extends), as a definition, and not a same-named method of
// another class that the file also imports. A fixture repository on disk, real tree-sitter, the product's own file
// walker and context assembly.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { assembleContext } from "../../../agent/complete/context";
import { RecentChunks } from "../../../agent/context/similar-chunks";
import { buildIndex, TagIndex } from "../../../agent/context/tag-index";
import { listIndexedFiles } from "../../../agent/context/workspace-files";
import { chainOf } from "../../../agent/context/member-types";

const root = join(__dirname, "..", "..", "fixtures", "repos", "member-types");
const indexed = (async () => {
  const index = new TagIndex();
  await buildIndex(index, await listIndexedFiles(root), (path) => readFile(join(root, path), "utf8"));
  return index;
})();

/** The definition snippets declaring `name` (its first line has `name(`, `name (`, `name?(`, `name:` or `name =`)
 *  that the prompt holds right after `marker` in `path`, as path:line text. */
async function definitionsOf(name: string, path: string, marker: string): Promise<string[]> {
  const text = readFileSync(join(root, path), "utf8");
  const at = text.indexOf(marker);
  assert.ok(at >= 0, `${marker} not in ${path}`);
  const offset = at + marker.length;
  const lineEnd = text.indexOf("\n", offset);
  // As typed: the rest of the line is not written yet.
  const typed = text.slice(0, offset) + text.slice(lineEnd);
  const context = assembleContext({ path, text: typed, offset }, { family: "qwen", budgetTokens: 1500, charsPerToken: 3.5, index: await indexed, recent: new RecentChunks() });
  return context.snippets
    .filter((snippet) => snippet.kind === "definition" && new RegExp(`(^|[^\\w$])${name}\\s*\\??\\s*[(:=]`).test(snippet.text.split("\n")[0]!))
    .map((snippet) => `${snippet.path}:${snippet.line + 1} ${snippet.text.split("\n")[0]!.trim()}`);
}

test("a local built with `new` calls its class's method, not another imported class's", async () => {
  assert.deepEqual(await definitionsOf("request", "src/app.ts", "client.request("), ['src/client.ts:10 request(path: string, init: { method: string }): Promise<string> {']);
});

test("a parameter's type annotation leads to the method its class inherits", async () => {
  assert.deepEqual(await definitionsOf("dispatch", "src/app.ts", "client.dispatch("), ["src/client.ts:4 dispatch(options: { path: string }, handler: unknown): boolean {"]);
});

test("a call's receiver typed by an imported function's declared return type", async () => {
  assert.deepEqual(await definitionsOf("send", "src/app.ts", "connect(url).send("), ["src/session.ts:4 send(payload: Uint8Array, flush: boolean): void {}"]);
});

test("a JSDoc @type of an import('...') type on `this.x` leads into a .d.ts interface", async () => {
  assert.deepEqual(await definitionsOf("onStart", "lib/pool.js", "this.handler.onStart("), ["types/handler.d.ts:6 onStart?(controller: Controller, context: unknown): void"]);
});

test("a type through a .d.ts's default export into the namespace merged with its class", async () => {
  assert.deepEqual(await definitionsOf("onError", "lib/retry.js", "handler.onError("), ["types/dispatcher.d.ts:9 onError?(error: Error, attempt: number): void"]);
});

test("a member of any part of a union type", async () => {
  assert.deepEqual(await definitionsOf("abort", "lib/retry.js", "target.abort("), ["types/handler.d.ts:2 abort(reason: Error): void"]);
});

test("a JSDoc @param names a @typedef of an interface whose property holds a function", async () => {
  assert.deepEqual(await definitionsOf("check", "lib/pool.js", "handler.check("), ["types/handler.d.ts:7 readonly check: (value: unknown) => boolean"]);
});

test("`this.x = new C()` in a CommonJS class calls what C extends", async () => {
  assert.deepEqual(await definitionsOf("dispatch", "lib/pool.js", "this.agent.dispatch("), ["lib/base.js:2 dispatch (options) {"]);
});

test("a loop over a field typed as an array of a @typedef object reaches its @property's interface", async () => {
  assert.deepEqual(await definitionsOf("onStart", "lib/queue.js", "waiter.handler.onStart("), ["types/handler.d.ts:6 onStart?(controller: Controller, context: unknown): void"]);
});

test("a name destructured from a typed value has its property's type", async () => {
  assert.deepEqual(await definitionsOf("check", "lib/queue.js", "handler.check("), ["types/handler.d.ts:7 readonly check: (value: unknown) => boolean"]);
});

test("an export aliased to a reserved word is the module's function, not a class's same-named method", async () => {
  assert.deepEqual(await definitionsOf("_?enum", "src/use-schema.ts", "s.enum("), ["src/schema.ts:7 function _enum(values: string[], message?: string): EnumSchema {"]);
});

test("a static field holding a function is a definition a class's callers reach", async () => {
  assert.deepEqual(await definitionsOf("create", "src/use-schema.ts", "SchemaError.create("), ["src/schema.ts:12 static create = (issues: string[]): SchemaError => new SchemaError()"]);
});

test("Python: `self.x = C()` calls C's method, and what C's base class defines", async () => {
  assert.deepEqual(await definitionsOf("request", "py/shop/service.py", "self.client.request("), ["py/shop/client.py:7 def request(self, path: str, retries: int) -> str:"]);
  assert.deepEqual(await definitionsOf("close", "py/shop/service.py", "self.client.close("), ["py/shop/client.py:2 def close(self, force: bool) -> None:"]);
});

test("Python: a call's receiver typed by the imported function's return annotation", async () => {
  assert.deepEqual(await definitionsOf("send", "py/shop/service.py", "connect(url).send("), ["py/shop/client.py:12 def send(self, payload: bytes, flush: bool) -> None:"]);
});

test("CommonJS: a member of the exported object, and `module.exports = function name()`", async () => {
  assert.deepEqual(await definitionsOf("fetchAll", "lib/use-api.js", "fetchAll("), ["lib/api.js:2 fetchAll (url, retries) {"]);
  assert.deepEqual(await definitionsOf("lookupFiles", "lib/use-api.js", "lookupFiles("), ["lib/lookup.js:1 module.exports = function lookupFiles (pattern, extensions) {"]);
});

test("receiver chains are read back across lines, calls and keys", () => {
  const render = (text: string) => chainOf(text, text.length)?.map((segment) => `${segment.name}${segment.call ? "()" : ""}`).join(" ");
  assert.equal(render("z\n  .object({ a: (1) })\n  .extend"), "z object() extend");
  assert.equal(render("this[kAgent]?.dispatch"), "this [kAgent] dispatch");
  assert.equal(render("this.#handler"), "this #handler");
  assert.equal(render("(a || b).c"), undefined);
});
