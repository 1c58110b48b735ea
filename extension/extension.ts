// Ghost's entry point in VS Code. activate() reads like a table of contents: output, settings, the model host,
// commands. Each command has exactly one catch, which logs and shows the message.
import * as vscode from "vscode";
import { ModelHost } from "./model-host";
import { readSettings } from "./settings";

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel("Ghost", { log: true });
  const host = new ModelHost(context.extensionPath, output);
  context.subscriptions.push(output, host);

  const startModel = async () => {
    const read = readSettings();
    if (!read.ok) throw new Error(read.message);
    await host.start(read.settings);
  };
  const reportFailure = (error: Error) => {
    output.error(error.message);
    host.showError(error.message);
    void vscode.window.showErrorMessage(`Ghost: ${error.message}`);
  };

  context.subscriptions.push(
    vscode.commands.registerCommand("ghost.restartModel", () => startModel().catch(reportFailure)),
    vscode.commands.registerCommand("ghost.showOutput", () => output.show()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration("ghost")) void startModel().catch(reportFailure);
    }),
  );
  void startModel().catch(reportFailure);
}

export function deactivate(): void {}
