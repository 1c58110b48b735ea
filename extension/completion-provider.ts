// Ghost's inline completions: VS Code's InlineCompletionItemProvider over agent/complete. It turns the document
// into plain input, bridges cancellation to an AbortSignal, debounces adaptively, keeps a shown suggestion while
// the user types through it, and says in the status bar why nothing is shown. While the cursor rests somewhere new,
// it warms the model's cache with the prompt a completion there would send (completion-warmup.ts says when).
import * as vscode from "vscode";
import { CharsPerToken } from "../agent/complete/chars-per-token";
import { complete, editorRequest, warmCompletion, type CompleteOptions, type Completion } from "../agent/complete/complete";
import { PromptLayout } from "../agent/complete/prompt-layout";
import { DocumentTrees } from "../agent/context/document-trees";
import { rankCompletion } from "../agent/conventions/rank";
import type { ConventionsHost } from "./conventions-host";
import type { Model } from "../model/model";
import type { ModelHost } from "./model-host";
import type { GhostSettings } from "./settings";
import { WarmupTrigger, type CursorPlace } from "./warmup-trigger";
import { relativePath, type WorkspaceContext } from "./workspace-context";

const maxDocumentChars = 1_000_000;
/** How long the cursor rests before the prompt there is warmed: longer than the pause between two keystrokes, so
 *  typing and moving through a file with the arrow keys do not warm every line they pass. */
const warmupRestMs = 400;

interface ShownSuggestion {
  uri: string;
  path: string;
  /** Document text before the suggestion, and the suggestion. */
  textBefore: string;
  text: string;
  /** Whether its verdict (accepted or rejected) has been given to the conventions profile. */
  settled?: boolean;
}

export class GhostCompletionProvider implements vscode.InlineCompletionItemProvider {
  private lastShown: ShownSuggestion | null = null;
  private inFlight: AbortController | null = null;
  private recentLatencies: number[] = [];
  /** Open documents' syntax trees, reparsed incrementally from keystroke to keystroke. */
  readonly trees = new DocumentTrees();
  /** Each document's cross-file snippets keep their place in the prompt between keystrokes (the KV cache's head). */
  private readonly layout = new PromptLayout();
  private readonly ratios = new CharsPerToken();
  private warming: AbortController | null = null;
  /** Fed the cursor's rests by completion-warmup.ts; told of every completion request. */
  readonly warmups = new WarmupTrigger(warmupRestMs, (place) => this.warmAt(place), () => this.host.current);
  /** The last request's context and result, for the trace log and tests. */
  lastCompletion: Completion | null = null;
  /** What happened to requests so far: sent to the model, cancelled by a later keystroke, shown, kept by typing. */
  readonly counts = { requested: 0, cancelled: 0, shown: 0, typedThrough: 0, droppedByConventions: 0, warmups: 0 };

  constructor(
    private readonly host: ModelHost,
    private readonly workspace: WorkspaceContext,
    private readonly settings: () => GhostSettings,
    private readonly autonomyLevel: () => number,
    private readonly output: vscode.LogOutputChannel,
    private readonly conventions: ConventionsHost | null = null,
  ) {}

  async provideInlineCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    _context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlineCompletionItem[] | undefined> {
    const settings = this.settings();
    if (this.autonomyLevel() === 0) return this.skip("Ghost is off (autonomy level 0)");
    // The first completion loads the model; a model that can not load is a reason in the tooltip, not a popup per keystroke.
    const model = await this.host.ready().catch((error: Error) => error);
    if (model instanceof Error) return this.skip(`the model did not load: ${model.message}`);
    // Read once per keystroke: getText() copies the whole document.
    const text = document.getText();
    const path = relativePath(document.uri);
    if (text.length > maxDocumentChars) return this.skip(`${path} is too large for autocomplete`);
    const offset = document.offsetAt(position);
    const uri = document.uri.toString();
    // A request fills the cache itself: a warm-up still running only delays it.
    this.warming?.abort();
    this.warmups.requested({ document: uri, line: position.line });
    const textBefore = text.slice(0, offset);
    this.settleShown(uri, textBefore);
    const typedThrough = this.typedThrough(uri, textBefore);
    if (typedThrough !== null) {
      this.counts.typedThrough++;
      return [new vscode.InlineCompletionItem(typedThrough, new vscode.Range(position, position))];
    }

    // A keystroke cancels the request before it: VS Code cancels its token, and so do we, in case it does not.
    this.inFlight?.abort();
    const controller = new AbortController();
    this.inFlight = controller;
    token.onCancellationRequested(() => controller.abort());
    await new Promise((resolve) => setTimeout(resolve, this.debounceMs()));
    if (controller.signal.aborted) return undefined;
    this.counts.requested++;

    const started = Date.now();
    const result = await complete({ path, text, offset }, await this.completeOptions(model, settings, path, text), controller.signal);
    this.recentLatencies = [...this.recentLatencies.slice(-9), Date.now() - started];
    this.lastCompletion = result;
    if (settings.trace) this.trace(document, result);
    if (controller.signal.aborted) {
      this.counts.cancelled++;
      return undefined;
    }
    if (!result.text) return undefined;
    if (this.breaksFormatting(path, result.text, text.slice(text.lastIndexOf("\n", offset - 1) + 1, offset))) return undefined;
    this.counts.shown++;
    this.lastShown = { uri, path, textBefore, text: result.text };
    this.host.showReady();
    return [new vscode.InlineCompletionItem(result.text, new vscode.Range(position, position))];
  }

