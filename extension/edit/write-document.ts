// Writes a new text into an open document through one WorkspaceEdit that replaces only the run of lines that
// differ: Ctrl+Z undoes it in one step, and the cursor, folds and decorations elsewhere stay where they were. The
// texts are the document's own (its EOL), so nothing here converts line endings. Knows nothing about proposals.
import * as vscode from "vscode";
import { commonEnds } from "../../diffing/merge";

/** `before` must be the document's text now (read in the same tick, before any await). */
export async function writeDocument(document: vscode.TextDocument, before: string, after: string): Promise<void> {
  if (before === after) return;
  const [a, b] = [linesWithEndings(before), linesWithEndings(after)];
  const { start, end } = commonEnds(a, b);
  const offset = (lines: string[], count: number) => lines.slice(0, count).reduce((sum, line) => sum + line.length, 0);
  const range = new vscode.Range(document.positionAt(offset(a, start)), document.positionAt(offset(a, a.length - end)));
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, range, b.slice(start, b.length - end).join(""));
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`VS Code refused the edit to ${document.uri.fsPath}`);
}

/** "a\r\nb" -> ["a\r\n", "b"]: each line keeps its ending, so lines compare equal only when their endings do. */
function linesWithEndings(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}
