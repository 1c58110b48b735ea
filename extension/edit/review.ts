// The review of edit proposals in the editor: one pending proposal per document, drawn inline (decorations.ts),
// with Accept / Reject CodeLenses per hunk, Accept All / Reject All, and the diff editor (proposal-documents.ts).
//
// Why the proposal is not written into the document while it is reviewed (as Continue and Cursor do, inserting the
// proposed lines marked green next to the old ones marked red): a document holding unaccepted lines is dirty, so
// auto-save or a habitual Ctrl+S would write code nobody accepted (autonomy level 1 promises nothing is written
// until accepted); every Reject would be an edit of its own, so Ctrl+Z would walk back through Ghost's bookkeeping
// and could resurrect rejected lines; and the user's own typing would interleave with text that is not theirs.
// Leaving the document alone costs only looks (added lines show as text after the lines they replace, whole in
// the hover and the diff editor), and buys: Reject writes nothing; each Accept is one WorkspaceEdit, one Ctrl+Z;
// the user may keep typing, and Accept rebases onto their text (diffing/apply.ts) or reports a conflict.
import * as vscode from "vscode";
import { applyFile, type Conflict } from "../../diffing/apply";
import type { FileDiff } from "../../diffing/change-set";
import { ProposalDecorations } from "./decorations";
import { placeHunks, type HunkPlace } from "./hunk-places";
import { ProposalDocuments } from "./proposal-documents";
import { writeDocument } from "./write-document";

/** Optional: what a hunk does against the repository's conventions, and where the user's verdict goes. */
export interface ReviewConventions {
  flagsFor(diff: FileDiff): Promise<Map<string, { ruleId: string; message: string }[]>>;
  feedback(flags: readonly { ruleId: string; message: string }[], hunkAccepted: boolean): Promise<void>;
}

interface Proposal {
  diff: FileDiff;
  /** Convention flags by hunk id, shown beside the hunks. */
  flags: Map<string, { ruleId: string; message: string }[]>;
  /** Hunk ids not yet accepted or rejected, in file order. */
  pending: string[];
}

