// The activation shell: what the shipped activate() runs, kept small so that activation is fast. It registers what
// VS Code must know at startup (the contributed commands, the inline completion provider, the agent view, the
// language model, a status bar item) as thin stand-ins, and loads the rest of Ghost (start-ghost.ts and everything
// under it: completions, edits, the agent, conventions, the workspace index, zod's schemas) from its own bundle,
// dist/ghost-core.js, on first use. A command's stand-in unregisters every command stand-in, loads Ghost (which
// registers the real commands) and runs the real command; the providers' stand-ins stay and forward.
import * as vscode from "vscode";
import { agentViewId, agentViewOptions } from "./agent/view";
import { registerLanguageModel } from "./language-model";
import { createModelStatusItem, hasNoModel, showNoModel } from "./model-status";
import type { GhostParts } from "./start-ghost";

/** Set by the bundle's first statement (scripts/node-bundle.mjs); absent when the code runs unbundled. */
declare const ghostBundleStart: { ms: number; cpu: NodeJS.CpuUsage; loadedMs?: number } | undefined;

interface Manifest {
  contributes: { commands: { command: string }[] };
}

export function activateShell(context: vscode.ExtensionContext): void {
  const activateCalled = performance.now();
  const started = typeof ghostBundleStart === "object" ? ghostBundleStart : { ms: activateCalled, cpu: process.cpuUsage(), loadedMs: activateCalled };
  const loadedMs = started.loadedMs ?? activateCalled;
  const output = vscode.window.createOutputChannel("Ghost", { log: true });
  const status = placeholderStatus(context.extensionPath);
  const standIns: vscode.Disposable[] = [status];
  let parts: Promise<GhostParts> | null = null;
  let loaded: GhostParts | null = null;
  /** Ghost, loaded now if this is its first use. A bundle that fails to load is a broken install: it says so once
   *  and stays failed. */
  const ghost = (use: string) => {
    if (parts) return parts;
    parts = Promise.resolve().then(() => {
      for (const standIn of standIns) standIn.dispose();
      output.info(`first use (${use}): loading Ghost's code`);
      // Outside this bundle on purpose (scripts/build.mjs): loading it is what activation no longer waits for.
      const { startGhost } = require("./ghost-core.js") as typeof import("./start-ghost");
      return (loaded = startGhost(context, { shell: { output } }));
    });
    parts.catch((error: Error) => {
      output.error(`Ghost's code failed to load: ${error.message}`);
      void vscode.window.showErrorMessage(`Ghost: its code failed to load (${error.message}); reinstall the extension.`);
    });
    return parts;
  };

  for (const { command } of (context.extension.packageJSON as Manifest).contributes.commands) {
    standIns.push(
      vscode.commands.registerCommand(command, async (...args: unknown[]) => {
        await ghost(command);
        return vscode.commands.executeCommand(command, ...args);
      }),
    );
  }
  context.subscriptions.push(
    output,
    ...standIns,
    vscode.languages.registerInlineCompletionItemProvider(
      { pattern: "**" },
      { provideInlineCompletionItems: async (...args) => (await ghost("inline completion").catch(() => null))?.completions.provideInlineCompletionItems(...args) },
    ),
    vscode.window.registerWebviewViewProvider(agentViewId, { resolveWebviewView: async (view) => (await ghost("agent panel")).agentPanel.resolveWebviewView(view) }, agentViewOptions),
    registerLanguageModel(
      async () => (await ghost("language model request")).host.ready(),
      () => loaded?.host.current ?? null,
    ),
  );
  const cpu = process.cpuUsage(started.cpu);
  const now = performance.now();
  const ms = (value: number) => value.toFixed(1);
  const hostMB = (process.memoryUsage().rss / 2 ** 20).toFixed(0); // what activation leaves: bench/activation.ts reports it
  output.info(`activated in ${ms(now - started.ms)} ms, ${ms((cpu.user + cpu.system) / 1000)} ms of CPU (loading Ghost's code ${ms(loadedMs - started.ms)} ms, VS Code's own preparation ${ms(activateCalled - loadedMs)} ms, activate() ${ms(now - activateCalled)} ms); extension host ${hostMB} MB`);
}

/** The model's status bar item until Ghost loads (its ModelHost then shows the real one): the same text, and the
 *  cloud icon when no model is set and none is bundled (an installed VSIX's first run). */
function placeholderStatus(extensionPath: string): vscode.StatusBarItem {
  const item = createModelStatusItem();
  if (hasNoModel(vscode.workspace.getConfiguration("ghost").get<string>("model"), extensionPath)) showNoModel(item);
  return item;
}
