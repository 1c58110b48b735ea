// How a pending edit proposal looks in the editor: the lines it would remove get a red whole-line background, and
// the lines it would add show as green text after the lines they replace (VS Code's API can not insert virtual
// lines; see review.ts for why the document itself is left untouched). Hovering a removed line shows the whole
// hunk. Knows the hunk places, not how they were computed or what Accept does.
import * as vscode from "vscode";
import type { Hunk } from "../../diffing/change-set";
import { renderHunk } from "../../diffing/render";
import type { HunkPlace, LineChange } from "./hunk-places";

const maxShownChars = 100;

export class ProposalDecorations implements vscode.Disposable {
  private readonly removed = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor("diffEditor.removedLineBackground"),
    overviewRulerColor: new vscode.ThemeColor("editorOverviewRuler.deletedForeground"),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
  });
  private readonly added = vscode.window.createTextEditorDecorationType({
    after: {
      color: new vscode.ThemeColor("gitDecoration.addedResourceForeground"),
      backgroundColor: new vscode.ThemeColor("diffEditor.insertedLineBackground"),
      margin: "0 0 0 2em",
    },
    overviewRulerColor: new vscode.ThemeColor("editorOverviewRuler.addedForeground"),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
  });

  /** Draws `places` (empty: clears) in an editor showing the proposal's document. */
  draw(editor: vscode.TextEditor, places: readonly HunkPlace[], hunks: readonly Hunk[]): void {
    const removed: vscode.DecorationOptions[] = [];
    const added: vscode.DecorationOptions[] = [];
    const lastLine = editor.document.lineCount - 1;
    for (const place of places) {
      if (place.kind !== "clean") continue;
      const hover = new vscode.MarkdownString(`Ghost, hunk ${place.number}:\n\n\`\`\`diff\n${renderHunk(hunks[place.number - 1]!)}\n\`\`\``);
      for (const change of place.changes) {
        for (let line = change.start; line < change.end; line++) removed.push({ range: lineRange(line), hoverMessage: hover });
        for (const { line, text } of addedTexts(change, lastLine)) added.push({ range: endOf(editor.document, line), renderOptions: { after: { contentText: text } } });
      }
    }
    editor.setDecorations(this.removed, removed);
    editor.setDecorations(this.added, added);
  }

  dispose(): void {
    this.removed.dispose();
    this.added.dispose();
  }
}

/** Where each added line is shown: added line i after removed line i, the ones left over after the last removed
 *  line; an insertion after the line above it, or on line 0 marked "↑" when it goes on top. "⏎": a line break. */
function addedTexts(change: LineChange, lastLine: number): { line: number; text: string }[] {
  if (change.added.length === 0) return [];
  const shown = change.added.map((text) => text.trim() || "⏎");
  const removedCount = change.end - change.start;
  if (removedCount === 0) {
    const text = shown.join(" ⏎ ");
    const entry = change.start === 0 ? { line: 0, text: `↑ ${text} ⏎` } : { line: Math.min(change.start - 1, lastLine), text: `⏎ ${text}` };
    return [{ line: entry.line, text: clip(entry.text) }];
  }
  const entries = shown.slice(0, removedCount).map((text, index) => ({ line: change.start + index, text: `→ ${text}` }));
  const rest = shown.slice(removedCount);
  if (rest.length > 0) entries[entries.length - 1]!.text += ` ⏎ ${rest.join(" ⏎ ")}`;
  return entries.map(({ line, text }) => ({ line, text: clip(text) }));
}

function clip(text: string): string {
  return text.length <= maxShownChars ? text : `${text.slice(0, maxShownChars - 1)}…`;
}

function lineRange(line: number): vscode.Range {
  return new vscode.Range(line, 0, line, 0);
}

function endOf(document: vscode.TextDocument, line: number): vscode.Range {
  const end = document.lineAt(line).range.end;
  return new vscode.Range(end, end);
}
