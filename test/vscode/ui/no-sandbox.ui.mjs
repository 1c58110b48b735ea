// Ghost where the command sandbox does not work (GHOST_BWRAP names a program that does not exist, in a code-server
// of this script's own): the status bar's autonomy item and the agent panel say "no sandbox" and why, and even at
// autopilot a command is asked, shown as running without a sandbox (no "Run with network", no "Run outside the
// sandbox"); rejected, it did not run (judged from the disk).
import assert from "node:assert/strict";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { statusBarItem, waitForWorkbench } from "../harness/user.mjs";

export const serverEnv = { GHOST_BWRAP: "/nonexistent/bwrap" };

const reply = (tool, args) => `Next step.\n\`\`\`json\n${JSON.stringify({ tool, args })}\n\`\`\``;

export async function run({ page, workspace, screenshot, agentScript }) {
  await waitForWorkbench(page);
  const item = statusBarItem(page, "ghost-dev.ghost", "ghost.autonomy");
  await item.filter({ hasText: "no sandbox" }).waitFor({ timeout: 60_000 });
  // The reason (the tooltip on hover) is also the item's accessible name.
  const labels = [await item.getAttribute("aria-label"), await item.locator("a").first().getAttribute("aria-label")];
  assert.ok(labels.some((label) => /, no sandbox: \S/.test(label ?? "")), `the accessible name gives the reason: ${labels.join(" | ")}`);

  await page.locator('.part.activitybar .action-item a[aria-label^="Ghost"]').click();
  const panel = page.frameLocator("iframe.webview.ready").frameLocator("iframe#active-frame");
  const banner = panel.locator("#no-sandbox");
  await banner.waitFor({ timeout: 60_000 });
  assert.match(await banner.textContent(), /no sandbox: /);

  const slider = panel.locator("#autonomy");
  await slider.focus();
  await slider.press("ArrowRight");
  await slider.press("ArrowRight");
  await panel.locator("#autonomy[aria-valuetext='4 Autopilot']").waitFor();
  await item.filter({ hasText: "Autopilot" }).waitFor();

  writeFileSync(agentScript, JSON.stringify([reply("run_command", { command: "touch autopilot.txt" }), reply("finish", { summary: "asked" })]));
  await panel.locator("#task").fill("touch autopilot.txt");
  await panel.locator("button", { hasText: "Start" }).click();
  const command = panel.locator("article.commandRequest");
  await command.waitFor({ timeout: 30_000 });
  assert.equal(await command.locator("code.argv").textContent(), JSON.stringify(["touch", "autopilot.txt"]));
  await command.locator(".sandbox.off", { hasText: "no sandbox: " }).waitFor();
  assert.equal(await command.locator("button.network").count(), 0, "no sandbox to give network to");
  assert.equal(await command.locator("button.ask-unsandboxed").count(), 0, "every run is outside: no separate button");
  assert.equal(await command.locator("button.always").count(), 0, "an allow rule never removes the question where nothing contains the command");
  await command.locator("button.approve", { hasText: "Run (no sandbox)" }).waitFor();
  await screenshot("asked-at-autopilot");
  await command.locator("button.reject").click();
  await panel.locator(".entry.end", { hasText: "finished: asked" }).waitFor({ timeout: 30_000 });
  assert.equal(existsSync(join(workspace, "autopilot.txt")), false, "rejected, so not run");
}
