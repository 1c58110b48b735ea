// The autonomy level of this project: kept in VS Code's workspace storage (never in a file of the repository, so
// neither the repository nor the model can raise it), shown in the status bar, changed with a quick pick.
// An untrusted workspace is capped at suggest. Where the command sandbox does not work, the item says "no sandbox"
// and why (commands are then asked at every level; the core decides that, this only tells the user).
import * as vscode from "vscode";
import { autonomyLevels, defaultAutonomyLevel, type AutonomyLevel } from "../agent/autonomy-levels";
import type { SandboxStatus } from "../agent/tools/sandbox";

const storageKey = "ghost.autonomyLevel";
const untrustedCap: AutonomyLevel = 1;

export class AutonomyStore implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem("ghost.autonomy", vscode.StatusBarAlignment.Right, 99);
  private readonly trustListener = vscode.workspace.onDidGrantWorkspaceTrust(() => this.render());
  private readonly changed = new vscode.EventEmitter<AutonomyLevel>();
  /** Fires with the level in force whenever the stored choice changes (status bar, panel). */
  readonly onDidChange = this.changed.event;
  private sandboxStatus: SandboxStatus | null = null;

  constructor(private readonly state: vscode.Memento) {
    this.item.name = "Ghost autonomy";
    this.item.command = "ghost.setAutonomy";
    this.render();
    this.item.show();
  }

  /** The level in force: the stored choice, capped when the workspace is not trusted. */
  get level(): AutonomyLevel {
    const chosen = this.state.get<AutonomyLevel>(storageKey, defaultAutonomyLevel);
    return vscode.workspace.isTrusted ? chosen : (Math.min(chosen, untrustedCap) as AutonomyLevel);
  }

  async pick(): Promise<void> {
    const items = autonomyLevels.map((entry) => ({ label: `${entry.level} ${entry.label}`, detail: entry.allows, level: entry.level, picked: entry.level === this.level }));
    const choice = await vscode.window.showQuickPick(items, { title: "Ghost: autonomy for this project", placeHolder: "What may Ghost do without asking?" });
    if (choice) await this.set(choice.level);
  }

  /** Stores the user's choice for this project (the panel's slider and the quick pick both land here). */
  async set(level: AutonomyLevel): Promise<void> {
    await this.state.update(storageKey, level);
    this.render();
    this.changed.fire(this.level);
  }

  /** Whether the command sandbox works here: null until probed (agent/tools/sandbox.ts's probeSandbox). */
  get sandbox(): SandboxStatus | null {
    return this.sandboxStatus;
  }

  setSandbox(status: SandboxStatus): void {
    this.sandboxStatus = status;
    this.render();
    this.changed.fire(this.level);
  }

  private render(): void {
    const entry = autonomyLevels[this.level];
    const noSandbox = this.sandboxStatus?.available === false ? this.sandboxStatus.reason : null;
    this.item.text = `$(shield) ${entry.label}${noSandbox ? " $(warning) no sandbox" : ""}`;
    const sandboxLine = noSandbox ? `\nno sandbox: ${noSandbox}. Commands run with your own permissions, and autopilot asks before each one.` : "";
    this.item.tooltip = `Ghost autonomy: ${entry.label}. ${entry.allows}${vscode.workspace.isTrusted ? "" : " (capped: this workspace is not trusted)"}${sandboxLine}\nClick to change.`;
    // The tooltip only shows on hover: the accessible name carries the reason too.
    this.item.accessibilityInformation = { label: `Ghost autonomy: ${entry.label}${noSandbox ? `, no sandbox: ${noSandbox}` : ""}` };
  }

  dispose(): void {
    this.item.dispose();
    this.trustListener.dispose();
    this.changed.dispose();
  }
}
