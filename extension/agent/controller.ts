// The agent task in VS Code: "Ghost: Start Agent Task" runs agent/loop's runAgent over the first workspace folder,
// at the level in force (the autonomy store, capped by trust and the repository's policy file), the way cli/agent.ts
// does in a terminal. Approvals become pending requests the panel shows: a change set with per-file and per-hunk
// Accept/Reject (the hunks accepted are what the workspace writes), a command with its exact argv, working directory
// and whether the sandbox works, answered with how it may run. "Always" answers are kept in workspace storage
// (allowed-commands.ts) and given to every task as allow rules; a violation the audit log records is also shown.
// Keeps the transcript and the task's checkpoints, so Stop aborts and Revert undoes the whole task.
import { createHash } from "node:crypto";
import { join } from "node:path";
import * as vscode from "vscode";
import type { Selection } from "../../diffing/selection";
import { renderHunk } from "../../diffing/render";
import { selectedText } from "../../diffing/selection";
import { defaultRules, effectivePolicy } from "../../agent/autonomy";
import { autonomyLevels, type AutonomyLevel } from "../../agent/autonomy-levels";
import type { ConventionsHost } from "../conventions-host";
import { revertSteps, type RevertReport } from "../../agent/checkpoints/revert-steps";
import { jsonlAudit, type Audit } from "../../agent/loop/audit-log";
import { runAgent, type AgentResult, type StepOutcome } from "../../agent/loop/loop";
import type { Answer, ApprovalRequest } from "../../agent/tools/context";
import { NodeWorkspace, readPolicyFile } from "../../agent/workspace";
import { ReviewedWorkspace } from "./reviewed-workspace";
import { feedUserEdits } from "./user-edit-feed";
import type { AllowedCommands } from "./allowed-commands";
import type { Model } from "../../model/model";
import type { FileView, ToHost, ToWebview, TranscriptEntry } from "../../webview/protocol";
import type { AutonomyStore } from "../autonomy-store";
import type { ModelHost } from "../model-host";

type Choice = "accept" | "reject";
interface PendingChange {
  kind: "change";
  id: number;
  request: Extract<ApprovalRequest, { kind: "change" }>;
  /** path -> hunk id -> the user's choice so far. */
  choices: Map<string, Map<string, Choice>>;
  resolve: (answer: Answer) => void;
}
interface PendingCommand {
  kind: "command";
  id: number;
  request: Extract<ApprovalRequest, { kind: "command" }>;
  cwd: string;
  resolve: (answer: Answer) => void;
}
type Pending = PendingChange | PendingCommand;

export const agentDiffScheme = "ghost-agent-proposal";

