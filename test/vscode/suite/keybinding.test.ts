// Edit Selection's chord shadows nothing: no other default keybinding of this VS Code (its own and its built-in
// extensions', as "Preferences: Open Default Keyboard Shortcuts (JSON)" lists them for this platform) uses it.
import assert from "node:assert/strict";
import { describe, it } from "mocha";
import * as vscode from "vscode";
import { until } from "./until";

interface Keybinding {
  key: string;
  command: string;
}

describe("keybindings", () => {
  it("binds Edit Selection to a chord no other default keybinding uses", async () => {
    const ours = (vscode.extensions.getExtension("ghost-dev.ghost")!.packageJSON.contributes.keybindings as Keybinding[]).find((binding) => binding.command === "ghost.editSelection")!;
    await vscode.commands.executeCommand("workbench.action.openDefaultKeybindingsFile");
    await until(() => vscode.window.activeTextEditor?.document.uri.toString().includes("keybindings.json") === true, "the default keybindings");
    const text = vscode.window.activeTextEditor!.document.getText();
    await vscode.commands.executeCommand("workbench.action.closeActiveEditor");
    // The file is JSON with comments; each binding is one object with "key" and "command".
    const bindings = [...text.matchAll(/\{\s*"key":\s*"([^"]+)",\s*"command":\s*"([^"]+)"/g)].map(([, key, command]) => ({ key: key!, command: command! }));
    assert.ok(bindings.length > 500, `${bindings.length} default keybindings read`);
    assert.ok(bindings.some((binding) => binding.key === "ctrl+shift+i"), "the old chord is taken (Format Document), as the issue reported");
    const clashes = bindings.filter((binding) => binding.key === ours.key && binding.command !== "ghost.editSelection");
    // On a clash, name the Ctrl+K chords that are free here, to choose from.
    const used = new Set(bindings.map((binding) => binding.key));
    const free = [..."abcdefghijlmnopqrstuvwxyz"].flatMap((letter) => [`ctrl+k ctrl+${letter}`, `ctrl+k ${letter}`]).filter((key) => !used.has(key));
    assert.deepEqual(clashes, [], `free chords: ${free.join(", ")}`);
  });
});
