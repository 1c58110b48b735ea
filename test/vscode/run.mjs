// Runs Ghost's tests in a real VS Code: code-server 1.139 in headless chromium, with Ghost's test build
// (dist/test/vscode/extension/, from scripts/build-vscode-tests.mjs: the shipped code behind a test entry point that
// returns its live parts and takes a scripted agent model) as the extension under development, each window on a
// fresh copy of test/vscode/workspace/.
//   1. the in-host suite (dist/test/vscode/suite/index.js, from scripts/build-vscode-tests.mjs)
//   2. the smoke suite for the installed extension ("installed"): the VSIX of `npm run package`
//      (ghost-<platform>-<version>.vsix) installed into a code-server of its own with --install-extension, and
//      dist/test/vscode/smoke-runner/suite/index.js run beside it (activation, ghost text, Edit Selection, the agent,
//      the Language Model API); its "bench:" lines are activation time and memory
//   3. each UI script test/vscode/ui/*.ui.mjs, which drives the workbench page like a user. It gets
//      { page, workspace, screenshot, agentScript, userData }: agentScript is the file (outside the workspace) whose
//      JSON list of replies the agent's model replays; userData is its code-server's user data folder. A script that exports serverEnv gets a code-server of its own with
//      that environment added (e.g. GHOST_BWRAP=/nonexistent: no sandbox).
// usage: node test/vscode/run.mjs [suite] [installed] [substring ...]   — only the suite, the installed VSIX's
//   smoke suite and/or the UI scripts whose file name contains a substring ("ui": all of them)
// Prints the suite's lines and each UI script's result; VS Code's full logs go to test-results/vscode/*.log.
// Ends with "vscode: N passed, M failed"; the exit code is 0 only when everything passed.
// GHOST_VSCODE_TIMEOUT_S (default 300) bounds the suite; GHOST_VSCODE_KEEP=1 keeps the temp folders.
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { format } from "node:util";
import { installExtension, startCodeServer } from "./harness/code-server.mjs";
import { launchBrowser, openWorkbench } from "./harness/workbench.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const suiteIndex = join(root, "dist/test/vscode/suite/index.js");
const extensionUnderTest = join(root, "dist/test/vscode/extension");
const smokeRunner = join(root, "dist/test/vscode/smoke-runner");
const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const vsix = join(root, `ghost-${process.platform}-${process.arch}-${version}.vsix`);
const uiFolder = join(root, "test/vscode/ui");
const results = join(root, "test-results/vscode");
const suiteTimeoutMs = Number(process.env.GHOST_VSCODE_TIMEOUT_S ?? 300) * 1000;
const uiTimeoutMs = 120_000;

const filters = process.argv.slice(2);
const selected = (name) =>
  filters.length === 0 || filters.some((filter) => (name === "suite" || name === "installed" ? filter === name : name.includes(filter)));
for (const file of [join(root, "dist/extension.js"), join(extensionUnderTest, "dist/extension.js"), suiteIndex, join(smokeRunner, "suite/index.js")]) {
  if (!existsSync(file)) fail(`${file} is missing: run node scripts/build.mjs && node scripts/build-vscode-tests.mjs`);
}
if (selected("installed") && !existsSync(vsix)) fail(`${vsix} is missing: run npm run package`);
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

const temp = mkdtempSync(join(tmpdir(), "ghost-vscode-"));
const dirs = serverDirs("");
// Read by the test build's entry point at each agent task's start; outside every workspace, so no task can write it.
const agentScript = join(temp, "agent-script.json");
const totals = { passed: 0, failed: 0 };
let server = null;
let browser = null;
let cleaning = null; // once, whether the run ends or a signal ends it
const cleanUp = () =>
  (cleaning ??= (async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
    if (process.env.GHOST_VSCODE_KEEP === "1") console.log(`vscode: kept ${temp}`);
    else rmSync(temp, { recursive: true, force: true });
  })());
