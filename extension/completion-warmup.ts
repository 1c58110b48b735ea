// Feeds the completion warm-up's trigger (warmup-trigger.ts) with VS Code's cursor: a document that comes to the
// front, and every move of the cursor (typing moves it too; the trigger knows a completion was requested there).
import * as vscode from "vscode";
import type { GhostCompletionProvider } from "./completion-provider";

/** Documents autocomplete may run in: files and unsaved ones, not output panels or diff views of other schemes. */
const schemes = new Set(["file", "untitled"]);

export function registerCompletionWarmup(provider: GhostCompletionProvider): vscode.Disposable {
  const rested = (editor: vscode.TextEditor | undefined) => {
    if (!editor || !schemes.has(editor.document.uri.scheme) || !editor.selection.isEmpty) return provider.warmups.cancel();
    provider.warmups.cursorAt({ document: editor.document.uri.toString(), line: editor.selection.active.line });
  };
  return vscode.Disposable.from(
    vscode.window.onDidChangeActiveTextEditor(rested),
    vscode.window.onDidChangeTextEditorSelection((event) => rested(event.textEditor)),
    { dispose: () => provider.warmups.cancel() },
  );
}