export class AgentController implements vscode.Disposable, vscode.TextDocumentContentProvider {
  readonly transcript: TranscriptEntry[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly emitter = new vscode.EventEmitter<ToWebview>();
  /** Every message for the panel, as it happens. */
  readonly onMessage = this.emitter.event;
  private nextId = 1;
  private running: AbortController | null = null;
  /** steps: each step's checkpoint, for reverting one step alone. */
  private task: { workspace: NodeWorkspace; checkpoints: string[]; steps: Map<number, string> } | null = null;
  private readonly diffRegistration = vscode.workspace.registerTextDocumentContentProvider(agentDiffScheme, this);
  /** The user's edits and saves while a command runs are the user's, not the command's: its revert keeps them. */
  private readonly userEdits = feedUserEdits(() => this.task?.workspace ?? null);
  /** Optional: the workspace's conventions, summarised into the agent's prompt and checked on every change. */
  conventions: ConventionsHost | null = null;
  /** The status bar's quick pick changes the level too: the panel's slider follows. */
  private readonly levelListener: vscode.Disposable;

  constructor(
    private readonly host: ModelHost,
    private readonly autonomy: AutonomyStore,
    private readonly storageRoot: vscode.Uri,
    private readonly output: vscode.LogOutputChannel,
    /** The commands always allowed in this project (workspace storage). */
    readonly allowed: AllowedCommands,
    /** See GhostOptions.agentModel (start-ghost.ts): null outside the VS Code tests. */
    private readonly agentModel: ((root: string) => Model | null) | null = null,
  ) {
    this.levelListener = autonomy.onDidChange(() => this.sendState());
  }

  get isRunning(): boolean {
    return this.running !== null;
  }

  /** The checkpoints of the last task's writes and commands, oldest first. */
  get checkpoints(): readonly string[] {
    return this.task?.checkpoints ?? [];
  }

  /** Runs one task to its end. Approvals wait for the panel (or the test API: decideHunk, answerCommand). */
  async start(task: string): Promise<AgentResult> {
    if (this.running) throw new Error("an agent task is already running; stop it first");
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) throw new Error("open a folder for the agent to work in");
    const model = this.agentModel?.(folder.uri.fsPath) ?? (await this.host.ready());
    const root = folder.uri.fsPath;
    const storage = join(this.storageRoot.fsPath, "agent", createHash("sha256").update(root).digest("hex").slice(0, 16));
    const policy = effectivePolicy(this.autonomy.level, defaultRules, { trusted: vscode.workspace.isTrusted, policy: await readPolicyFile(root) });
    const { level, notes } = policy;
    // The user's "always" answers from workspace storage: they remove the question, never the sandbox.
    const rules = { ...policy.rules, allow: [...policy.rules.allow, ...this.allowed.rules] };
    const workspace = await NodeWorkspace.open(root, storage);
    const reviewed = new ReviewedWorkspace(workspace);
    const controller = new AbortController();
    this.running = controller;
    this.task = { workspace, checkpoints: [], steps: new Map() };
    const { checkpoints, steps } = this.task;
    this.transcript.length = 0;
    this.send({ type: "transcript", entries: [] });
    this.add({ kind: "task", step: null, text: task });
    for (const note of notes) this.add({ kind: "info", step: null, text: note });
    this.sendState();
    const onStep = (outcome: StepOutcome, step: number) => {
      if ("checkpoint" in outcome && outcome.checkpoint) {
        checkpoints.push(outcome.checkpoint);
        steps.set(step, outcome.checkpoint);
      }
      if (outcome.reply !== undefined && outcome.reply.trim()) this.add({ kind: "reply", step, text: outcome.reply.trim(), constrained: outcome.constrained });
      if (outcome.kind === "observation") this.add({ kind: "observation", step, text: outcome.text });
      if (outcome.kind === "format-error") this.add({ kind: "error", step, text: `format error: ${outcome.error}` });
    };
    try {
      const result = await runAgent(
        task,
        {
          model,
          workspace: reviewed,
          audit: this.showViolations(jsonlAudit(join(storage, "audit.jsonl"), Date.now().toString(36))),
          approve: (request, signal) => this.ask(request, signal, reviewed, root),
          onAllowAlways: (rule) => this.allowed.add(rule),
          onStep,
          checkChange: this.conventions ? (changeSet) => this.conventions!.checkChange(changeSet) : undefined,
        },
        { level, rules, notes, signal: controller.signal, conventions: this.conventions?.summaryForWorkspace() },
      );
      const message = result.kind === "finished" ? result.summary : result.message;
      this.add({ kind: "end", step: null, text: `${result.kind}: ${message}` });
      this.output.info(`agent: ${result.kind} after ${result.steps} steps: ${message}`);
      return result;
    } catch (error) {
      this.add({ kind: "error", step: null, text: (error as Error).message });
      throw error;
    } finally {
      for (const entry of this.pending.values()) this.finish(entry, "reject", "cancelled");
      this.running = null;
      this.sendState();
    }
  }

  stop(): void {
    this.running?.abort();
    for (const entry of this.pending.values()) this.finish(entry, "reject", "cancelled");
  }

  /** Undoes the last task's writes and commands, newest first, or one step's alone (three-way: the user's own edits
   *  since stay, and so do the task's later steps where they do not overlap). */
  async revert(step?: number): Promise<RevertReport> {
    if (this.running) throw new Error("stop the task before reverting it");
    if (!this.task || this.task.checkpoints.length === 0) throw new Error("the last task changed nothing to revert");
    const { workspace, checkpoints, steps } = this.task;
    const one = step === undefined ? undefined : steps.get(step);
    if (step !== undefined && one === undefined) throw new Error(`step ${step} changed nothing, or was reverted already`);
    const reverted = one === undefined ? [...checkpoints] : [one];
    const report = await revertSteps(workspace.root, workspace.store, reverted);
    const conflicts = report.files.filter((file) => file.result === "conflict");
    checkpoints.splice(0, checkpoints.length, ...checkpoints.filter((id) => !reverted.includes(id)));
    for (const [key, id] of steps) if (reverted.includes(id)) steps.delete(key);
    const what = step === undefined ? "the task" : `step ${step}`;
    const text = conflicts.length === 0 ? `Reverted ${what}: every file it changed is as it was.` : `Reverted ${what}, except: ${conflicts.map((file) => `${file.path} (${file.conflicts.map((c) => c.reason).join("; ")})`).join(", ")}`;
    this.add({ kind: "info", step: null, text });
    this.sendState();
    return report;
  }

