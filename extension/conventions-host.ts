// The workspace's conventions in VS Code: mined in the background (cached in Ghost's workspace storage, never in
// the repository), updated when a file is saved, shown by "Ghost: Show Conventions", switched off entry by entry
// by "Ghost: Choose Conventions" (kept in workspace state).
import { join } from "node:path";
import * as vscode from "vscode";
import { checkChangeSet } from "../agent/conventions/checker";
import { adjust } from "../agent/conventions/feedback";
import { FeatureThread } from "../agent/conventions/feature-thread";
import { ConventionMiner } from "../agent/conventions/miner";
import type { ChangeSet, FileDiff } from "../diffing/change-set";
import type { Profile } from "../agent/conventions/profile";
import { renderProfile, summarize, summarizeWorkspace } from "../agent/conventions/summary";
import { relativePath } from "./workspace-context";

const disabledKey = "ghost.disabledConventions";

export interface HunkFlag {
  ruleId: string;
  message: string;
}

export class ConventionsHost implements vscode.Disposable {
  private miner: ConventionMiner | null = null;
  private current: Profile | null = null;
  private readonly saved: vscode.Disposable;
  private pendingSave: NodeJS.Timeout | null = null;
  /** Files are parsed here, off the extension host's thread: cold mining of thousands of files takes seconds. */
  private readonly thread = new FeatureThread();

  constructor(
    private readonly storage: vscode.Uri | undefined,
    private readonly state: vscode.Memento,
    private readonly output: vscode.LogOutputChannel,
  ) {
    this.saved = vscode.workspace.onDidSaveTextDocument((document) => void this.fileSaved(document));
  }

  get profile(): Profile | null {
    return this.current;
  }

  get disabled(): Set<string> {
    return new Set(this.state.get<string[]>(disabledKey, []));
  }

  /** A bounded summary of the strongest conventions for one file, for edit and agent prompts. */
  summaryFor(path: string, maxTokens = 200): string | undefined {
    return this.current ? summarize(this.current, { path, maxTokens, disabled: this.disabled }) || undefined : undefined;
  }

  /** Each hunk's flags: what its added code does against the strong conventions, with evidence. */
  async flagsFor(diff: FileDiff): Promise<Map<string, HunkFlag[]>> {
    const byHunk = new Map<string, HunkFlag[]>();
    if (!this.current) return byHunk;
    const { flags } = await checkChangeSet(this.current, { files: [diff], refused: [] }, { disabled: this.disabled });
    for (const flag of flags) {
      const hunk = diff.hunks.find((candidate) => flag.line >= candidate.newStart && flag.line < candidate.newStart + Math.max(1, candidate.newLines)) ?? diff.hunks[0];
      if (hunk) byHunk.set(hunk.id, [...(byHunk.get(hunk.id) ?? []), { ruleId: flag.ruleId, message: flag.message }]);
    }
    return byHunk;
  }

  /** The agent's conventions hook: what a change set does against the strong conventions. */
  async checkChange(changeSet: ChangeSet): Promise<{ message: string; path: string; line: number }[]> {
    if (!this.current) return [];
    const { flags } = await checkChangeSet(this.current, changeSet, { disabled: this.disabled });
    return flags.map((flag) => ({ message: flag.message, path: flag.path, line: flag.line }));
  }

  /** The user's verdict on a flagged hunk teaches the profile: rejecting the hunk agrees with the flag, accepting
   *  it overrules the flag. Kept in Ghost's storage, never in the repository. */
  async feedback(flags: readonly HunkFlag[], hunkAccepted: boolean): Promise<void> {
    if (!this.current || !this.miner) return;
    for (const flag of flags) this.current = await adjust(this.current, { kind: "flag", ruleId: flag.ruleId, verdict: hunkAccepted ? "rejected" : "accepted" });
    this.miner.adjustments = this.current.adjustments;
    await this.miner.save();
  }

  /** The user's verdict on an inline completion teaches the profile as a hunk verdict does: accepted code counts as
   *  the user's style; rejected code that broke conventions agrees with each. Saved within a minute, not per key. */
  async completionVerdict(path: string, text: string, accepted: boolean): Promise<void> {
    if (!this.current || !this.miner) return;
    this.current = await adjust(this.current, { kind: "suggestion", path, text, verdict: accepted ? "accepted" : "rejected" });
    this.miner.adjustments = this.current.adjustments;
    this.pendingSave ??= setTimeout(() => {
      this.pendingSave = null;
      void this.miner?.save().catch((error: Error) => this.output.warn(`conventions cache: ${error.message}`));
    }, 60_000);
  }

  /** The summary for the workspace's main language (the agent works across files). */
  summaryForWorkspace(maxTokens = 300): string | undefined {
    return this.current ? summarizeWorkspace(this.current, maxTokens, this.disabled) || undefined : undefined;
  }

  async mine(): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) return;
    const started = Date.now();
    const cachePath = this.storage ? join(this.storage.fsPath, "conventions-cache.json") : undefined;
    if (this.storage) await vscode.workspace.fs.createDirectory(this.storage);
    this.miner = await ConventionMiner.open(folder.uri.fsPath, { cachePath, parse: this.thread.parse });
    const stats = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: "Ghost: learning conventions" }, () => this.miner!.refresh());
    this.current = await this.miner.profile();
    await this.miner.save();
    this.output.info(`conventions: ${this.current.statements.length} statements from ${this.current.files} files (${stats.read} read, ${stats.reused} cached) in ${Date.now() - started} ms`);
  }

  async show(): Promise<void> {
    if (!this.current) throw new Error("the conventions are still being learned; try again in a moment");
    const document = await vscode.workspace.openTextDocument({ content: renderProfile(this.current, this.disabled), language: "markdown" });
    await vscode.window.showTextDocument(document, { preview: true });
  }

  async choose(): Promise<void> {
    if (!this.current) throw new Error("the conventions are still being learned; try again in a moment");
    const disabled = this.disabled;
    const items = this.current.statements
      .filter((statement) => statement.enforced)
      .map((statement) => ({ label: statement.text, description: `${statement.n} of ${statement.m}`, detail: statement.id, picked: !disabled.has(statement.id) }));
    const kept = await vscode.window.showQuickPick(items, { canPickMany: true, title: "Ghost: conventions to enforce (unchecked ones are switched off)" });
    if (!kept) return;
    const keptIds = new Set(kept.map((item) => item.detail));
    await this.state.update(disabledKey, items.filter((item) => !keptIds.has(item.detail)).map((item) => item.detail));
  }

  private async fileSaved(document: vscode.TextDocument): Promise<void> {
    if (!this.miner || document.uri.scheme !== "file") return;
    await this.miner.update(relativePath(document.uri), document.getText());
    this.current = await this.miner.profile();
  }

  dispose(): void {
    this.saved.dispose();
    if (this.pendingSave) clearTimeout(this.pendingSave);
    void this.thread.dispose();
    void this.miner?.save();
  }
}
