// Measures Ghost's activation in the real extension host, for `npm run bench -- activation` (bench/activation.ts):
// installs the VSIX of `npm run package` into a code-server of its own (as test/vscode/run.mjs does for the smoke
// suite), opens the sample workspace in N windows one after another (each window its own extension host, so each
// activation loads Ghost's code cold into a fresh host), and reads what Ghost logged for each: activation wall and
// CPU time, split into loading the activation bundle and activate(), and the host's memory then. In the last window
// it then types in main.ts, as a user would, until the model is ready: Ghost's first use, which loads the rest of
// its code and the model worker; it reads that log line and the host's and worker's memory from /proc.
// usage: node test/vscode/bench-activation.mjs [windows]   prints one JSON object on its last line.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { installExtension, startCodeServer } from "./harness/code-server.mjs";
import { openFile, waitForWorkbench } from "./harness/user.mjs";
import { launchBrowser } from "./harness/workbench.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const windows = Number(process.argv[2] ?? 5);
const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const vsix = join(root, `ghost-${process.platform}-${process.arch}-${version}.vsix`);
if (!existsSync(vsix)) throw new Error(`${vsix} is missing: run npm run package`);

const temp = mkdtempSync(join(tmpdir(), "ghost-bench-activation-"));
const dirs = { userData: join(temp, "user-data"), extensions: join(temp, "extensions"), home: join(temp, "home") };
mkdirSync(join(dirs.userData, "User"), { recursive: true });
writeFileSync(join(dirs.userData, "User/settings.json"), JSON.stringify({ "ghost.model": join(root, "test/fixtures/models/tiny-coder") }, null, 2));
const folder = join(temp, "workspace");
cpSync(join(root, "test/vscode/workspace"), folder, { recursive: true });
installExtension(root, dirs, vsix);
// A closed window's extension host exits a second after its page goes, so hosts do not pile up on a busy machine.
const server = await startCodeServer(root, dirs, () => {}, {}, { args: ["--reconnection-grace-time", "1"] });
const browser = await launchBrowser(dirs.home);
try {
  const activations = [];
  let firstUse = null;
  for (let index = 0; index < windows; index++) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${server.url}/?folder=${encodeURIComponent(folder)}`, { waitUntil: "domcontentloaded" });
    const line = await waitFor(() => ghostLogLines(/activated in .*/)[index], `window ${index + 1}'s activation line`, 120_000);
    const activated = /activated in ([\d.]+) ms, ([\d.]+) ms of CPU \(loading Ghost's code ([\d.]+) ms, VS Code's own preparation ([\d.]+) ms, activate\(\) ([\d.]+) ms\); extension host (\d+) MB/;
    const [wallMs, cpuMs, loadingMs, vscodeMs, activateMs, hostMB] = numbers(activated, line);
    activations.push({ wallMs, cpuMs, loadingMs, vscodeMs, activateMs, hostMB });
    if (index === windows - 1) {
      // No worker may run before first use (closed windows' hosts have stopped theirs, if any started).
      const workersBefore = modelWorkers().length;
      await waitForWorkbench(page);
      await openFile(page, "main.ts");
      await page.locator(".editor-instance .monaco-editor .view-lines").first().click();
      await page.keyboard.press("Control+End");
      await page.keyboard.press("Enter");
      await page.keyboard.type("const total = add(", { delay: 60 });
      const loaded = await waitFor(() => ghostLogLines(/loaded Ghost on first use in .*/)[0], "the first use's line", 60_000);
      await waitFor(() => ghostLogLines(/model ready: .*/)[0], "the model to be ready", 120_000);
      const [useWallMs, useCpuMs, useLoadingMs, startMs] = numbers(/in ([\d.]+) ms, ([\d.]+) ms of CPU \(loading Ghost's code ([\d.]+) ms, startGhost\(\) ([\d.]+) ms\)/, loaded);
      const [worker] = await waitFor(() => modelWorkers().length > 0 && modelWorkers(), "the model worker", 30_000);
      // The host settles a moment after the model is ready (the workspace index, conventions) before memory is read.
      await page.waitForTimeout(3_000);
      firstUse = { workersBefore, wallMs: useWallMs, cpuMs: useCpuMs, loadingMs: useLoadingMs, startMs, hostMB: rssMB(worker.parent), workerMB: rssMB(worker.pid) };
    }
    await page.close();
  }
  console.log(JSON.stringify({ activations, firstUse }));
} finally {
  await browser.close().catch(() => {});
  await server.stop();
  rmSync(temp, { recursive: true, force: true });
}

/** Lines matching pattern in every window's Ghost log, windows in the order their hosts started. */
function ghostLogLines(pattern) {
  const logs = join(dirs.userData, "logs");
  if (!existsSync(logs)) return [];
  const files = readdirSync(logs, { recursive: true })
    .filter((file) => file.endsWith("ghost-dev.ghost/Ghost.log"))
    .sort((a, b) => hostOrder(a) - hostOrder(b) || a.localeCompare(b));
  return files.flatMap((file) => readFileSync(join(logs, file), "utf8").match(new RegExp(pattern, "g")) ?? []);
}

function hostOrder(file) {
  return Number(/exthost(\d+)/.exec(file)?.[1] ?? 0);
}

function numbers(pattern, line) {
  const match = pattern.exec(line);
  if (!match) throw new Error(`Ghost's log line ${JSON.stringify(line)} does not match ${pattern}`);
  return match.slice(1).map(Number);
}

/** The installed extension's model workers: pid and parent (the extension host). */
function modelWorkers() {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .flatMap((pid) => {
      const cmdline = readOr(`/proc/${pid}/cmdline`);
      if (!cmdline.includes(join(dirs.extensions)) || !cmdline.includes("worker-main.js")) return [];
      const parent = Number(readOr(`/proc/${pid}/stat`).replace(/^.*\) /, "").split(" ")[1]);
      return [{ pid: Number(pid), parent }];
    });
}

function rssMB(pid) {
  const match = /VmRSS:\s+(\d+) kB/.exec(readOr(`/proc/${pid}/status`));
  return match ? Math.round(Number(match[1]) / 1024) : null;
}

/** A process can end between listing /proc and reading it. */
function readOr(file) {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

async function waitFor(probe, what, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs / 1000} s`);
    await new Promise((done) => setTimeout(done, 200));
  }
}
