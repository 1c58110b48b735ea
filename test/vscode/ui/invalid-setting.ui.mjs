// A user writes an invalid Ghost setting into the workspace's settings.json and gets an error notification that
// names the setting.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { statusBarItem, waitForNotification, waitForWorkbench } from "../harness/user.mjs";

export async function run({ page, workspace, screenshot }) {
  await waitForWorkbench(page);
  await statusBarItem(page, "ghost-dev.ghost", "ghost.model").waitFor({ timeout: 60_000 });
  const file = join(workspace, ".vscode/settings.json");
  writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, "utf8")), "ghost.modelVariant": "q9" }, null, 2));
  const text = await waitForNotification(page, /ghost\.modelVariant/);
  assert.match(text, /Ghost: Setting ghost\.modelVariant is invalid/);
  await screenshot("notification");
}
