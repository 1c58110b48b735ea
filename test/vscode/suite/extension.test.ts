// Ghost as VS Code loads it: the extension activates, and every command its manifest contributes is registered.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "mocha";
import * as vscode from "vscode";

const ghost = () => {
  const extension = vscode.extensions.getExtension("ghost-dev.ghost");
  assert.ok(extension, "ghost-dev.ghost is not among the loaded extensions");
  return extension;
};

describe("the extension", () => {
  it("activates", async () => {
    await ghost().activate();
    assert.equal(ghost().isActive, true);
  });

  it("registers every command it contributes", async () => {
    await ghost().activate();
    const contributed: string[] = ghost().packageJSON.contributes.commands.map((entry: { command: string }) => entry.command);
    assert.ok(contributed.includes("ghost.restartModel") && contributed.includes("ghost.showOutput"));
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(contributed.filter((command) => !registered.has(command)), []);
  });

  it("contributes a first-run walkthrough whose pages exist and whose links run registered commands", async () => {
    await ghost().activate();
    const [walkthrough] = ghost().packageJSON.contributes.walkthroughs as { id: string; steps: { description: string; media: { markdown: string } }[] }[];
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const step of walkthrough!.steps) {
      assert.ok(existsSync(join(ghost().extensionPath, step.media.markdown)), step.media.markdown);
      for (const [, command] of step.description.matchAll(/\(command:([\w.]+)\)/g)) assert.ok(registered.has(command!), `${command} is not registered`);
    }
    assert.ok(walkthrough!.steps.some((step) => step.description.includes("command:ghost.downloadModel")));
    await vscode.commands.executeCommand("workbench.action.openWalkthrough", `ghost-dev.ghost#${walkthrough!.id}`, false);
    assert.match(vscode.window.tabGroups.activeTabGroup.activeTab?.label ?? "", /Welcome|Walkthrough|Get started/i);
    await vscode.commands.executeCommand("workbench.action.closeActiveEditor");
  });
});
