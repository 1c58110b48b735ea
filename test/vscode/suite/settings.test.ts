// Ghost's settings in a real VS Code: an invalid value is reported as an error that names the setting.
import assert from "node:assert/strict";
import { afterEach, describe, it } from "mocha";
import * as vscode from "vscode";
import { ghostLogText, waitForLogLine } from "./ghost-log";

const ghostConfiguration = () => vscode.workspace.getConfiguration("ghost");

describe("settings", () => {
  afterEach(() => ghostConfiguration().update("modelVariant", undefined, vscode.ConfigurationTarget.Workspace));

  it("reports an invalid ghost.modelVariant as an error naming the setting", async () => {
    await vscode.extensions.getExtension("ghost-dev.ghost")!.activate();
    const before = ghostLogText().length;
    await ghostConfiguration().update("modelVariant", "q9", vscode.ConfigurationTarget.Workspace);
    assert.equal(ghostConfiguration().get("modelVariant"), "q9");
    const line = await waitForLogLine(/\[error\].*ghost\.modelVariant/, before);
    assert.match(line, /\[error\] Setting ghost\.modelVariant is invalid: .*"auto"/);
  });
});
