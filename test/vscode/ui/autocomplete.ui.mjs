// A user types a call in main.ts: Ghost's ghost text appears after the cursor, Tab accepts it, and the line then
// holds what was shown. The screenshot of the ghost text is kept in test-results/.
import assert from "node:assert/strict";
import { editorLines, openFile, statusBarItem, waitForWorkbench } from "../harness/user.mjs";

export async function run({ page, screenshot }) {
  await waitForWorkbench(page);
  await statusBarItem(page, "ghost-dev.ghost", "ghost.model").locator(".codicon-sparkle").waitFor({ timeout: 90_000 });
  await openFile(page, "main.ts");
  await page.locator(".editor-instance .monaco-editor .view-lines").first().click();
  await page.keyboard.press("Control+End");
  await page.keyboard.press("Enter");
  await page.keyboard.type("const total = add(", { delay: 60 });
  const ghostText = page.locator(".editor-instance .monaco-editor .ghost-text-decoration, .editor-instance .monaco-editor .ghost-text").first();
  await ghostText.waitFor({ timeout: 30_000 });
  const shown = (await page.locator(".editor-instance .monaco-editor .ghost-text-decoration, .editor-instance .monaco-editor .ghost-text").allTextContents())
    .join("")
    .replace(/\u00a0/g, " ");
  assert.ok(shown.trim().length > 0, "the ghost text is not empty");
  await screenshot("ghost-text");
  await page.keyboard.press("Tab");
  await ghostText.waitFor({ state: "detached", timeout: 10_000 });
  const typedLine = (await editorLines(page)).find((line) => line.startsWith("const total = add("));
  assert.ok(typedLine, "the typed line is in the editor");
  assert.ok(typedLine.startsWith(`const total = add(${shown.split("\n")[0]}`.trimEnd()), `${JSON.stringify(typedLine)} holds the accepted ${JSON.stringify(shown)}`);
  await screenshot("accepted");
}
