// The miner over real packages in node_modules, asserting conventions checked by hand beforehand (grep over the
// sources): zod's core is double-quoted with semicolons and es5 trailing commas; @huggingface/jinja indents with
// tabs; jsdiff's build uses single quotes and 4 spaces; mocha's PascalCase constructor functions are constructors,
// named as classes are, so they do not split its camelCase function names.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { mineWorkspace } from "../../../agent/conventions/miner";
import type { Profile } from "../../../agent/conventions/profile";

const nodeModules = join(__dirname, "..", "..", "..", "node_modules");

/** Statement id → "value enforced|stated", and the share of observations as a whole percentage. */
function summary(profile: Profile, ids: string[]): Record<string, string> {
  return Object.fromEntries(
    ids.map((id) => {
      const found = profile.statements.find((statement) => statement.id === id);
      return [id, found ? `${found.value} ${found.enforced ? "enforced" : "stated"} ${Math.floor((100 * found.n) / found.m)}%` : "missing"];
    }),
  );
}

test("zod's core: double quotes, semicolons, 2 spaces, trailing commas in literals but not in calls, vitest specs", async () => {
  const profile = await mineWorkspace(join(nodeModules, "zod", "src", "v4", "core"));
  assert.deepEqual(
    summary(profile, [
      "javascript/quotes",
      "javascript/semicolons",
      "javascript/indent",
      "javascript/trailing-comma",
      "javascript/trailing-comma-call",
      "javascript/naming:class",
      "javascript/naming:file",
      "javascript/test-file",
      "javascript/test-location",
      "javascript/alternatives:test-framework",
    ]),
    {
      "javascript/quotes": "double enforced 100%",
      "javascript/semicolons": "with enforced 100%",
      "javascript/indent": "2 spaces enforced 99%",
      "javascript/trailing-comma": "with enforced 100%",
      "javascript/trailing-comma-call": "without enforced 100%",
      // Classes in 8 files: too few to enforce (support.ts).
      "javascript/naming:class": "PascalCase stated 100%",
      "javascript/naming:file": "kebab-case enforced 100%",
      "javascript/test-file": "*.test.* enforced 100%",
      "javascript/test-location": "tests folder enforced 100%",
      "javascript/alternatives:test-framework": "vitest enforced 100%",
    },
  );
});

test("@huggingface/jinja: tabs, double quotes, semicolons, PascalCase classes, try blocks in 2 of 240 functions", async () => {
  const profile = await mineWorkspace(join(nodeModules, "@huggingface", "jinja", "src"));
  assert.deepEqual(summary(profile, ["javascript/indent", "javascript/quotes", "javascript/semicolons", "javascript/naming:class"]), {
    // 7 files (classes in 4): clear habits, too few files to enforce them (support.ts).
    "javascript/indent": "tabs stated 100%",
    "javascript/quotes": "double stated 100%",
    "javascript/semicolons": "with stated 100%",
    "javascript/naming:class": "PascalCase stated 100%",
  });
  const tries = profile.statements.find((statement) => statement.id === "javascript/function-try")!;
  assert.equal(tries.text, "functions almost never contain a try/catch: 2 of 240 do");
  assert.deepEqual(tries.exceptions, ["runtime.ts:754", "runtime.ts:1994"]);
});

test("jsdiff's ES module build: single quotes, 4 spaces, semicolons, no trailing commas, no try blocks", async () => {
  const profile = await mineWorkspace(join(nodeModules, "diff", "libesm"));
  assert.deepEqual(
    summary(profile, ["javascript/quotes", "javascript/indent", "javascript/semicolons", "javascript/trailing-comma", "javascript/function-try"]),
    {
      "javascript/quotes": "single enforced 100%",
      "javascript/indent": "4 spaces enforced 100%",
      "javascript/semicolons": "with enforced 100%",
      // Multi-line literals in 5 of its files: too few to enforce (support.ts).
      "javascript/trailing-comma": "without stated 100%",
      "javascript/function-try": "without try enforced 100%",
    },
  );
});

test("mocha: PascalCase constructor functions are named as classes, so they do not split the camelCase function names", async () => {
  const profile = await mineWorkspace(join(nodeModules, "mocha", "lib"));
  assert.deepEqual(summary(profile, ["javascript/naming:function", "javascript/quotes", "javascript/alternatives:logging"]), {
    "javascript/naming:function": "camelCase enforced 100%",
    "javascript/quotes": "double enforced 100%",
    "javascript/alternatives:logging": "debug enforced 53%",
  });
});
