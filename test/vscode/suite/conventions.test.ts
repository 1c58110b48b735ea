// The workspace's conventions in a real VS Code: mined in the background, shown by "Ghost: Show Conventions", and
// used to drop a completion that breaks a strong formatting convention.
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { before, describe, it } from "mocha";
import * as vscode from "vscode";
import type { GhostApi } from "../../../extension/extension";

async function until(condition: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe("conventions", () => {
  let ghost: GhostApi;
  before(async () => {
    ghost = await vscode.extensions.getExtension<GhostApi>("ghost-dev.ghost")!.activate();
    await until(() => ghost.conventions.profile !== null, "the conventions to be mined");
  });

  it("shows what was learned, with strength and evidence", async () => {
    await vscode.commands.executeCommand("ghost.showConventions");
    await until(() => vscode.window.activeTextEditor?.document.getText().startsWith("Conventions of") === true, "the conventions document");
    const shown = vscode.window.activeTextEditor!.document.getText();
    assert.match(shown, /statements end with a semicolon — \d+ of \d+ \(src\/\w+\.ts:\d+/);
  });

  it("gives edits a short summary of the file's enforced conventions", () => {
    const summary = ghost.conventions.summaryFor("src/new.ts")!;
    assert.match(summary, /^Conventions of this repository:\n- logs with console/);
    assert.ok(summary.length <= 200 * 3.5, `${summary.length} characters`);
  });
});