  /** A message from the panel, already validated against the protocol. */
  async receive(message: ToHost): Promise<void> {
    switch (message.type) {
      case "ready":
        for (const shown of this.snapshot()) this.send(shown);
        return;
      case "start":
        await this.start(message.task);
        return;
      case "setLevel":
        await this.autonomy.set(message.level as AutonomyLevel);
        this.sendState();
        return;
      case "decideHunk":
        return this.decideHunk(message.requestId, message.path, message.hunkId, message.choice);
      case "decideFile":
        return this.decideFile(message.requestId, message.path, message.choice);
      case "openDiff":
        return this.openDiff(message.requestId, message.path);
      case "answerCommand":
        return this.answerCommand(message.requestId, message.answer);
      case "stop":
        return this.stop();
      case "revert":
        await this.revert(message.step);
        return;
    }
  }

  /** What the panel needs to draw everything, when it (re)loads. */
  snapshot(): ToWebview[] {
    const requests = [...this.pending.values()].map((entry) => this.requestMessage(entry));
    return [this.stateMessage(), { type: "transcript", entries: [...this.transcript] }, ...requests];
  }

  /** The pending approvals, oldest first (for tests and the panel). */
  pendingRequests(): ToWebview[] {
    return [...this.pending.values()].map((entry) => this.requestMessage(entry));
  }

  decideHunk(requestId: number, path: string, hunkId: string, choice: Choice): void {
    const entry = this.pending.get(requestId);
    if (entry?.kind !== "change") return;
    const file = entry.request.changeSet.files.find((diff) => diff.path === path);
    if (!file?.hunks.some((hunk) => hunk.id === hunkId)) return;
    entry.choices.get(path)!.set(hunkId, choice);
    this.settle(entry);
  }

  decideFile(requestId: number, path: string, choice: Choice): void {
    const entry = this.pending.get(requestId);
    if (entry?.kind !== "change") return;
    const file = entry.request.changeSet.files.find((diff) => diff.path === path);
    if (!file) return;
    for (const hunk of file.hunks) entry.choices.get(path)!.set(hunk.id, choice);
    this.settle(entry);
  }

  answerCommand(requestId: number, answer: Answer): void {
    const entry = this.pending.get(requestId);
    if (entry?.kind !== "command") return;
    // The panel offers "always" only where it would be kept and the sandbox still contains the command; a message
    // that asks for it anyway is not obeyed.
    if (answer === "always" && !(entry.request.canAlways && entry.request.sandbox.available)) return this.output.warn(`agent: "always" is not offered for ${JSON.stringify(entry.request.argv)}`);
    this.finish(entry, answer, answer);
  }

  async openDiff(requestId: number, path: string): Promise<void> {
    const entry = this.pending.get(requestId);
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (entry?.kind !== "change" || !folder || !entry.request.changeSet.files.some((diff) => diff.path === path)) return;
    const left = vscode.Uri.joinPath(folder.uri, path);
    const right = vscode.Uri.from({ scheme: agentDiffScheme, path: `/${path}`, query: String(requestId) });
    await vscode.commands.executeCommand("vscode.diff", left, right, `${path} ↔ Ghost agent's proposal`);
  }

  /** The proposed text of a pending change, for the diff editor. */
  provideTextDocumentContent(uri: vscode.Uri): string {
    const entry = this.pending.get(Number(uri.query));
    const file = entry?.kind === "change" ? entry.request.changeSet.files.find((diff) => `/${diff.path}` === uri.path) : undefined;
    return file ? (selectedText(file, "accept") ?? "") : "(Ghost: this proposal was decided)";
  }

  /** The approval callback the loop calls: a pending request, answered from the panel. */
  private ask(request: ApprovalRequest, signal: AbortSignal, reviewed: ReviewedWorkspace, cwd: string): Promise<Answer> {
    if (signal.aborted) return Promise.resolve("reject");
    if (request.kind === "read") {
      // Reads outside the usual (a protected file) are asked through a modal, as they are rare.
      return Promise.resolve(
        vscode.window.showWarningMessage(`Ghost's agent asks to read ${request.path} (${request.reason}).`, { modal: true }, "Allow").then((pick) => (pick === "Allow" ? "approve" : "reject")),
      );
    }
    return new Promise<Answer>((resolve) => {
      const id = this.nextId++;
      let entry: Pending;
      if (request.kind === "command") entry = { kind: "command", id, request, cwd, resolve };
      else {
        const choices = new Map(request.changeSet.files.map((file) => [file.path, new Map<string, Choice>()]));
        const change: PendingChange = { kind: "change", id, request, choices, resolve: (answer) => {
          if (answer === "approve") reviewed.selections.set(request.changeSet, selectionOf(change));
          resolve(answer);
        } };
        entry = change;
      }
      this.pending.set(id, entry);
      signal.addEventListener("abort", () => this.finish(entry, "reject", "cancelled"), { once: true });
      this.send(this.requestMessage(entry));
    });
  }

