// Starts Ghost in VS Code and reads like a table of contents: output, settings, the model host, the autonomy
// slider, the workspace index, inline completions, commands. Each command has exactly one catch, which logs and
// shows the message. Returns the live parts to its caller only: the shipped activation shell (lazy-ghost.ts), which
// loads this code from its own bundle (dist/ghost-core.js) on first use, keeps them to itself, so no other
// extension can reach them; the VS Code tests' own entry point (a separate, test-only bundle) keeps them.
import * as vscode from "vscode";
import { registerAgent } from "./agent/commands";
import type { AgentController } from "./agent/controller";
import type { AgentPanel } from "./agent/panel";
import { AutonomyStore } from "./autonomy-store";
import { GhostCompletionProvider } from "./completion-provider";
import { registerCompletionWarmup } from "./completion-warmup";
import { showCompletionContext } from "./context-command";
import { downloadModelCommand } from "./download-model";
import { ConventionsHost } from "./conventions-host";
import { registerEditCommands } from "./edit/commands";
import { EditController } from "./edit/controller";
import { registerLanguageModel } from "./language-model";
import { ModelHost } from "./model-host";
import { showModelMenu } from "./model-menu";
import { ServerAccess } from "./server-access";
import { readSettings, type GhostSettings } from "./settings";
import { relativePath, WorkspaceContext } from "./workspace-context";
import { probeSandbox } from "../agent/tools/sandbox";
import type { Model } from "../model/model";

/** The extension's live parts. */
export interface GhostParts {
  host: ModelHost;
  completions: GhostCompletionProvider;
  workspace: WorkspaceContext;
  autonomy: AutonomyStore;
  edits: EditController;
  conventions: ConventionsHost;
  agent: AgentController;
  agentPanel: AgentPanel;
  lastError: () => string | null;
}

export interface GhostOptions {
  /** The agent's model for a task in that folder instead of the worker's, or null for the worker's. Only the
   *  tests' entry point passes one (a scripted model); the shipped activate() passes none. */
  agentModel?: (root: string) => Model | null;
  /** The same for "Ghost: Edit Selection". */
  editModel?: () => Model | null;
  /** Set by the activation shell (lazy-ghost.ts), which loads this code on first use: its output channel, and the
   *  providers it registered at activation (inline completions, the agent view, the language model), which forward
   *  to these parts, so they are not registered twice. */
  shell?: { output: vscode.LogOutputChannel };
}

const modelSettings = ["model", "remoteModelName", "remoteContextLength", "modelVariant", "threads", "memoryLimitMB"];

/** Set by the bundle's first statement (scripts/node-bundle.mjs); absent when the code runs unbundled. */
declare const ghostBundleStart: { ms: number; cpu: NodeJS.CpuUsage } | undefined;

/** Starts everything and returns the live parts. Only the activation shell, on first use, and the VS Code tests'
 *  own entry point, at activation, call it. */
