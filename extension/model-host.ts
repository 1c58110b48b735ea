// Keeps the model worker for the extension: starts it from the settings on first use (a completion, an edit, an agent
// task, a chat request), never at startup, so activation stays fast and a window that never asks costs no memory.
// Shows its state in the status bar, restarts it on request or when the settings change, and logs what happens.
import { cpus } from "node:os";
import * as vscode from "vscode";
import { resolveModel } from "../model/store/resolve";
import { WorkerModel, type WorkerStatus } from "../model/worker-client";
import { createModelStatusItem, hasNoModel, shippedTestModel, showNoModel } from "./model-status";
import type { GhostSettings } from "./settings";

export class ModelHost implements vscode.Disposable {
  private model: WorkerModel | null = null;
  /** The load in progress or done for the current settings; null until first use, or after the settings change. */
  private loading: Promise<WorkerModel> | null = null;
  private settings: GhostSettings | null = null;
  private readonly statusItem = createModelStatusItem();

  constructor(
    private readonly extensionPath: string,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  /** The loaded model, or null while none is (yet). */
  get current(): WorkerModel | null {
    return this.model;
  }

  /** The model, loaded now if this is its first use since start or since the settings changed. A failed load is
   *  forgotten, so the next use tries again (after the user fixed the setting). */
  async ready(): Promise<WorkerModel> {
    if (!this.settings) throw new Error("Ghost's settings are not read yet");
    const loading = (this.loading ??= this.load(this.settings).catch((error: Error) => {
      if (this.loading === loading) this.loading = null;
      throw error;
    }));
    return loading;
  }

  /** Takes new settings: a model already loaded (or loading) is replaced now, else the next use loads it. */
  async start(settings: GhostSettings): Promise<void> {
    const wasUsed = this.loading !== null;
    this.settings = settings;
    this.loading = null;
    await this.model?.dispose();
    this.model = null;
    if (hasNoModel(settings.model, this.extensionPath)) showNoModel(this.statusItem);
    if (wasUsed) await this.ready();
  }

  private async load(settings: GhostSettings): Promise<WorkerModel> {
    if (hasNoModel(settings.model, this.extensionPath)) {
      throw new Error('no model is set: run "Ghost: Download Model…" or set ghost.model to a model folder');
    }
    const setting = settings.model || shippedTestModel(this.extensionPath);
    const baseDir = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const { dir } = await resolveModel(setting, { baseDir });
    this.output.info(`loading model ${dir} (${settings.modelVariant})`);
    const model = await this.startWorker(dir, settings);
    // Settings that changed while it loaded have replaced this load: its worker is of no use.
    if (this.settings !== settings) {
      await model.dispose();
      throw new Error("the model settings changed while the model loaded; try again");
    }
    this.model = model;
    return model;
  }

  private startWorker(dir: string, settings: GhostSettings): Promise<WorkerModel> {
    return WorkerModel.start(
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