  /** The audit log, and a violation (a command touched a protected path) also shown: a warning and a transcript
   *  entry. Logged first, so what the user is shown is always in the log too. */
  private showViolations(audit: Audit): Audit {
    return async (entry) => {
      await audit(entry);
      if (entry.event !== "violation") return;
      const text = `A command touched a protected path: ${entry.path} (${entry.what}). ${entry.undone ? "Ghost undid it." : "Ghost could not undo it: check it yourself."}`;
      this.add({ kind: "violation", step: entry.step, text });
      this.output.warn(`agent: violation at step ${entry.step}: ${text}`);
      void vscode.window.showWarningMessage(`Ghost: ${text}`);
    };
  }

  /** Once every hunk of a change is decided: approve (the accepted hunks are written) or reject (none was). */
  private settle(entry: PendingChange): void {
    this.send(this.requestMessage(entry));
    const files = entry.request.changeSet.files;
    const undecided = files.some((file) => file.hunks.some((hunk) => !entry.choices.get(file.path)!.has(hunk.id)));
    if (undecided) return;
    const anyAccepted = [...entry.choices.values()].some((hunks) => [...hunks.values()].includes("accept"));
    this.finish(entry, anyAccepted ? "approve" : "reject", anyAccepted ? "approve" : "reject");
  }

  private finish(entry: Pending, answer: Answer, shown: Answer | "cancelled"): void {
    if (!this.pending.delete(entry.id)) return;
    entry.resolve(answer);
    this.send({ type: "requestDone", requestId: entry.id, answer: shown });
  }

  private requestMessage(entry: Pending): ToWebview {
    if (entry.kind === "command") {
      const { reason, line, argv, sandbox, canAlways } = entry.request;
      return { type: "commandRequest", requestId: entry.id, reason, line, argv, cwd: entry.cwd, sandbox, canAlways };
    }
    const files: FileView[] = entry.request.changeSet.files.map((file) => ({
      path: file.path,
      kind: file.kind,
      hunks: file.hunks.map((hunk) => ({ id: hunk.id, header: renderHunk(hunk).split("\n", 1)[0]!, lines: hunk.lines, choice: entry.choices.get(file.path)!.get(hunk.id) ?? null })),
    }));
    const flags = entry.request.flags.map((flag) => `${flag.path ? `${flag.path}${flag.line ? `:${flag.line}` : ""}: ` : ""}${flag.message}`);
    return { type: "changeRequest", requestId: entry.id, reason: entry.request.reason, proposal: entry.request.proposal, files, flags };
  }

  private stateMessage(): ToWebview {
    const levels = autonomyLevels.map(({ level, label, allows }) => ({ level, label, allows }));
    return { type: "state", level: this.autonomy.level, levels, running: this.running !== null, canRevert: !this.running && (this.task?.checkpoints.length ?? 0) > 0, revertableSteps: this.running ? [] : [...(this.task?.steps.keys() ?? [])], trusted: vscode.workspace.isTrusted, sandbox: this.autonomy.sandbox };
  }

  sendState(): void {
    this.send(this.stateMessage());
  }

  private add(entry: TranscriptEntry): void {
    this.transcript.push(entry);
    this.send({ type: "entry", ...entry });
  }

  private send(message: ToWebview): void {
    this.emitter.fire(message);
  }

  dispose(): void {
    this.stop();
    this.emitter.dispose();
    this.diffRegistration.dispose();
    this.userEdits.dispose();
    this.levelListener.dispose();
  }
}

function selectionOf(entry: PendingChange): Selection {
  const selection: Selection = {};
  for (const [path, hunks] of entry.choices) {
    const accepted = Object.fromEntries([...hunks].filter(([, choice]) => choice === "accept"));
    selection[path] = Object.keys(accepted).length === 0 ? "reject" : { hunks: accepted };
  }
  return selection;
}
