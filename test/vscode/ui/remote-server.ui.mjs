// Ghost against a team's model server, as a user meets it: llama.cpp's llama-server (built by
// scripts/llama-server.sh) serves the test model's GGUF and wants an API key. The workspace's own
// .vscode/settings.json names the server; Ghost asks, in a notification that typing can not answer, before it sends
// code there (a repository can not choose the backend), and meanwhile completes with the user's own model (here the
// checkout's test model). Confirmed, but with no key yet, the model does not load and the status bar says why
// (401). "Ghost: Set
// API Key for Model Server…" stores the key in VS Code's secret storage (judged from the disk: no settings file
// holds it); then typing a call shows ghost text that only the server can have produced: ghost.model names nothing
// but the server.
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tsImport } from "tsx/esm/api";
import { openFile, startCommand, statusBarItem, waitForNotification, waitForWorkbench } from "../harness/user.mjs";

const { startLlamaServer } = await tsImport("../../helpers/llama-server.ts", import.meta.url);
const apiKey = "ghost-ui-test-key-7f3a";
const server = await startLlamaServer({ apiKey, alias: "tiny-coder" });
process.once("exit", () => server.kill("SIGKILL"));

export async function run({ page, workspace, screenshot, userData }) {
  try {
    await waitForWorkbench(page);
    mkdirSync(join(workspace, ".vscode"), { recursive: true });
    writeFileSync(join(workspace, ".vscode/settings.json"), JSON.stringify({ "ghost.model": server.baseUrl, "ghost.remoteModelName": "tiny-coder" }, null, 2));
    await openFile(page, "main.ts");
    await typeCall(page);

    const question = `point Ghost at the model server ${server.baseUrl}`;
    await waitForNotification(page, new RegExp(question.replace(/[.]/g, "\\.")), 60_000);
    // Unanswered, Ghost runs the user's own model: the local worker, not the server.
    const item = statusBarItem(page, "ghost-dev.ghost", "ghost.model");
    await item.locator(".codicon-sparkle").waitFor({ timeout: 60_000 });
    await screenshot("confirm-server");
    await page.locator(".notifications-center .monaco-list-row", { hasText: question }).locator("a.monaco-button", { hasText: "Use This Server" }).click();

    // No key stored yet: the server answers 401, and the model item says so.
    await item.locator(".codicon-error").waitFor({ timeout: 60_000 });
    const labels = [await item.getAttribute("aria-label"), await item.locator("a").first().getAttribute("aria-label")];
    assert.ok(labels.some((label) => /API key/i.test(label ?? "")), `the status item says the key is the problem: ${labels.join(" | ")}`);

    const input = await startCommand(page, "Ghost: Set API Key for Model Server");
    await page.locator(".quick-input-widget .quick-input-title", { hasText: "(1/2)" }).waitFor();
    assert.equal(await input.inputValue(), server.baseUrl, "the current server is offered");
    await page.keyboard.press("Enter");
    await page.locator(".quick-input-widget .quick-input-title", { hasText: "(2/2)" }).waitFor();
    await input.fill(apiKey);
    await page.keyboard.press("Enter");
    await page.locator(".quick-input-widget").waitFor({ state: "hidden" });

    // The next keystrokes load the model again, now with the key.
    await typeCall(page);
    const ghostTexts = page.locator(".editor-instance .monaco-editor .ghost-text-decoration, .editor-instance .monaco-editor .ghost-text");
    await ghostTexts.first().waitFor({ timeout: 60_000 });
    await item.locator(".codicon-cloud").waitFor({ timeout: 10_000 });
    const shown = (await ghostTexts.allTextContents()).join("").replace(/\u00a0/g, " ");
    assert.ok(shown.trim().length > 0, "the server's ghost text is not empty");
    await screenshot("remote-ghost-text");

    // The key is in no settings file on disk, user's or workspace's.
    for (const file of [...settingsFiles(join(workspace, ".vscode")), ...settingsFiles(userData)]) {
      assert.ok(!readFileSync(file, "utf8").includes(apiKey), `${file} does not hold the API key`);
    }
  } finally {
    await server.stop();
  }
}

async function typeCall(page) {
  await page.locator(".editor-instance .monaco-editor .view-lines").first().click();
  await page.keyboard.press("Control+End");
  await page.keyboard.press("Enter");
  await page.keyboard.type("const total = add(", { delay: 60 });
}

function settingsFiles(folder) {
  if (!folder) return [];
  const found = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith(".json")) found.push(path);
    }
  };
  walk(folder);
  return found;
}
