// Opens VS Code's web workbench in headless Debian chromium (through playwright-core) on a folder, with Ghost
// loaded as the extension under development and, optionally, an in-host test suite. Knows nothing about
// code-server's process or about what the tests check.
import { join } from "node:path";
import { chromium } from "playwright-core";

const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

// playwright gives each launch a fresh temporary profile and deletes it on close; `home` keeps chromium's other
// files (crash reports) out of the user's ~/.config. The caller closes the browser on SIGINT/SIGTERM, together
// with code-server: playwright's own handlers would exit before that is done.
export function launchBrowser(home) {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: chromiumArgs,
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, ".config") },
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
}

// options: { serverUrl, folder, extensionDevelopmentPath, extensionTestsPath?, log(level, message) }
// Returns { page, exited }: exited resolves with the exit code the workbench reports through codeAutomationExit,
// which it calls when the extension host ends (after the in-host suite's run() settles).
export async function openWorkbench(browser, options) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  let reportExit;
  const exited = new Promise((resolve) => (reportExit = resolve));
  // Both must exist before the workbench loads: it looks them up on window when it starts and when it exits.
  await page.exposeFunction("codeAutomationLog", (level, message) => options.log(level, message));
  await page.exposeFunction("codeAutomationExit", (code) => reportExit(code));
  // Without an in-host suite the workbench does not log through codeAutomationLog: take the page's console.
  if (!options.extensionTestsPath) page.on("console", (message) => options.log(message.type(), message.text()));
  await page.goto(workbenchUrl(options), { waitUntil: "domcontentloaded" });
  return { page, exited };
}

export function workbenchUrl({ serverUrl, folder, extensionDevelopmentPath, extensionTestsPath }) {
  const remote = (path) => `vscode-remote://remote${path}`;
  const payload = [["extensionDevelopmentPath", remote(extensionDevelopmentPath)]];
  if (extensionTestsPath) payload.push(["extensionTestsPath", remote(extensionTestsPath)]);
  return `${serverUrl}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}
