// Ghost as VS Code loads it: the extension activates, and every command its manifest contributes is registered.
import assert from "node:assert/strict";
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
});
