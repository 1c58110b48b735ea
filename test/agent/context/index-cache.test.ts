// The CLI's tag index cache: a second open parses nothing, a changed, added or removed file is picked up, and a
// damaged cache is rebuilt. Real files in a temporary folder.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openCachedIndex } from "../../../agent/context/index-cache";
import { parseTags } from "../../../agent/context/tag-index";

const fixture = join(__dirname, "..", "..", "fixtures", "repos", "imports");

test("an unchanged repository is served from the cache; changes are parsed again", async () => {
  const root = mkdtempSync(join(tmpdir(), "ghost-cache-"));
  cpSync(fixture, root, { recursive: true });
  const cacheFile = join(mkdtempSync(join(tmpdir(), "ghost-cache-store-")), "tag-index.json");
  const first = await openCachedIndex(root, cacheFile);
  assert.equal(first.reused, 0);
  const second = await openCachedIndex(root, cacheFile);
  assert.deepEqual([second.reused, second.parsed], [first.paths.length, 0]);
  assert.equal(second.index.definitionsOf("buildPage").length, 3);
  assert.ok([...second.index.projectFiles()].some((file) => file.kind === "tsconfig"));

  writeFileSync(join(root, "src/page-hono.ts"), "export function renderPage(): string {\n  return '';\n}\n");
  writeFileSync(join(root, "src/added.ts"), "export function added(): void {}\n");
  rmSync(join(root, "src/a-page.ts"));
  const third = await openCachedIndex(root, cacheFile);
  assert.equal(third.parsed, 2);
  assert.deepEqual(third.index.definitionsOf("buildPage").map((definition) => definition.path), ["src/page-express.ts"]);
  assert.deepEqual(third.index.definitionsOf("added").map((definition) => definition.path), ["src/added.ts"]);

  writeFileSync(cacheFile, '{"format": 4, "root": "');
  const rebuilt = await openCachedIndex(root, cacheFile);
  assert.deepEqual([rebuilt.reused, rebuilt.parsed], [0, rebuilt.paths.length]);
});

test("a cached file's tags, type facts and typed names included, equal a fresh parse of it", async () => {
  const root = join(__dirname, "..", "..", "fixtures", "repos", "member-types");
  const cacheFile = join(mkdtempSync(join(tmpdir(), "ghost-cache-store-")), "tag-index.json");
  await openCachedIndex(root, cacheFile);
  const cached = await openCachedIndex(root, cacheFile);
  assert.equal(cached.parsed, 0);
  for (const path of cached.paths) assert.deepEqual(cached.index.tagsOf(path), await parseTags(path, readFileSync(join(root, path), "utf8")), path);
  assert.ok(cached.index.tagsOf("lib/pool.js")!.bindings.some((binding) => binding.name === "this.agent" && binding.source.text === "Agent"));
});

test("two opens of one repository at once in one process both write the cache, and it reads back whole", async () => {
  const cacheFile = join(mkdtempSync(join(tmpdir(), "ghost-cache-store-")), "tag-index.json");
  const [first, second] = await Promise.all([openCachedIndex(fixture, cacheFile), openCachedIndex(fixture, cacheFile)]);
  assert.deepEqual(first.paths, second.paths);
  const third = await openCachedIndex(fixture, cacheFile);
  assert.deepEqual([third.reused, third.parsed], [first.paths.length, 0]);
});