for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]]) {
  process.once(signal, () => void cleanUp().then(() => process.exit(code)));
}
try {
  server = await startCodeServer(root, dirs, logFile("server"), { GHOST_TEST_AGENT_SCRIPT: agentScript });
  browser = await launchBrowser(dirs.home);
  if (selected("suite")) await runSuite("suite", server, extensionUnderTest, suiteIndex);
  if (selected("installed")) await runInstalled();
  for (const script of uiScripts()) await runUiScript(script);
} catch (error) {
  console.error(`vscode: ${error.stack ?? error}`);
  totals.failed++;
} finally {
  await cleanUp();
}
if (totals.failed > 0) console.log(`vscode: VS Code's logs are in ${relative(root, results)}/`);
console.log(`vscode: ${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed > 0 ? 1 : 0);

async function runSuite(name, on, extensionDevelopmentPath, extensionTestsPath) {
  let counted = null;
  const log = logFile(name);
  const { exited } = await openWorkbench(browser, {
    serverUrl: on.url,
    folder: workspaceCopy(name),
    extensionDevelopmentPath,
    extensionTestsPath,
    log: (level, message) => {
      const line = log(level, message);
      if (!line.startsWith("vscode-suite: ")) return;
      console.log(line);
      const summary = /^vscode-suite: (\d+) passed, (\d+) failed$/.exec(line);
      if (summary) counted = { passed: Number(summary[1]), failed: Number(summary[2]) };
    },
  });
  const code = await withTimeout(exited, suiteTimeoutMs, `the ${name} suite did not finish`);
  console.log(`vscode: the ${name} suite exited with code ${code}`);
  // No summary line means the suite did not run to its end (it failed to load, or the host crashed): one failure.
  // So is a non-zero exit after a summary with no failures.
  totals.passed += counted?.passed ?? 0;
  totals.failed += counted ? counted.failed + (code !== 0 && counted.failed === 0 ? 1 : 0) : 1;
}

// The VSIX installed as a user installs it, in a code-server of its own; its settings name the shipped test model
// (the VSIX carries none) and turn on the trace. The smoke runner is the extension under development, so Ghost
// itself is the installed copy.
async function runInstalled() {
  const dirs = serverDirs("installed");
  mkdirSync(join(dirs.userData, "User"), { recursive: true });
  const settings = { "ghost.model": join(root, "test/fixtures/models/tiny-coder"), "ghost.trace": true };
  writeFileSync(join(dirs.userData, "User/settings.json"), JSON.stringify(settings, null, 2));
  const installed = installExtension(root, dirs, vsix);
  logFile("installed-server")(installed);
  const own = await startCodeServer(root, dirs, logFile("installed-server"));
  try {
    await runSuite("installed", own, smokeRunner, join(smokeRunner, "suite/index.js"));
  } finally {
    await own.stop();
  }
}

function uiScripts() {
  if (!existsSync(uiFolder)) return [];
  return readdirSync(uiFolder).filter((name) => name.endsWith(".ui.mjs") && selected(name)).sort();
}

async function runUiScript(name) {
  const base = name.replace(/\.ui\.mjs$/, "");
  const workspace = workspaceCopy(base);
  const log = logFile(base);
  const { run, serverEnv } = await import(pathToFileURL(join(uiFolder, name)).href);
  const dirs = serverDirs(serverEnv ? base : "");
  const own = serverEnv ? await startCodeServer(root, dirs, logFile(`${base}-server`), { GHOST_TEST_AGENT_SCRIPT: agentScript, ...serverEnv }) : null;
  const { page } = await openWorkbench(browser, { serverUrl: (own ?? server).url, folder: workspace, extensionDevelopmentPath: extensionUnderTest, log });
  const screenshot = (shot) => page.screenshot({ path: join(results, `${base}-${shot}.png`) });
  try {
    await withTimeout(run({ page, workspace, screenshot, agentScript, userData: dirs.userData }), uiTimeoutMs, `${name} did not finish`);
    totals.passed++;
    console.log(`vscode-ui: ✔ ${base}`);
  } catch (error) {
    totals.failed++;
    console.log(`vscode-ui: ✖ ${base}\n${error.stack ?? error}`);
    await screenshot("failure").catch(() => {});
  } finally {
    await page.close();
    await own?.stop();
    rmSync(agentScript, { force: true }); // the next script's tasks start unscripted
  }
}

function serverDirs(name) {
  const base = join(temp, name ? `server-${name}` : "");
  return { userData: join(base, "user-data"), extensions: join(base, "extensions"), home: join(base, "home") };
}

// A fresh copy per window, so each starts from the fixture's bytes and VS Code's per-folder state is new.
function workspaceCopy(name) {
  const folder = join(temp, "workspaces", name);
  cpSync(join(root, "test/vscode/workspace"), folder, { recursive: true });
  return folder;
}

// Returns log(level?, message): appends one formatted line to test-results/vscode/NAME.log and returns it. The
// workbench hands over console arguments (["%s passed", 3]); the server hands over plain lines.
function logFile(name) {
  const file = join(results, `${name}.log`);
  return (level, message) => {
    if (message === undefined) [level, message] = ["server", level];
    const line = Array.isArray(message) ? format(...message) : String(message);
    appendFileSync(file, `[${level}] ${line}\n`);
    return line;
  };
}

function withTimeout(promise, ms, message) {
  let timer;
  const timeout = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${message} within ${ms / 1000} s`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function fail(message) {
  console.error(`vscode: ${message}`);
  console.log("vscode: 0 passed, 1 failed");
  process.exit(1);
}
