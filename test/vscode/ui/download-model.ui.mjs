// First run, as a user does it: "Ghost: Download Model…", "Another model…", a hub id, the consent dialog with the
// download's real size, progress in a notification; Cancel while the weights are half sent (the local hub holds
// the transfer open); then the same again, which resumes where it stopped (judged from the hub's own log: a Range
// request from the bytes already received), verifies, and sets ghost.model to the store's folder (judged from the
// disk: the manifest the store writes only after every hash matched). The hub is the model-store tests' local
// server (test/helpers/fake-hub.ts) serving the shipped test model, named to code-server in HF_ENDPOINT.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { tsImport } from "tsx/esm/api";
import { startCommand, statusBarItem, waitForNotification, waitForWorkbench } from "../harness/user.mjs";

const root = resolve(import.meta.dirname, "../../..");
const { startFakeHub } = await tsImport("../../helpers/fake-hub.ts", import.meta.url);
const repo = "acme/tiny-coder";
const weights = "onnx/model_quantized.onnx"; // the int8 file the store's "auto" variant picks
const hub = await startFakeHub({ repos: { [repo]: join(root, "test/fixtures/models/tiny-coder") } });
const home = mkdtempSync(join(tmpdir(), "ghost-download-home-"));
export const serverEnv = { HF_ENDPOINT: hub.url, GHOST_HOME: home };

async function startDownload(page) {
  const input = await startCommand(page, "Ghost: Download Model");
  // The list of published models, each with its size and licence; this test takes "Another model…".
  await page.locator(".quick-input-widget .monaco-list-row", { hasText: "onnx-community/Qwen2.5-Coder-1.5B-Instruct" }).waitFor();
  assert.ok((await page.locator(".quick-input-widget .monaco-list-row", { hasText: "Apache-2.0" }).count()) > 0, "licences are listed");
  await input.fill("Another model");
  await page.locator(".quick-input-widget .monaco-list-row.focused", { hasText: "Another model" }).waitFor();
  await page.keyboard.press("Enter");
  await page.locator(".quick-input-widget .quick-input-title", { hasText: "Ghost: download a model" }).waitFor();
  await input.fill(repo);
  await page.keyboard.press("Enter");
  const dialog = page.locator(".monaco-dialog-box");
  await dialog.waitFor({ timeout: 30_000 });
  return dialog;
}

export async function run({ page, screenshot }) {
  try {
    await waitForWorkbench(page);
    await statusBarItem(page, "ghost-dev.ghost", "ghost.model").waitFor({ timeout: 60_000 }); // Ghost's commands are there
    hub.faults.stallAfter = { path: weights, bytes: 4096 };
    const dialog = await startDownload(page);
    assert.match(await dialog.textContent(), new RegExp(`Download ${repo} \\(\\d+ MB\\)\\?`));
    await screenshot("consent");
    await dialog.locator(".dialog-buttons a.monaco-button", { hasText: "Download" }).click();

    const stalled = () => hub.log.some((request) => request.path.includes(weights) || request.path.startsWith("/cdn/"));
    for (let waited = 0; !stalled(); waited += 100) {
      if (waited > 30_000) throw new Error(`the download never asked for ${weights}`);
      await page.waitForTimeout(100);
    }
    await page.waitForTimeout(500); // the first 4096 bytes reach the part file
    await waitForNotification(page, new RegExp(`Ghost: ${repo}`));
    await screenshot("progress");
    await page.locator(".notifications-center .monaco-list-row", { hasText: `Ghost: ${repo}` }).locator("a.monaco-button", { hasText: "Cancel" }).click();
    await waitForNotification(page, /was cancelled; what arrived is kept/);

    hub.faults.stallAfter = undefined;
    const requestsBefore = hub.log.length;
    const again = await startDownload(page);
    await again.locator(".dialog-buttons a.monaco-button", { hasText: "Download" }).click();
    const done = await waitForNotification(page, /is downloaded and verified; ghost\.model is now /, 60_000);
    await screenshot("downloaded");
    const dir = join(home, "models", "acme--tiny-coder--main");
    assert.ok(done.includes(dir), done);
    assert.ok(existsSync(join(dir, ".ghost-manifest.json")), "the store wrote its manifest: every file verified");
    assert.deepEqual(readFileSync(join(dir, weights)), readFileSync(join(root, "test/fixtures/models/tiny-coder", weights)));
    const resumed = hub.log.slice(requestsBefore).filter((request) => /^bytes=[1-9]\d*-$/.test(request.range ?? ""));
    assert.ok(resumed.length > 0, `the second download resumed with a Range request: ${JSON.stringify(hub.log.slice(requestsBefore))}`);
  } finally {
    await hub.close();
  }
}
