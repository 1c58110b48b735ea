// Registers edit in place with VS Code: the Edit Selection command, the review's hunk and file commands (run from
// its CodeLenses, or from the palette for the active editor), the CodeLens provider and the ghost-proposal:
// documents. Each command has exactly one catch, which logs to the output channel and shows the message.
import * as vscode from "vscode";
import type { EditController } from "./controller";
import { proposalScheme } from "./proposal-documents";

export function registerEditCommands(edits: EditController, output: vscode.LogOutputChannel): vscode.Disposable[] {
  const { review } = edits;
  const guarded =
    <A extends unknown[]>(run: (...args: A) => unknown) =>
    async (...args: A) => {
      try {
        return await run(...args);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        output.error(`edit: ${message}`);
        void vscode.window.showErrorMessage(`Ghost: ${message}`);
        return undefined;
      }
    };
  // A CodeLens passes the document's uri; the palette passes nothing, meaning the active editor's document.
  const documentUri = (uri?: string) => {
    const chosen = uri ? vscode.Uri.parse(uri) : vscode.window.activeTextEditor?.document.uri;
    if (!chosen) throw new Error("open the file with the proposal first");
    return chosen;
  };
  const command = <A extends unknown[]>(id: string, run: (...args: A) => unknown) => vscode.commands.registerCommand(id, guarded(run));
  return [
    command("ghost.editSelection", (instruction?: unknown) => edits.editSelection(typeof instruction === "string" ? instruction : undefined)),
    command("ghost.edit.acceptHunk", (uri: string, hunkId: string) => review.accept(documentUri(uri), [hunkId])),
    command("ghost.edit.rejectHunk", (uri: string, hunkId: string) => review.reject(documentUri(uri), [hunkId])),
    command("ghost.edit.acceptAll", (uri?: string) => review.accept(documentUri(uri), "all")),
    command("ghost.edit.rejectAll", (uri?: string) => review.reject(documentUri(uri), "all")),
    command("ghost.edit.openDiff", (uri?: string) => review.documents.open(documentUri(uri))),
    vscode.languages.registerCodeLensProvider("*", review),
    vscode.workspace.registerTextDocumentContentProvider(proposalScheme, review.documents),
  ];
}
