// @vscode/test-cli configuration (`npx vscode-test`) for machines that can download VS Code: runs the same bundled
// in-host suite (dist/test/vscode/suite/*.test.js; build it with scripts/build-vscode-tests.mjs) in desktop VS Code,
// against the same test build of the extension (dist/test/vscode/extension/, whose activate() returns its parts).
// It does not run on Ghost's build machine, which cannot download VS Code (nor Electron); there,
// `npm run test:vscode` runs the suite in code-server instead (test/vscode/run.mjs).
import { defineConfig } from "@vscode/test-cli";
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// Like test/vscode/run.mjs: a fresh copy of the fixture workspace and a fresh user data folder per run, because the
// tests write settings, and the settings test reads Ghost's log file from the user data folder's logs.
const temp = mkdtempSync(join(tmpdir(), "ghost-vscode-test-"));
const workspace = join(temp, "workspace");
cpSync("test/vscode/workspace", workspace, { recursive: true });

export default defineConfig({
  files: "dist/test/vscode/suite/*.test.js",
  workspaceFolder: workspace,
  extensionDevelopmentPath: "dist/test/vscode/extension",
  launchArgs: ["--user-data-dir", join(temp, "user-data"), "--disable-extensions", "--disable-workspace-trust"],
  env: { GHOST_TEST_VSCODE_LOGS: join(temp, "user-data", "logs") },
  mocha: { ui: "bdd", timeout: 60_000 },
});