export function startGhost(context: vscode.ExtensionContext, options: GhostOptions = {}): GhostParts {
  const activateCalled = performance.now();
  const started = typeof ghostBundleStart === "object" ? ghostBundleStart : { ms: activateCalled, cpu: process.cpuUsage() };
  const output = options.shell?.output ?? vscode.window.createOutputChannel("Ghost", { log: true });
  // A confirmed server takes effect at once: the model is loaded again, from it.
  const servers = new ServerAccess(context.globalState, context.secrets, output, () => void startModel().catch(reportFailure));
  const host = new ModelHost(context.extensionPath, output, servers);
  const autonomy = new AutonomyStore(context.workspaceState);
  const workspace = new WorkspaceContext(output);
  const conventions = new ConventionsHost(context.storageUri, context.workspaceState, output);
  context.subscriptions.push(output, host, autonomy, workspace, conventions);

  let settings: GhostSettings | null = null;
  let lastError: string | null = null;
  const reportFailure = (error: Error) => {
    lastError = error.message;
    output.error(error.message);
    host.showError(error.message);
    void vscode.window.showErrorMessage(`Ghost: ${error.message}`);
  };
  const startModel = async () => {
    const read = readSettings();
    if (!read.ok) throw new Error(read.message);
    settings = read.settings;
    await host.start(read.settings);
  };
  /** A change to what the worker loads restarts it; any other setting (trace, budget) applies to the next request. */
  const settingsChanged = async (event: vscode.ConfigurationChangeEvent) => {
    if (modelSettings.some((key) => event.affectsConfiguration(`ghost.${key}`))) return startModel();
    const read = readSettings();
    if (!read.ok) throw new Error(read.message);
    settings = read.settings;
  };
  const currentSettings = () => settings ?? (readSettings() as { ok: true; settings: GhostSettings }).settings;

  const completions = new GhostCompletionProvider(host, workspace, currentSettings, () => autonomy.level, output, conventions);
  if (!options.shell) {
    context.subscriptions.push(
      vscode.languages.registerInlineCompletionItemProvider({ pattern: "**" }, completions),
      registerLanguageModel(() => host.ready(), () => host.current),
    );
  }
  context.subscriptions.push(
    registerCompletionWarmup(completions),
    vscode.commands.registerCommand("ghost.restartModel", () => startModel().then(() => host.ready()).catch(reportFailure)),
    // A failed or cancelled download is not the model's failure: the status bar keeps the model's own state.
    vscode.commands.registerCommand("ghost.downloadModel", (repo?: string) =>
      downloadModelCommand(output, repo).catch((error: Error) => {
        output.error(error.message);
        void vscode.window.showErrorMessage(`Ghost: ${error.message}`);
        return null;
      }),
    ),
    // A new key takes effect at once: the server's model is connected again with it.
    vscode.commands.registerCommand("ghost.setApiKey", () =>
      servers
        .setApiKey(vscode.workspace.getConfiguration("ghost").get<string>("model") ?? "")
        .then((changed) => (changed ? startModel() : undefined))
        .catch(reportFailure),
    ),
    vscode.commands.registerCommand("ghost.modelMenu", () => showModelMenu(() => host.memory(), host.server).catch(reportFailure)),
    vscode.commands.registerCommand("ghost.setAutonomy", () => autonomy.pick().catch(reportFailure)),
    vscode.commands.registerCommand("ghost.showCompletionContext", () => showCompletionContext(host, workspace, currentSettings()).catch(reportFailure)),
    vscode.commands.registerCommand("ghost.showOutput", () => output.show()),
    vscode.commands.registerCommand("ghost.showConventions", () => conventions.show().catch(reportFailure)),
    vscode.commands.registerCommand("ghost.chooseConventions", () => conventions.choose().catch(reportFailure)),
    vscode.workspace.onDidCloseTextDocument((document) => completions.trees.forget(relativePath(document.uri))),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration("ghost")) void settingsChanged(event).catch(reportFailure);
    }),
  );
  const edits = new EditController(host, () => autonomy.level, output, options.editModel ?? null);
  edits.conventionsFor = async (path) => conventions.summaryFor(path);
  edits.review.conventions = conventions;
  context.subscriptions.push(edits, ...registerEditCommands(edits, output));
  const { controller: agent, panel: agentPanel } = registerAgent(context, host, autonomy, output, reportFailure, options.agentModel ?? null, !options.shell);
  agent.conventions = conventions;
  void probeSandbox().then((status) => autonomy.setSandbox(status), reportFailure);
  // Reads the settings only: the model loads on first use (host.ready()), not here.
  void startModel().catch(reportFailure);
  void workspace.build().catch(reportFailure);
  void conventions.mine().catch(reportFailure);
  const cpu = process.cpuUsage(started.cpu);
  const now = performance.now();
  const ms = (value: number) => value.toFixed(1);
  // Through the shell (lazy-ghost.ts) this is the first use, not activation: the shell logs activation.
  const [what, call] = options.shell ? ["loaded Ghost on first use", "startGhost()"] : ["activated", "activate()"];
  output.info(`${what} in ${ms(now - started.ms)} ms, ${ms((cpu.user + cpu.system) / 1000)} ms of CPU (loading Ghost's code ${ms(activateCalled - started.ms)} ms, ${call} ${ms(now - activateCalled)} ms)`);
  return { host, completions, workspace, autonomy, edits, conventions, agent, agentPanel, lastError: () => lastError };
}