export class EditReview implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly proposals = new Map<string, Proposal>();
  private readonly decorations = new ProposalDecorations();
  readonly documents = new ProposalDocuments((uri) => this.proposedText(uri));
  private readonly lensesChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.lensesChanged.event;
  private readonly listeners = [
    vscode.workspace.onDidChangeTextDocument((event) => this.proposals.has(event.document.uri.toString()) && this.refresh(event.document.uri)),
    vscode.workspace.onDidCloseTextDocument((document) => this.proposals.delete(document.uri.toString()) && this.refresh(document.uri)),
    vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach((editor) => this.draw(editor))),
    vscode.window.onDidChangeActiveTextEditor(() => this.updateContext()),
  ];

  conventions: ReviewConventions | null = null;

  /** Shows a proposal for a document, replacing any it had (nothing of that one was written unless accepted). */
  async show(document: vscode.TextDocument, diff: FileDiff): Promise<void> {
    const flags = (await this.conventions?.flagsFor(diff)) ?? new Map();
    this.proposals.set(document.uri.toString(), { diff, flags, pending: diff.hunks.map((hunk) => hunk.id) });
    this.refresh(document.uri);
  }

  private async teach(proposal: Proposal, ids: readonly string[], accepted: boolean): Promise<void> {
    const flags = ids.flatMap((id) => proposal.flags.get(id) ?? []);
    if (flags.length > 0) await this.conventions?.feedback(flags, accepted);
  }

  /** The document's undecided hunks and where they sit in its text now; [] when it has no proposal. */
  places(document: vscode.TextDocument): HunkPlace[] {
    const proposal = this.proposals.get(document.uri.toString());
    return proposal ? placeHunks(proposal.diff, proposal.pending, document.getText()) : [];
  }

  /** Applies hunks (all undecided ones for "all") onto the document as it is now, in one WorkspaceEdit. Hunks that
   *  conflict with the user's edits stay pending, and an error names them; the rest is applied. */
  async accept(uri: vscode.Uri, which: readonly string[] | "all"): Promise<void> {
    const proposal = this.proposalOf(uri);
    const document = await vscode.workspace.openTextDocument(uri);
    const ids = which === "all" ? proposal.pending : which.filter((id) => proposal.pending.includes(id));
    const before = document.getText();
    const result = applyFile(proposal.diff, { hunks: Object.fromEntries(ids.map((id) => [id, "accept"])) }, new TextEncoder().encode(before));
    const bytes = result.kind === "applied" ? result.bytes : result.partial;
    const remaining = proposal.pending.filter((id) => !result.appliedHunks.includes(id));
    if (bytes) await writeDocument(document, before, new TextDecoder().decode(bytes));
    proposal.pending = remaining;
    this.refresh(uri);
    await this.teach(proposal, result.appliedHunks, true);
    if (result.kind === "conflict") throw new Error(this.describe(proposal.diff, result.conflicts));
  }

  /** Drops hunks (all undecided ones for "all") from the proposal; the document is not touched. */
  reject(uri: vscode.Uri, which: readonly string[] | "all"): void {
    const proposal = this.proposalOf(uri);
    const rejected = which === "all" ? proposal.pending : proposal.pending.filter((id) => which.includes(id));
    proposal.pending = proposal.pending.filter((id) => !rejected.includes(id));
    this.refresh(uri);
    void this.teach(proposal, rejected, false);
  }

  hasProposal(uri: vscode.Uri): boolean {
    return this.proposals.has(uri.toString());
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const proposal = this.proposals.get(document.uri.toString());
    if (!proposal) return [];
    const places = this.places(document).filter((place) => place.kind !== "done");
    const uri = document.uri.toString();
    const total = proposal.diff.hunks.length;
    return places.flatMap((place, index) => {
      const line = Math.min(document.lineCount - 1, lensLine(place));
      const lens = (title: string, command = "", args: unknown[] = [uri, place.id]) => new vscode.CodeLens(new vscode.Range(line, 0, line, 0), { title, command, arguments: args });
      const lenses =
        place.kind === "conflict"
          ? [lens(`$(warning) Ghost hunk ${place.number}/${total} conflicts with your edits here`), lens("Reject", "ghost.edit.rejectHunk")]
          : [lens(`Ghost hunk ${place.number}/${total}:`), lens("Accept", "ghost.edit.acceptHunk"), lens("Reject", "ghost.edit.rejectHunk")];
      for (const flag of proposal.flags.get(place.id) ?? []) lenses.push(lens(`$(warning) ${flag.message}`));
      if (index > 0) return lenses;
      if (places.length > 1) lenses.push(lens("Accept All", "ghost.edit.acceptAll", [uri]), lens("Reject All", "ghost.edit.rejectAll", [uri]));
      return [...lenses, lens("Open in Diff Editor", "ghost.edit.openDiff", [uri])];
    });
  }

  /** The document's text with every undecided hunk that applies cleanly accepted; null without a proposal. */
  proposedText(uri: string): string | null {
    const proposal = this.proposals.get(uri);
    const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === uri);
    if (!proposal || !document) return null;
    const result = applyFile(proposal.diff, { hunks: Object.fromEntries(proposal.pending.map((id) => [id, "accept"])) }, new TextEncoder().encode(document.getText()));
    const bytes = result.kind === "applied" ? result.bytes : result.partial;
    return bytes ? new TextDecoder().decode(bytes) : document.getText();
  }

  /** After any change: forget hunks the user made themselves and proposals with nothing left, then redraw. */
  private refresh(uri: vscode.Uri): void {
    const proposal = this.proposals.get(uri.toString());
    const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === uri.toString());
    if (proposal && document) {
      const done = this.places(document).filter((place) => place.kind === "done").map((place) => place.id);
      proposal.pending = proposal.pending.filter((id) => !done.includes(id));
    }
    if (proposal && (!document || proposal.pending.length === 0)) this.proposals.delete(uri.toString());
    vscode.window.visibleTextEditors.filter((editor) => editor.document.uri.toString() === uri.toString()).forEach((editor) => this.draw(editor));
    this.lensesChanged.fire();
    this.documents.refresh(uri);
    this.updateContext();
  }

  private draw(editor: vscode.TextEditor): void {
    const proposal = this.proposals.get(editor.document.uri.toString());
    this.decorations.draw(editor, this.places(editor.document), proposal?.diff.hunks ?? []);
  }

  private updateContext(): void {
    const active = vscode.window.activeTextEditor?.document.uri;
    void vscode.commands.executeCommand("setContext", "ghost.editPending", active !== undefined && this.hasProposal(active));
  }

  private proposalOf(uri: vscode.Uri): Proposal {
    const proposal = this.proposals.get(uri.toString());
    if (!proposal) throw new Error(`no Ghost proposal is pending in ${vscode.workspace.asRelativePath(uri)}`);
    return proposal;
  }

  private describe(diff: FileDiff, conflicts: readonly Conflict[]): string {
    const total = diff.hunks.length;
    const named = conflicts.map((conflict) => {
      const number = diff.hunks.findIndex((hunk) => hunk.id === conflict.hunkId) + 1;
      const where = conflict.line === null ? diff.path : `${diff.path}:${conflict.line}`;
      return `${number > 0 ? `hunk ${number}/${total}` : "the proposal"} (${where}): ${conflict.reason}`;
    });
    return `not applied, your text was kept: ${named.join("; ")}. Reject the hunk, or undo your change and accept it again.`;
  }

  dispose(): void {
    [this.decorations, this.documents, this.lensesChanged, ...this.listeners].forEach((disposable) => disposable.dispose());
  }
}

/** A hunk's CodeLens goes above its first removed line, or above the line after which it inserts. */
function lensLine(place: HunkPlace): number {
  if (place.kind === "conflict") return place.line;
  if (place.kind === "done") return 0;
  const first = place.changes[0]!;
  return first.end > first.start || first.start === 0 ? first.start : first.start - 1;
}
