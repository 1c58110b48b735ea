// The model's status bar item before any model has loaded, in one place for the activation shell's stand-in
// (lazy-ghost.ts) and ModelHost, which shows the same item once Ghost's code is loaded. Light enough for the shell.
import { existsSync } from "node:fs";
import { join } from "node:path";
import * as vscode from "vscode";

/** The small test model a development checkout has (an installed VSIX does not carry it). */
export function shippedTestModel(extensionPath: string): string {
  return join(extensionPath, "test", "fixtures", "models", "tiny-coder");
}

/** No model set and none shipped: an installed VSIX's first run. */
export function hasNoModel(setting: string | undefined, extensionPath: string): boolean {
  return !setting && !existsSync(shippedTestModel(extensionPath));
}

/** The item as it is until the first use loads the model, shown. */
export function createModelStatusItem(): vscode.StatusBarItem {
  const item = vscode.window.createStatusBarItem("ghost.model", vscode.StatusBarAlignment.Right, 100);
  item.name = "Ghost model";
  item.command = "ghost.modelMenu";
  item.text = "$(sparkle) Ghost";
  item.tooltip = "Ghost: the model loads on first use. Click for the model menu.";
  item.show();
  return item;
}

/** The cloud icon: there is no model to load until the user downloads or chooses one. */
export function showNoModel(item: vscode.StatusBarItem): void {
  item.text = "$(cloud-download) Ghost";
  item.tooltip = "Ghost has no model yet: click, then Download a model.";
}
