// What a click on Ghost's model status item offers: restart the model, pick another model folder (written to the
// ghost.model setting of this workspace), or show the log.
import * as vscode from "vscode";

export async function showModelMenu(): Promise<void> {
  const choices = [
    { label: "$(refresh) Restart the model", command: "ghost.restartModel" },
    { label: "$(folder-opened) Choose a model folder…", command: "choose" },
    { label: "$(output) Show Ghost's log", command: "ghost.showOutput" },
  ];
  const choice = await vscode.window.showQuickPick(choices, { title: "Ghost: model" });
  if (!choice) return;
  if (choice.command !== "choose") return void (await vscode.commands.executeCommand(choice.command));
  const [folder] = (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, title: "A model folder in the Hugging Face ONNX layout" })) ?? [];
  if (folder) await vscode.workspace.getConfiguration("ghost").update("model", folder.fsPath, vscode.ConfigurationTarget.Workspace);
}
