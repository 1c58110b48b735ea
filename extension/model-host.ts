// Keeps the model worker for the extension: starts it from the settings on first use (a completion, an edit, an agent
// task, a chat request), never at startup, so activation stays fast and a window that never asks costs no memory.
// Shows its state in the status bar, restarts it on request or when the settings change, and logs what happens.
// ghost.model may also name an OpenAI-compatible server: the same Model interface, so nothing past this file knows
// which backend it talks to.
import { cpus } from "node:os";
import * as vscode from "vscode";
import type { Model } from "../model/model";
import { openRemoteModel } from "../model/remote/open-remote-model";
import { isServerUrl } from "../model/remote/server-url";
import { resolveModel } from "../model/store/resolve";
import { WorkerModel, type WorkerStatus } from "../model/worker-client";
import type { WorkerMemory } from "../model/worker-protocol";
import { createModelStatusItem, hasNoModel, shippedTestModel, showNoModel } from "./model-status";
import type { ServerAccess } from "./server-access";
import type { GhostSettings } from "./settings";

export class ModelHost implements vscode.Disposable {
  private model: Model | null = null;
  /** The load in progress or done for the current settings; null until first use, or after the settings change. */
  private loading: Promise<Model> | null = null;
  private settings: GhostSettings | null = null;
  private readonly statusItem = createModelStatusItem();

  constructor(
    private readonly extensionPath: string,
    private readonly output: vscode.LogOutputChannel,
    private readonly servers: ServerAccess,
  ) {}

  /** The loaded model, or null while none is (yet). */
  get current(): Model | null {
    return this.model;
  }

  /** The local worker's memory; null for a model server, or when no model is loaded. */
  async memory(): Promise<WorkerMemory | null> {
    return this.model instanceof WorkerModel ? this.model.memory() : null;
  }

  /** What the model menu names for a model on a server ("NAME at URL"), or null for the local worker. */
  get server(): string | null {
    return this.model?.info.server ? this.model.info.dir : null;
  }

  /** The model, loaded now if this is its first use since start or since the settings changed. A failed load is
   *  forgotten, so the next use tries again (after the user fixed the setting). */
  async ready(): Promise<Model> {
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

  private async load(settings: GhostSettings): Promise<Model> {
    const chosen = await this.servers.modelSetting();
    if (hasNoModel(chosen, this.extensionPath)) {
      throw new Error('no model is set: run "Ghost: Download Model…" or set ghost.model to a model folder');
    }
    const model = isServerUrl(chosen) ? await this.connect(chosen, settings) : await this.startLocal(chosen, settings);
    // Settings that changed while it loaded have replaced this load: its worker is of no use.
    if (this.settings !== settings) {
      await model.dispose();
      throw new Error("the model settings changed while the model loaded; try again");
    }
    this.model = model;
    return model;
  }

  private async startLocal(chosen: string, settings: GhostSettings): Promise<WorkerModel> {
    const setting = chosen || shippedTestModel(this.extensionPath);
    const baseDir = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const { dir } = await resolveModel(setting, { baseDir });
    this.output.info(`loading model ${dir} (${settings.modelVariant})`);
    return this.startWorker(dir, settings);
  }

  private async connect(baseUrl: string, settings: GhostSettings): Promise<Model> {
    this.output.info(`connecting to the model server ${baseUrl}${settings.remoteModelName ? ` (model ${settings.remoteModelName})` : ""}`);
    this.show({ state: "loading" });
    const model = await openRemoteModel({
      baseUrl,
      modelName: settings.remoteModelName || undefined,
      contextLength: settings.remoteContextLength || undefined,
      apiKey: await this.servers.apiKey(baseUrl),
    }).catch((error: Error) => {
      this.show({ state: "failed", message: error.message });
      throw error;
    });
    this.statusItem.text = "$(cloud) Ghost";
    this.describe(`Model server: ${model.info.dir}. Click for the model menu.`);
    this.output.info(`model server ready: ${model.info.dir} (${model.info.family} FIM, context ${model.info.contextLength} tokens)`);
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
    this.describe(`Ghost: no suggestion because ${reason}. Click for the model menu.`);
  }

  showReady(): void {
    if (this.model) this.describe(this.server ? `Model server: ${this.server}` : `Model ready: ${this.model.info.onnxFile}`);
  }

  private show(status: WorkerStatus): void {
    const texts: Record<WorkerStatus["state"], string> = {
      loading: "$(loading~spin) Ghost",
      ready: "$(sparkle) Ghost",
      crashed: "$(warning) Ghost",
      failed: "$(error) Ghost",
    };
    this.statusItem.text = texts[status.state];
    this.describe(status.state === "ready" ? `Model ready: ${status.info.onnxFile}` : status.state === "loading" ? "Loading the model…" : `${status.message}\nClick for the model menu.`);
    if (status.state === "crashed") {
      this.output.warn(status.message);
      void vscode.window.showWarningMessage(status.message);
    }
    if (status.state === "failed") this.output.error(status.message);
    if (status.state === "ready") this.output.info(`model ready: ${status.info.onnxFile} (${status.info.family} FIM)`);
  }

  /** The item's tooltip, which is also its accessible name, so a screen reader (and a UI test) hears the reason. */
  private describe(tooltip: string): void {
    this.statusItem.tooltip = tooltip;
    this.statusItem.accessibilityInformation = { label: `Ghost model: ${tooltip}` };
  }

  dispose(): void {
    void this.model?.dispose();
    this.statusItem.dispose();
  }
}
