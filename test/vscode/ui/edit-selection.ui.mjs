// A user selects `return result;` in two functions (Ctrl+D adds the second), runs Ghost: Edit Selection from the
// palette, types an instruction and sees the shipped test model's proposal inline: removed lines in red, added
// text in green, a CodeLens above each hunk. They accept the first hunk and reject the second, save, and Ctrl+Z
// brings back the file byte for byte. The model writes nonsense, so only the mechanics are checked: one hunk per
// selected line, the accepted one written, the rejected one left alone. Screenshots go to test-results/.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openFile, startCommand, statusBarItem, waitForWorkbench } from "../harness/user.mjs";

const lines = [
  "export function total(values: number[]): number {",
  "  let result = 0;",
  "  for (const value of values) result += value;",
  "  return result;", // line 4: the first selection
  "}",
  "",
  "export function mean(values: number[]): number {",
  "  if (values.length === 0) return 0;",
  "  return total(values) / values.length;",
  "}",
  "",
  "export function largest(values: number[]): number {",
  "  let result = -Infinity;",
  "  for (const value of values) result = Math.max(result, value);",
  "  return result;", // line 15: the second, found by Ctrl+D
  "}",
];
const original = lines.map((line) => `${line}\n`).join("");

export async function run({ page, workspace, screenshot }) {
  const file = join(workspace, "src", "stats.ts");
  writeFileSync(file, original);
  await waitForWorkbench(page);
  await statusBarItem(page, "ghost-dev.ghost", "ghost.model").locator(".codicon-sparkle").waitFor({ timeout: 90_000 });
  await openFile(page, "stats.ts");
  await page.locator(".editor-instance .monaco-editor .view-lines").first().click();
  await goToLine(page, 4);
  await page.keyboard.press("Home"); // the first non-blank character
  await page.keyboard.press("Shift+End");
  await page.keyboard.press("Control+D");

  const input = await startCommand(page, "Ghost: Edit Selection");
  await page.locator(".quick-input-widget .quick-input-title", { hasText: "Ghost: edit src/stats.ts:4, 15" }).waitFor();
  await input.fill("return the result explicitly typed");
  await page.keyboard.press("Enter");

  const lens = (number) => page.locator(".editor-instance .codelens-decoration", { hasText: `Ghost hunk ${number}/2:` });
  await lens(1).waitFor({ timeout: 60_000 });
  await lens(2).waitFor();
  assert.equal(await shownAfterLines(page), 2, "each hunk's added text is shown after the line it replaces");
  await screenshot("inline-diff");

  await lens(1).locator("a", { hasText: /^Accept$/ }).click();
  await lens(1).waitFor({ state: "detached" });
  await lens(2).locator("a", { hasText: /^Reject$/ }).click();
  await page.locator(".editor-instance .codelens-decoration", { hasText: "Ghost hunk" }).first().waitFor({ state: "detached" });
  await screenshot("accepted-first-rejected-second");

  const saved = await save(page, file, (text) => text !== original);
  assert.ok(saved.startsWith(original.split("\n").slice(0, 3).join("\n") + "\n"), `lines 1-3 are untouched:\n${saved}`);
  assert.ok(saved.endsWith(original.split("\n").slice(4).join("\n")), `lines 5-16 (the rejected hunk's line 15 among them) are untouched:\n${saved}`);
  assert.ok(!saved.includes("  return result;\n}\n\nexport function mean"), "the accepted hunk replaced line 4");

  await page.keyboard.press("Control+Z");
  assert.equal(await save(page, file, (text) => text === original), original);
}

// How many lines show decoration text that starts with "→" (Monaco puts it in CSS ::after content, not the DOM).
async function shownAfterLines(page) {
  return page.evaluate(() => {
    const spans = [...document.querySelectorAll(".editor-instance .view-lines .view-line span")];
    return spans.filter((span) => getComputedStyle(span, "::after").content.startsWith('"→')).length;
  });
}

async function goToLine(page, line) {
  await page.keyboard.press("Control+G");
  await page.locator(".quick-input-widget .quick-input-box input").fill(`:${line}`);
  await page.keyboard.press("Enter");
}

// Ctrl+S, then the file's text once `done` says the save reached the disk.
async function save(page, file, done) {
  await page.keyboard.press("Control+S");
  const deadline = Date.now() + 10_000;
  for (;;) {
    const text = readFileSync(file, "utf8");
    if (done(text) || Date.now() > deadline) return text;
    await page.waitForTimeout(100);
  }
}
