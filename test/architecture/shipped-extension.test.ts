// What ships in VS Code carries no test seam: the bundle package.json names (dist/extension.js, from
// scripts/build.mjs; `npm test` builds it before these tests) contains no scripted model and no way for a file or
// an environment variable to drive the agent, and its activate() returns nothing another extension could use. The
// VS Code tests get those only from their own entry point, bundled apart (scripts/build-vscode-tests.mjs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { build } from "esbuild";
import { nodeBundle } from "../../scripts/node-bundle.mjs";

/** Names that only a test seam brings into a bundle (esbuild keeps class and property names: it does not minify). */
const seams = ["ScriptedModel", "GHOST_TEST_AGENT_SCRIPT", ".ghost-agent-script", "setAgentModel", "setEditModel", "modelForTests"];
const found = (bundle: string) => seams.filter((name) => bundle.includes(name));

test("the shipped extension bundle holds no test seam", () => {
  const main = (JSON.parse(readFileSync("package.json", "utf8")) as { main: string }).main;
  assert.equal(main, "./dist/extension.js");
  assert.ok(existsSync("dist/extension.js"), "dist/extension.js is missing: run node scripts/build.mjs first");
  assert.deepEqual(found(readFileSync("dist/extension.js", "utf8")), []);
});

test("the check sees the seams where they are: in the tests' own entry point", async () => {
  const { outputFiles } = await build({
    entryPoints: ["test/vscode/extension-under-test.ts"],
    ...nodeBundle,
    write: false,
    logLevel: "silent",
  });
  assert.deepEqual(found(outputFiles[0]!.text), ["ScriptedModel", "GHOST_TEST_AGENT_SCRIPT", "setAgentModel", "setEditModel"]);
});

test("activate() in the shipped bundle returns nothing", () => {
  // Read, not run: the bundle needs a VS Code around it. Its activate is exactly one statement with no return.
  const bundle = readFileSync("dist/extension.js", "utf8");
  assert.match(bundle, /\nfunction activate\((\w+)\) \{\n\s*startGhost\(\1\);\n\s*\}\n/);
});
