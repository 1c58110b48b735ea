// What a click on Ghost's model status item offers: restart the model, download a published code model, pick
// another model folder (written to the ghost.model setting of this workspace), set a model server's API key, or show
// the log; its title shows the model worker's resident memory and the peak its load check planned for against the
// memory available, or which server the model runs on.
import * as vscode from "vscode";
import type { WorkerMemory } from "../model/worker-protocol";

/** `memory`: the running worker's memory, or null when no model is loaded; `server`: "NAME at URL" when the model
 *  runs on a server. */
export async function showModelMenu(memory: () => Promise<WorkerMemory | null>, server: string | null = null): Promise<void> {
  const used = await memory();
  const megabytes = (bytes: number) => Math.round(bytes / 2 ** 20);
  const choices = [
    { label: "$(refresh) Restart the model", command: "ghost.restartModel" },
    { label: "$(cloud-download) Download a model…", command: "ghost.downloadModel" },
    { label: "$(folder-opened) Choose a model folder…", command: "choose" },
    { label: "$(key) Set API key for a model server…", command: "ghost.setApiKey" },
    { label: "$(output) Show Ghost's log", command: "ghost.showOutput" },
  ];
  const title = server
    ? `Ghost: model (${server})`
    : used
      ? `Ghost: model (worker memory ${megabytes(used.residentBytes)} MB, peak ${megabytes(used.peakBytes)} MB; planned peak ${megabytes(used.plannedPeakBytes)} MB of ${megabytes(used.availableBytes)} MB available)`
      : "Ghost: model (not loaded)";
  const choice = await vscode.window.showQuickPick(choices, { title });
  if (!choice) return;
  if (choice.command !== "choose") return void (await vscode.commands.executeCommand(choice.command));
  const [folder] = (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, title: "A model folder in the Hugging Face ONNX layout" })) ?? [];
  if (folder) await vscode.workspace.getConfiguration("ghost").update("model", folder.fsPath, vscode.ConfigurationTarget.Workspace);
}
