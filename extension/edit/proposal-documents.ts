// "Open in Diff Editor" for an edit proposal: read-only virtual documents under the ghost-proposal: scheme, each
// the text a real document would have with every undecided hunk accepted, shown by VS Code's diff editor beside
// the real document (which stays editable there). Knows how to ask the review for that text, not how it is made.
import { basename } from "node:path";
import * as vscode from "vscode";

export const proposalScheme = "ghost-proposal";

export class ProposalDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  /** proposedText(document uri): the document's text with the proposal applied; null when it has none. */
  constructor(private readonly proposedText: (documentUri: string) => string | null) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.proposedText(uri.query) ?? "(Ghost: this proposal was accepted or rejected)";
  }

  /** The virtual document for a real one: same path (so the language and title match), the real uri as query. */
  uriFor(document: vscode.Uri): vscode.Uri {
    return vscode.Uri.from({ scheme: proposalScheme, path: document.path, query: document.toString() });
  }

  /** Tells an open diff editor that the proposal or the document changed. */
  refresh(document: vscode.Uri): void {
    this.changed.fire(this.uriFor(document));
  }

  async open(document: vscode.Uri): Promise<void> {
    await vscode.commands.executeCommand("vscode.diff", document, this.uriFor(document), `${basename(document.path)} ↔ Ghost's proposal`);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
