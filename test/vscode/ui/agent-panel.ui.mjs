// A user starts an agent task from the palette (Ghost: Start Agent Task), with a scripted model at review (level
// 2), and works it from the Ghost Agent panel's own buttons: accepts the first edit's hunk and rejects the second,
// reads the command's exact argv and working directory and approves it, sees its output in the transcript, then
// reverts the whole task. The files on disk are checked after each step. The scripted replies reach the extension's
// test build through agentScript, a file outside the workspace (run.mjs). Screenshots go to test-results/.
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startCommand, statusBarItem, waitForWorkbench } from "../harness/user.mjs";

const reply = (tool, args) => `Next step.\n\`\`\`json\n${JSON.stringify({ tool, args })}\n\`\`\``;
const script = [
  reply("edit_file", { path: "src/math.ts", search: "export function add(", replace: "/** The sum of a and b. */\nexport function add(" }),
  reply("edit_file", { path: "src/math.ts", search: "  return a + b;\n}\n", replace: "  return a + b;\n}\n\nexport function sub(a: number, b: number): number {\n  return a - b;\n}\n" }),
  reply("run_command", { command: `node -e "require('fs').writeFileSync('out.txt','hi'); console.log('wrote out.txt')"` }),
  reply("finish", { summary: "documented add" }),
];

export async function run({ page, workspace, screenshot, agentScript }) {
  const math = join(workspace, "src", "math.ts");
  const out = join(workspace, "out.txt");
  const original = readFileSync(math);
  writeFileSync(agentScript, JSON.stringify(script));
  await waitForWorkbench(page);
  // The palette lists an extension's commands once its contributions are in: wait for Ghost's autonomy item.
  await statusBarItem(page, "ghost-dev.ghost", "ghost.autonomy").waitFor({ timeout: 60_000 });

  // startCommand, not runCommand: the task's input box reuses the palette's widget, so it never hides.
  const input = await startCommand(page, "Ghost: Start Agent Task");
  await page.locator(".quick-input-widget .quick-input-title", { hasText: "Ghost: agent task" }).waitFor({ timeout: 30_000 });
  await input.fill("document add, add sub, and write out.txt");
  await page.keyboard.press("Enter");

  const panel = page.frameLocator("iframe.webview.ready").frameLocator("iframe#active-frame");
  const request = panel.locator("article.request");
  await request.first().waitFor({ timeout: 60_000 });
  await panel.locator("#autonomy[aria-valuetext='2 Review']").waitFor();
  const firstHunk = request.locator(".hunk", { hasText: "+/** The sum of a and b. */" });
  await firstHunk.waitFor();
  await screenshot("change-review");
  await firstHunk.locator("button.accept").click();

  const secondHunk = request.locator(".hunk", { hasText: "+export function sub(a: number, b: number): number {" });
  await secondHunk.waitFor();
  await secondHunk.locator("button.reject").click();

  const command = panel.locator("article.commandRequest");
  await command.waitFor();
  assert.equal(await command.locator("code.argv").textContent(), JSON.stringify(["node", "-e", "require('fs').writeFileSync('out.txt','hi'); console.log('wrote out.txt')"]));
  assert.ok((await command.locator("code.cwd").textContent()).endsWith("agent-panel"), "the working directory is the workspace");
  assert.equal(readFileSync(math, "utf8"), `/** The sum of a and b. */\n${original}`, "exactly the accepted hunk is on disk");
  assert.equal(existsSync(out), false);
  await screenshot("command-approval");
  await command.locator("button.approve").click();

  await panel.locator(".entry.observation pre", { hasText: "wrote out.txt" }).waitFor({ timeout: 30_000 });
  await panel.locator(".entry.end", { hasText: "finished: documented add" }).waitFor({ timeout: 30_000 });
  assert.equal(readFileSync(out, "utf8"), "hi");
  await screenshot("finished");

  const revert = panel.locator("button", { hasText: "Revert task" });
  await revert.focus();
  await page.keyboard.press("Enter"); // keyboard, not a click: the buttons are real <button>s
  await panel.locator(".entry.info", { hasText: "Reverted the task" }).waitFor({ timeout: 30_000 });
  assert.deepEqual(readFileSync(math), original, "src/math.ts is byte for byte what it was");
  assert.equal(existsSync(out), false, "out.txt is gone");
  await screenshot("reverted");
}
