// Wires the agent into VS Code: the controller, the panel (a webview view in Ghost's view container) and the
// command "Ghost: Start Agent Task", which shows the panel, asks for the task and runs it, and "Ghost: Manage
// Allowed Commands" (the commands always allowed in this project, kept in workspace storage).
import * as vscode from "vscode";
import type { AutonomyStore } from "../autonomy-store";
import type { ModelHost } from "../model-host";
import type { Model } from "../../model/model";
import { AllowedCommands } from "./allowed-commands";
import { AgentController } from "./controller";
import { AgentPanel } from "./panel";
import { agentViewId, agentViewOptions } from "./view";

/** agentModel: see GhostOptions (start-ghost.ts); null outside the VS Code tests. registerView: false when the
 *  activation shell (extension/lazy-ghost.ts) registered the view already and forwards it to the returned panel. */
export function registerAgent(
  context: vscode.ExtensionContext,
  host: ModelHost,
  autonomy: AutonomyStore,
  output: vscode.LogOutputChannel,
  reportFailure: (error: Error) => void,
  agentModel: ((root: string) => Model | null) | null,
  registerView: boolean,
): { controller: AgentController; panel: AgentPanel } {
  const allowed = new AllowedCommands(context.workspaceState, output);
  const controller = new AgentController(host, autonomy, context.storageUri ?? context.globalStorageUri, output, allowed, agentModel);
  const panel = new AgentPanel(context.extensionUri, controller, output);
  context.subscriptions.push(
    controller,
    panel,
    ...(registerView ? [vscode.window.registerWebviewViewProvider(agentViewId, panel, agentViewOptions)] : []),
    // `task` skips the input box (tests and keybindings pass it). Resolves when the task ends, with its result.
    vscode.commands.registerCommand("ghost.startAgentTask", async (task?: string) => {
      try {
        await vscode.commands.executeCommand(`${agentViewId}.focus`);
        task ??= await vscode.window.showInputBox({ title: "Ghost: agent task", prompt: "What should the agent do?", placeHolder: "e.g. fix the failing test", ignoreFocusOut: true });
        if (!task?.trim()) return null;
        return await controller.start(task.trim());
      } catch (error) {
        reportFailure(error as Error);
        return null;
      }
    }),
    vscode.commands.registerCommand("ghost.manageAllowedCommands", () => allowed.manage().catch(reportFailure)),
  );
  return { controller, panel };
}
