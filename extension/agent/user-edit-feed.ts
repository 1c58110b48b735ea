// Tells the agent's workspace what the user edits and saves in VS Code while a command runs, so the command's
// checkpoint leaves the user's changes out and reverting the command keeps them (agent/checkpoints/user-edits.ts).
// A change counts when it makes the document dirty (a reload from disk after the command wrote the file leaves it
// clean: that change is the command's); a save, and a file the user creates, deletes or renames in the explorer,
// count once they are on disk. Knows nothing about checkpoints: it only reports paths.
import { relative, sep } from "node:path";
import * as vscode from "vscode";
import type { NodeWorkspace } from "../../agent/workspace";

export function feedUserEdits(current: () => NodeWorkspace | null): vscode.Disposable {
  const relativePath = (uri: vscode.Uri): { workspace: NodeWorkspace; path: string } | null => {
    const workspace = current();
    if (!workspace || uri.scheme !== "file") return null;
    const path = relative(workspace.root, uri.fsPath);
    return path === "" || path.startsWith("..") || /^[/\\]/.test(path) ? null : { workspace, path: path.split(sep).join("/") };
  };
  const edited = (uri: vscode.Uri) => {
    const at = relativePath(uri);
    if (at) void at.workspace.userEdits.edited(at.path);
  };
  const saved = (uri: vscode.Uri) => {
    const at = relativePath(uri);
    if (at) void at.workspace.userEdits.saved(at.path);
  };
  return vscode.Disposable.from(
    vscode.workspace.onDidChangeTextDocument((event) => event.contentChanges.length > 0 && event.document.isDirty && edited(event.document.uri)),
    vscode.workspace.onDidSaveTextDocument((document) => saved(document.uri)),
    vscode.workspace.onDidCreateFiles((event) => event.files.forEach(saved)),
    vscode.workspace.onDidDeleteFiles((event) => event.files.forEach(saved)),
    vscode.workspace.onDidRenameFiles((event) => event.files.forEach(({ oldUri, newUri }) => (saved(oldUri), saved(newUri)))),
  );
}
