// Keeps the model worker running for the extension: starts it from the settings, shows its state in the status
// bar, restarts it on request or when the settings change, and logs what happens.
import { cpus } from "node:os";
import { join } from "node:path";
import * as vscode from "vscode";
import { resolveModel } from "../model/store/resolve";
import { WorkerModel, type WorkerStatus } from "../model/worker-client";
import type { GhostSettings } from "./settings";

export class ModelHost implements vscode.Disposable {
  private model: WorkerModel | null = null;
  private readonly statusItem = vscode.window.createStatusBarItem("ghost.model", vscode.StatusBarAlignment.Right, 100);

  constructor(
    private readonly extensionPath: string,
    private readonly output: vscode.LogOutputChannel,
  ) {
    this.statusItem.name = "Ghost model";
    this.statusItem.command = "ghost.modelMenu";
    this.statusItem.show();
  }

  get current(): WorkerModel | null {
    return this.model;
  }

  async start(settings: GhostSettings): Promise<void> {
    await this.model?.dispose();
    this.model = null;
    const setting = settings.model || join(this.extensionPath, "test", "fixtures", "models", "tiny-coder");
    const baseDir = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const { dir } = await resolveModel(setting, { baseDir });
    this.output.info(`loading model ${dir} (${settings.modelVariant})`);
    this.model = await WorkerModel.start(
      dir,
      {
        variant: settings.modelVariant,
        threads: settings.threads || Math.max(1, Math.min(4, cpus().length)),
        memoryLimitBytes: settings.memoryLimitMB ? settings.memoryLimitMB * 2 ** 20 : undefined,
      },
      (status) => this.show(status),
    );
  }

  showError(message: string): void {
    this.show({ state: "failed", message });
  }

  /** Why autocomplete showed nothing, in the model item's tooltip (cleared by the next suggestion shown). */
  showReason(reason: string): void {
    this.statusItem.tooltip = `Ghost: no suggestion because ${reason}. Click for the model menu.`;
  }

  showReady(): void {
    if (this.model) this.statusItem.tooltip = `Model ready: ${this.model.info.onnxFile}`;
  }

  private show(status: WorkerStatus): void {
    const texts: Record<WorkerStatus["state"], string> = {
      loading: "$(loading~spin) Ghost",
      ready: "$(sparkle) Ghost",
      crashed: "$(warning) Ghost",
      failed: "$(error) Ghost",
    };
    this.statusItem.text = texts[status.state];
    this.statusItem.tooltip =
      status.state === "ready" ? `Model ready: ${status.info.onnxFile}` : status.state === "loading" ? "Loading the model…" : `${status.message}\nClick for the model menu.`;
    if (status.state === "crashed") {
      this.output.warn(status.message);
      void vscode.window.showWarningMessage(status.message);
    }
    if (status.state === "failed") this.output.error(status.message);
    if (status.state === "ready") this.output.info(`model ready: ${status.info.onnxFile} (${status.info.family} FIM)`);
  }

  dispose(): void {
    void this.model?.dispose();
    this.statusItem.dispose();
  }
}
