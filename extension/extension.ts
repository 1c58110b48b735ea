// Ghost's entry point in VS Code, bundled alone into dist/extension.js so that activation loads little: activate()
// runs the activation shell (lazy-ghost.ts), which loads the rest of Ghost (dist/ghost-core.js) on first use, and
// returns nothing: another extension that activates Ghost gets no handle on its controller, its autonomy store or
// its model.
import type * as vscode from "vscode";
import { activateShell } from "./lazy-ghost";

export function activate(context: vscode.ExtensionContext): void {
  activateShell(context);
}

export function deactivate(): void {}