  /** A completion's options, the same for its warm-up, so that both send the same prompt. */
  private async completeOptions(model: Model, settings: GhostSettings, path: string, text: string): Promise<CompleteOptions> {
    const charsPerToken = await this.ratios.of(model, path, text);
    return { model, index: this.workspace.index, recent: this.workspace.recent, trees: this.trees, layout: this.layout, budgetTokens: settings.contextBudget, charsPerToken, ...editorRequest };
  }

  /** Prefills the prompt a completion at this cursor would send, generating nothing, so the first keystroke here
   *  prefills only the text after the cursor. Never loads the model for it (a model not loaded yet stays so), and
   *  does nothing where no completion would run: Ghost off, inline suggestions off, a document too large. */
  async warm(document: vscode.TextDocument, position: vscode.Position): Promise<void> {
    const model = this.host.current;
    if (!model?.warm || this.autonomyLevel() === 0) return;
    if (!vscode.workspace.getConfiguration("editor", document).get<boolean>("inlineSuggest.enabled", true)) return;
    const text = document.getText();
    if (text.length > maxDocumentChars) return;
    this.warming?.abort();
    const controller = new AbortController();
    this.warming = controller;
    const settings = this.settings();
    const path = relativePath(document.uri);
    this.counts.warmups++;
    const warmed = await warmCompletion({ path, text, offset: document.offsetAt(position) }, await this.completeOptions(model, settings, path, text), controller.signal);
    if (settings.trace && warmed) {
      const { prefilledTokens, promptTokens, totalMs, cancelled } = warmed.stats;
      this.output.info(`warm-up ${path}:${position.line + 1}: ${prefilledTokens} of ${promptTokens} prompt tokens prefilled in ${totalMs.toFixed(0)} ms${cancelled ? ", stopped by a request" : ""}`);
    }
  }

  /** The trigger's rest, if the cursor is still there. */
  private warmAt(place: CursorPlace): void {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.uri.toString() !== place.document || editor.selection.active.line !== place.line) return;
    this.warm(editor.document, editor.selection.active).catch((error: Error) => this.output.warn(`warm-up: ${error.message}`));
  }

  /** A candidate that breaks the repository's strong formatting conventions (quotes, semicolons, indentation) is
   *  dropped: autocomplete should write the code this repository writes. */
  private breaksFormatting(path: string, completion: string, linePrefix: string): boolean {
    const profile = this.conventions?.profile;
    if (!profile) return false;
    const rank = rankCompletion(profile, path, completion, { linePrefix, disabled: this.conventions!.disabled });
    if (rank.penalty < 0.8) return false;
    this.counts.droppedByConventions++;
    this.output.info(`completion dropped: ${rank.flags.map((flag) => flag.message).join("; ")}`);
    return true;
  }

  /** The suggestion shown last gets its verdict once the user moves on from it: accepted when the text before the
   *  cursor now holds it in place (Tab, or typed out), rejected otherwise; typing through it is no verdict yet. The
   *  verdict teaches the conventions profile, as a verdict on a reviewed hunk does. */
  private settleShown(uri: string, textBefore: string): void {
    const shown = this.lastShown;
    if (!shown || shown.settled || shown.uri !== uri || !this.conventions) return;
    const typed = textBefore.startsWith(shown.textBefore) ? textBefore.slice(shown.textBefore.length) : null;
    if (typed !== null && typed.length < shown.text.length && shown.text.startsWith(typed)) return;
    shown.settled = true;
    const accepted = typed !== null && typed.startsWith(shown.text);
    this.conventions.completionVerdict(shown.path, shown.text, accepted).catch((error: Error) => this.output.warn(`conventions feedback: ${error.message}`));
  }

  /** When the user typed the start of the suggestion shown last, the rest of it still stands: no new request. */
  private typedThrough(uri: string, textBefore: string): string | null {
    const shown = this.lastShown;
    if (!shown || shown.uri !== uri || !textBefore.startsWith(shown.textBefore)) return null;
    const typed = textBefore.slice(shown.textBefore.length);
    if (typed.length === 0 || !shown.text.startsWith(typed) || typed.length >= shown.text.length) return null;
    return shown.text.slice(typed.length);
  }

  /** Half the recent model latency, within 30–200 ms: a fast model answers sooner, a slow one waits for a pause. */
  private debounceMs(): number {
    if (this.recentLatencies.length === 0) return 75;
    const sorted = [...this.recentLatencies].sort((a, b) => a - b);
    return Math.min(200, Math.max(30, sorted[sorted.length >> 1]! / 2));
  }

  private skip(reason: string): undefined {
    this.host.showReason(reason);
    return undefined;
  }

  private trace(document: vscode.TextDocument, result: Completion): void {
    const { stats, context } = result;
    this.output.info(
      `completion ${relativePath(document.uri)}: ${stats.promptTokens} prompt tokens (${stats.reusedTokens} reused, ${stats.prefilledTokens} prefilled), ` +
        `first token ${stats.timeToFirstTokenMs?.toFixed(0)} ms, ${stats.generatedTokens} tokens, ${stats.stopReason}; ` +
        `sources: ${context.snippets.map((snippet) => `${snippet.path}:${snippet.line + 1}`).join(", ") || "none"}`,
    );
    this.output.info(`prompt files: ${JSON.stringify(context.files)}\nprefix: ${JSON.stringify(context.window.prefix.slice(-200))}\ncompletion: ${JSON.stringify(result.text)}`);
  }
}
