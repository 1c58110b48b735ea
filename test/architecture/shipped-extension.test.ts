// What ships in VS Code carries no test seam: the bundle package.json names (dist/extension.js, from
// scripts/build.mjs; `npm test` builds it before these tests) and the one it loads on first use (dist/ghost-core.js)
// contain no scripted model and no way for a file or an environment variable to drive the agent, and its activate()
// returns nothing another extension could use. The VS Code tests get those only from their own entry point, bundled
// apart (scripts/build-vscode-tests.mjs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { build } from "esbuild";
import { nodeBundle } from "../../scripts/node-bundle.mjs";

/** Names that only a test seam brings into a bundle (esbuild keeps class and property names: it does not minify). */
const seams = ["ScriptedModel", "GHOST_TEST_AGENT_SCRIPT", ".ghost-agent-script", "setAgentModel", "setEditModel", "modelForTests"];
const found = (bundle: string) => seams.filter((name) => bundle.includes(name));

test("the shipped extension bundles hold no test seam", () => {
  const main = (JSON.parse(readFileSync("package.json", "utf8")) as { main: string }).main;
  assert.equal(main, "./dist/extension.js");
  // The activation shell and the rest of the extension, which the shell loads on first use.
  for (const bundle of ["dist/extension.js", "dist/ghost-core.js"]) {
    assert.ok(existsSync(bundle), `${bundle} is missing: run node scripts/build.mjs first`);
    assert.deepEqual(found(readFileSync(bundle, "utf8")), [], bundle);
  }
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
  // Read, not run: the bundle needs a VS Code around it. Its activate is exactly one statement with no return, and
  // the shell it calls keeps the parts it loads to itself.
  const bundle = readFileSync("dist/extension.js", "utf8");
  assert.match(bundle, /\nfunction activate\((\w+)\) \{\n\s*activateShell\(\1\);\n\s*\}\n/);
  assert.match(bundle, /\nfunction activateShell\(/);
});
