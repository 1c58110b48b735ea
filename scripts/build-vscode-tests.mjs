// Bundles the in-host VS Code test suite (test/vscode/suite/*.ts) into dist/test/vscode/suite/, one file per test
// module plus index.js, which VS Code loads as extensionTestsPath. `vscode` comes from the host; mocha stays a
// plain require from node_modules, so the index and the test files share one mocha (its describe/it globals).
// Also builds the extension as the tests load it, into its own extension folder dist/test/vscode/extension/: the
// test entry point (test/vscode/extension-under-test.ts: the live parts returned, a scripted model for the agent)
// as its dist/extension.js, a copy of package.json, and links to what the shipped build put in dist/ (worker,
// webview, tree-sitter, conventions queries) and to the test models. The shipped dist/extension.js has none of it.
// And the smoke suite for the installed VSIX (test/vscode/smoke/*.test.ts) inside an extension of its own,
// dist/test/vscode/smoke-runner/, with no code: VS Code runs an extensionTestsPath only beside an extension under
// development, and this one must not be Ghost, so that Ghost is the copy installed from the VSIX.
// Run scripts/build.mjs first.
import { build } from "esbuild";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { activationBanner, activationFooter, nodeBundle } from "./node-bundle.mjs";

const suite = "test/vscode/suite";
// A test suite's bundle: `vscode` from the host, mocha a plain require shared by the index and the test files.
const suiteBundle = { bundle: true, platform: "node", target: "node20", format: "cjs", sourcemap: true, external: ["vscode", "mocha"], logLevel: "warning" };
rmSync("dist/test/vscode", { recursive: true, force: true }); // a deleted test must not run from a stale bundle
await build({
  entryPoints: readdirSync(suite)
    .filter((name) => name === "index.ts" || name.endsWith(".test.ts"))
    .map((name) => `${suite}/${name}`),
  outdir: "dist/test/vscode/suite",
  ...suiteBundle,
});

const extension = "dist/test/vscode/extension";
await build({
  entryPoints: { extension: "test/vscode/extension-under-test.ts" },
  outdir: `${extension}/dist`,
  ...nodeBundle,
  banner: activationBanner,
  footer: activationFooter,
  sourcemap: true,
});
// Code resolves these next to its bundle (__dirname: every worker and data folder of the shipped build) or the
// extension folder (extensionPath: the test models, the view container's icon, the walkthrough's pages).
if (!existsSync("dist/extension.js")) throw new Error("dist/extension.js is missing: run node scripts/build.mjs first");
// Not the shipped shell's lazily loaded half (ghost-core.js): this entry point bundles startGhost() itself.
const besideBundle = readdirSync("dist").filter((name) => !/^(extension|ghost-core)\.js(\.map)?$/.test(name) && name !== "test");
const linked = [...besideBundle.map((name) => `dist/${name}`), "test/fixtures/models", "webview/ghost.svg", "extension/walkthrough", "node_modules"];
for (const path of linked) {
  mkdirSync(dirname(join(extension, path)), { recursive: true });
  symlinkSync(resolve(path), join(extension, path));
}
writeFileSync(join(extension, "package.json"), readFileSync("package.json"));

const runner = "dist/test/vscode/smoke-runner";
await build({
  entryPoints: [`${suite}/index.ts`, ...readdirSync("test/vscode/smoke").filter((name) => name.endsWith(".test.ts")).map((name) => `test/vscode/smoke/${name}`)],
  outdir: `${runner}/suite`,
  entryNames: "[name]", // index.js and the tests side by side, as index.js expects
  ...suiteBundle,
});
const { engines } = JSON.parse(readFileSync("package.json", "utf8"));
const runnerManifest = { name: "ghost-smoke-runner", publisher: "ghost-dev", version: "0.0.0", engines: { vscode: engines.vscode } };
writeFileSync(join(runner, "package.json"), JSON.stringify(runnerManifest, null, 2));
symlinkSync(resolve("node_modules"), join(runner, "node_modules")); // mocha, for the suite's index
