// Bundles the in-host VS Code test suite (test/vscode/suite/*.ts) into dist/test/vscode/suite/, one file per test
// module plus index.js, which VS Code loads as extensionTestsPath. `vscode` comes from the host; mocha stays a
// plain require from node_modules, so the index and the test files share one mocha (its describe/it globals).
import { build } from "esbuild";
import { readdirSync, rmSync } from "node:fs";

const suite = "test/vscode/suite";
rmSync("dist/test/vscode", { recursive: true, force: true }); // a deleted test must not run from a stale bundle
await build({
  entryPoints: readdirSync(suite)
    .filter((name) => name === "index.ts" || name.endsWith(".test.ts"))
    .map((name) => `${suite}/${name}`),
  outdir: "dist/test/vscode/suite",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  sourcemap: true,
  external: ["vscode", "mocha"],
  logLevel: "warning",
});
