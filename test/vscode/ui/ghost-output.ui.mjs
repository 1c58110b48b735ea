// A user opens Ghost's output from the command palette: Ghost says how long it took to activate, and that no model
// loaded at startup; "Ghost: Restart Model" loads it, the log says so and the status bar shows Ghost ready.
import assert from "node:assert/strict";
import { runCommand, statusBarItem, waitForOutputText, waitForWorkbench } from "../harness/user.mjs";

export async function run({ page, screenshot }) {
  await waitForWorkbench(page);
  const ghostItem = statusBarItem(page, "ghost-dev.ghost", "ghost.model");
  await ghostItem.waitFor({ timeout: 60_000 }); // the extension activates on startup finished
  const showOutput = () => runCommand(page, "Ghost: Show Output");
  await showOutput();
  await waitForOutputText(page, /\[info\] activated in [\d.]+ ms/, showOutput);
  assert.doesNotMatch(await page.locator(".part.panel .monaco-editor .view-lines").first().textContent(), /model ready/, "the model loads on first use, not at startup");
  await runCommand(page, "Ghost: Restart Model");
  await waitForOutputText(page, /\[info\] model ready: \S+\.onnx \(\w+ FIM\)/, showOutput);
  await ghostItem.locator(".codicon-sparkle").waitFor({ timeout: 10_000 }); // "$(sparkle) Ghost": the worker is ready
  assert.equal((await ghostItem.textContent()).trim(), "Ghost");
  await screenshot("ready");
}
