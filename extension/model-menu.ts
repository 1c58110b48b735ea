// What a click on Ghost's model status item offers: restart the model, download a published code model, pick
// another model folder (written to the ghost.model setting of this workspace), or show the log; its title shows the
// model worker's resident memory.
import * as vscode from "vscode";
import type { WorkerMemory } from "../model/worker-protocol";

/** `memory`: the running worker's memory, or null when no model is loaded. */
export async function showModelMenu(memory: () => Promise<WorkerMemory | null>): Promise<void> {
  const used = await memory();
  const megabytes = (bytes: number) => Math.round(bytes / 2 ** 20);
  const choices = [
    { label: "$(refresh) Restart the model", command: "ghost.restartModel" },
    { label: "$(cloud-download) Download a model…", command: "ghost.downloadModel" },
    { label: "$(folder-opened) Choose a model folder…", command: "choose" },
    { label: "$(output) Show Ghost's log", command: "ghost.showOutput" },
  ];
  const title = used ? `Ghost: model (worker memory ${megabytes(used.residentBytes)} MB, peak ${megabytes(used.peakBytes)} MB)` : "Ghost: model (not loaded)";
  const choice = await vscode.window.showQuickPick(choices, { title });
  if (!choice) return;
  if (choice.command !== "choose") return void (await vscode.commands.executeCommand(choice.command));
  const [folder] = (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, title: "A model folder in the Hugging Face ONNX layout" })) ?? [];
  if (folder) await vscode.workspace.getConfiguration("ghost").update("model", folder.fsPath, vscode.ConfigurationTarget.Workspace);
}
