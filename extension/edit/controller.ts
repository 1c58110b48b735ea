// "Ghost: Edit Selection": asks for an instruction, has the model rewrite the selected lines (or, with nothing
// selected, the function around the cursor), streams it under a cancellable notification, and hands the proposal
// to the review. Nothing is written here, at any autonomy level: the review writes what the user accepts.
// Turns the editor into plain input for agent/edit; knows nothing about how the proposal is drawn.
import * as vscode from "vscode";
import { editInPlace, type EditOutcome } from "../../agent/edit/edit";
import { enclosingFunction, linesTarget, type EditTarget } from "../../agent/edit/target";
import type { Model } from "../../model/model";
import type { ModelHost } from "../model-host";
import { relativePath } from "../workspace-context";
import { EditReview } from "./review";

/** The conventions hook: a short summary of the repository's conventions for a file, put into the edit prompt. */
export type ConventionsSource = (path: string, text: string) => Promise<string | undefined>;

export class EditController implements vscode.Disposable {
  readonly review = new EditReview();
  /** Optional: set by whoever mines conventions; until then edits are prompted without them. */
  conventionsFor: ConventionsSource | null = null;
  /** Test seam: a model used instead of the worker's (a ScriptedModel replying with a fixed rewrite gives a test a
   *  deterministic proposal). null, always outside tests: the worker's model. */
  modelForTests: Model | null = null;
  private running: AbortController | null = null;

  constructor(
    private readonly host: ModelHost,
    private readonly autonomyLevel: () => number,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  /** The command. `instruction` skips the input box (keybindings and tests pass it). Returns what the model's
   *  edit came to, or null when the user dismissed the input box. */
  async editSelection(instruction?: string): Promise<EditOutcome | null> {
    if (this.autonomyLevel() === 0) return this.refuse("Ghost is off (autonomy level 0). Raise it with Ghost: Set Autonomy Level to edit.");
    const editor = vscode.window.activeTextEditor;
    if (!editor) throw new Error("open a file and select the lines to edit");
    const model = this.modelForTests ?? this.host.current;
    if (!model) throw new Error("the model is not loaded yet; see the Ghost output");
    if (this.running) throw new Error("an edit is already running; cancel it from its notification first");
    const document = editor.document;
    const path = relativePath(document.uri);
    // agent/edit works on LF text; the proposal's original is the document's own text, so apply keeps its EOL.
    const text = document.getText().replace(/\r\n/g, "\n");
    const target = await this.targetOf(editor, path, text);
    if (!target) return this.refuse("select the lines to edit, or place the cursor inside a function");
    instruction ??= await vscode.window.showInputBox({ title: `Ghost: edit ${path}:${target.startLine + 1}-${target.endLine + 1}`, prompt: "What should change?", placeHolder: "e.g. handle the empty case" });
    if (!instruction?.trim()) return null;
    const request = { path, original: new TextEncoder().encode(document.getText()), text, target, instruction, conventions: await this.conventionsFor?.(path, text) };
    const outcome = await this.generate(model, request, `${path}:${target.startLine + 1}-${target.endLine + 1}`);
    this.output.info(`edit ${path}:${target.startLine + 1}-${target.endLine + 1}: ${outcome.kind}${outcome.kind === "proposed" ? `, ${outcome.diff.hunks.length} hunks` : ""}`);
    if (outcome.kind === "proposed") this.review.show(document, outcome.diff);
    if (outcome.kind === "unchanged") void vscode.window.showInformationMessage("Ghost: the model proposed no change.");
    if (outcome.kind === "refused") throw new Error(outcome.reason);
    return outcome;
  }

  /** Runs the model under a notification that shows the lines written so far; its Cancel aborts the request. */
  private generate(model: Model, request: Parameters<typeof editInPlace>[1], where: string): Promise<EditOutcome> {
    const controller = new AbortController();
    this.running = controller;
    const progress = { location: vscode.ProgressLocation.Notification, title: `Ghost: editing ${where}`, cancellable: true };
    return Promise.resolve(
      vscode.window.withProgress(progress, (report, token) => {
        token.onCancellationRequested(() => controller.abort());
        let written = "";
        return editInPlace(model, request, controller.signal, (delta) => {
          written += delta;
          report.report({ message: `${written.split("\n").length - 1} lines written…` });
        });
      }),
    ).finally(() => (this.running = null));
  }

  /** The selection's whole lines (a selection ending at column 0 leaves that line out), or the enclosing function. */
  private async targetOf(editor: vscode.TextEditor, path: string, text: string): Promise<EditTarget | null> {
    const { selection, document } = editor;
    // Offsets in the LF text: a CRLF document has one more character per line break before the position.
    const crlf = document.eol === vscode.EndOfLine.CRLF;
    const offset = (position: vscode.Position) => document.offsetAt(position) - (crlf ? position.line : 0);
    if (selection.isEmpty) return enclosingFunction(path, text, offset(selection.active));
    return linesTarget(text, offset(selection.start), offset(selection.end));
  }

  private refuse(message: string): EditOutcome {
    this.output.info(`edit refused: ${message}`);
    void vscode.window.showWarningMessage(`Ghost: ${message}`);
    return { kind: "refused", reason: message };
  }

  dispose(): void {
    this.running?.abort();
    this.review.dispose();
  }
}
