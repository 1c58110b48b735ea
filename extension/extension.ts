// Ghost's entry point in VS Code. activate() starts everything (start-ghost.ts) and returns nothing: another
// extension that activates Ghost gets no handle on its controller, its autonomy store or its model.
import type * as vscode from "vscode";
import { startGhost } from "./start-ghost";

export function activate(context: vscode.ExtensionContext): void {
  startGhost(context);
}

export function deactivate(): void {}
