// "Ghost: Edit Selection": asks for an instruction, has the model rewrite the selected lines (each selection, when
// there are several; with nothing selected, the function around the cursor), streams it under a cancellable
// notification, and hands the proposal to the review. Nothing is written here, at any autonomy level: the review
// writes what the user accepts. Turns the editor into plain input for agent/edit; knows nothing about drawing.
import * as vscode from "vscode";
import { editInPlace, type EditRequest } from "../../agent/edit/edit";
import { enclosingFunction, type EditTarget } from "../../agent/edit/target";
import type { FileDiff } from "../../diffing/change-set";
import type { Model } from "../../model/model";
import type { ModelHost } from "../model-host";
import { relativePath } from "../workspace-context";
import { describeRegions, proposeRewrites, regionTargets, type Rewrite } from "./regions";
import { EditReview } from "./review";

/** The conventions hook: a short summary of the repository's conventions for a file, put into the edit prompt. */
export type ConventionsSource = (path: string, text: string) => Promise<string | undefined>;

export type EditResult = { kind: "proposed"; diff: FileDiff } | { kind: "unchanged" } | { kind: "cancelled" } | { kind: "refused"; reason: string };

export class EditController implements vscode.Disposable {
  readonly review = new EditReview();
  /** Optional: set by whoever mines conventions; until then edits are prompted without them. */
  conventionsFor: ConventionsSource | null = null;
  private running: AbortController | null = null;

  constructor(
    private readonly host: ModelHost,
    private readonly autonomyLevel: () => number,
    private readonly output: vscode.LogOutputChannel,
    /** See GhostOptions.editModel (start-ghost.ts): null outside the VS Code tests. */
    private readonly editModel: (() => Model | null) | null = null,
  ) {}

  /** The command. `instruction` skips the input box (keybindings and tests pass it). Returns what the edit came
   *  to, or null when the user dismissed the input box. */
  async editSelection(instruction?: string): Promise<EditResult | null> {
    if (this.autonomyLevel() === 0) return this.refuse("Ghost is off (autonomy level 0). Raise it with Ghost: Set Autonomy Level to edit.");
    const editor = vscode.window.activeTextEditor;
    if (!editor) throw new Error("open a file and select the lines to edit");
    const model = this.editModel?.() ?? (await this.host.ready());
    if (this.running) throw new Error("an edit is already running; cancel it from its notification first");
    const document = editor.document;
    const path = relativePath(document.uri);
    // agent/edit works on LF text; the proposal's original is the document's own text, so apply keeps its EOL.
    const text = document.getText().replace(/\r\n/g, "\n");
    const targets = await this.targetsOf(editor, path, text);
    if (targets.length === 0) return this.refuse("select the lines to edit, or place the cursor inside a function");
    const where = describeRegions(path, targets);
    instruction ??= await vscode.window.showInputBox({ title: `Ghost: edit ${where}`, prompt: "What should change?", placeHolder: "e.g. handle the empty case" });
    if (!instruction?.trim()) return null;
    const original = new TextEncoder().encode(document.getText());
    const request = { path, original, text, instruction, conventions: await this.conventionsFor?.(path, text) };
    const result = await this.generate(model, request, targets, where);
    this.output.info(`edit ${where}: ${result.kind}${result.kind === "proposed" ? `, ${result.diff.hunks.length} hunks` : ""}`);
    if (result.kind === "proposed") await this.review.show(document, result.diff);
    if (result.kind === "unchanged") void vscode.window.showInformationMessage("Ghost: the model proposed no change.");
    if (result.kind === "refused") throw new Error(result.reason);
    return result;
  }

  /** Rewrites each region in turn under a notification that shows the lines written so far; its Cancel aborts. */
  private async generate(model: Model, request: Omit<EditRequest, "target">, targets: EditTarget[], where: string): Promise<EditResult> {
    const controller = new AbortController();
    this.running = controller;
    const progress = { location: vscode.ProgressLocation.Notification, title: `Ghost: editing ${where}`, cancellable: true };
    try {
      return await vscode.window.withProgress(progress, async (report, token) => {
        token.onCancellationRequested(() => controller.abort());
        const rewrites: Rewrite[] = [];
        let lines = 0;
        for (const target of targets) {
          const onText = (delta: string) => report.report({ message: `${(lines += delta.split("\n").length - 1)} lines written…` });
          const outcome = await editInPlace(model, { ...request, target }, controller.signal, onText);
          if (outcome.kind === "cancelled" || outcome.kind === "refused") return outcome;
          rewrites.push({ target, text: outcome.kind === "proposed" ? outcome.rewrite : target.text });
        }
        const diff = proposeRewrites(request.path, request.original, request.text, rewrites);
        if ("reason" in diff) return { kind: "refused", reason: diff.reason };
        return diff.hunks.length === 0 ? { kind: "unchanged" } : { kind: "proposed", diff };
      });
    } finally {
      this.running = null;
    }
  }

  /** Each selection's whole lines, or, with one empty selection, the function around the cursor. */
  private async targetsOf(editor: vscode.TextEditor, path: string, text: string): Promise<EditTarget[]> {
    const { selections, document } = editor;
    // Offsets in the LF text: a CRLF document has one more character per line break before the position.
    const crlf = document.eol === vscode.EndOfLine.CRLF;
    const offset = (position: vscode.Position) => document.offsetAt(position) - (crlf ? position.line : 0);
    if (selections.length === 1 && selections[0]!.isEmpty) {
      const around = await enclosingFunction(path, text, offset(selections[0]!.active));
      return around ? [around] : [];
    }
    return regionTargets(text, selections.map((selection) => ({ start: offset(selection.start), end: offset(selection.end) })));
  }

  private refuse(message: string): EditResult {
    this.output.info(`edit refused: ${message}`);
    void vscode.window.showWarningMessage(`Ghost: ${message}`);
    return { kind: "refused", reason: message };
  }

  dispose(): void {
    this.running?.abort();
    this.review.dispose();
  }
}
