// What Ghost needs from VS Code to use a model server: which ghost.model value it may use (a server URL that comes
// from the workspace's own settings is used only after the user confirms it once for that workspace, see
// model-source.ts), and the server's API key, kept in VS Code's SecretStorage per server origin and never in
// settings.json. "Ghost: Set API Key for Model Server…" stores or removes one. The question is a notification, not a
// modal dialog: it comes up on the first completion, while the user types, and a modal's focused button would take
// a typed space or Enter as the answer. Until it is answered Ghost uses the user's own model.
import * as vscode from "vscode";
import { isServerUrl } from "../model/remote/server-url";
import { chooseModelSource, confirmationKey } from "./model-source";

const confirmedKey = "ghost.confirmedServers";

export class ServerAccess {
  /** Servers asked about in this window: asked again in the next one, not on every keystroke. */
  private readonly asked = new Set<string>();

  /** `confirmed`: called when the user confirms a server, so the model is loaded again from it. */
  constructor(
    private readonly globalState: vscode.Memento,
    private readonly secrets: vscode.SecretStorage,
    private readonly output: vscode.LogOutputChannel,
    private readonly confirmed: () => void,
  ) {}

  /** The ghost.model value to load: the workspace's unless it names a server the user has not confirmed. */
  async modelSetting(): Promise<string> {
    const sources = vscode.workspace.getConfiguration("ghost").inspect<string>("model") ?? { key: "ghost.model" };
    const workspace = workspaceId();
    const confirmed = new Set(this.globalState.get<string[]>(confirmedKey, []));
    const source = chooseModelSource(sources, (url) => confirmed.has(confirmationKey(workspace, url)));
    if (!("confirm" in source)) return source.setting;
    const key = confirmationKey(workspace, source.confirm);
    this.output.warn(`this workspace's settings name the model server ${source.confirm}; until you confirm it, Ghost uses your own ghost.model (${source.fallback || "the default"})`);
    if (!this.asked.has(key)) {
      this.asked.add(key);
      void askToUse(source.confirm).then(async (use) => {
        if (!use) return;
        await this.globalState.update(confirmedKey, [...new Set([...this.globalState.get<string[]>(confirmedKey, []), key])]);
        this.output.info(`using the model server ${source.confirm} that this workspace's settings name (confirmed by the user)`);
        this.confirmed();
      });
    }
    return source.fallback;
  }

  async apiKey(serverUrl: string): Promise<string | undefined> {
    return this.secrets.get(secretName(serverUrl));
  }

  /** The command: asks which server (the current one first) and its key; an empty key removes the stored one. */
  async setApiKey(current: string): Promise<boolean> {
    const server = await vscode.window.showInputBox({
      title: "Ghost: API key for a model server (1/2)",
      prompt: "The server's OpenAI-compatible base URL",
      value: isServerUrl(current) ? current : "",
      placeHolder: "https://models.example.com/v1",
      validateInput: (value) => (isServerUrl(value) ? null : "an http:// or https:// URL, e.g. http://gpu-box:8000/v1"),
    });
    if (!server) return false;
    const key = await vscode.window.showInputBox({
      title: `Ghost: API key for ${new URL(server).origin} (2/2)`,
      prompt: "Kept in VS Code's secret storage, never in settings.json. Leave empty to remove the stored key.",
      password: true,
      ignoreFocusOut: true,
    });
    if (key === undefined) return false;
    if (key.trim()) await this.secrets.store(secretName(server), key.trim());
    else await this.secrets.delete(secretName(server));
    this.output.info(`${key.trim() ? "stored" : "removed"} the API key for ${new URL(server).origin}`);
    return true;
  }
}

/** One key per origin: every path of one server shares it, and no other server ever receives it. */
function secretName(serverUrl: string): string {
  return `ghost.apiKey ${new URL(serverUrl).origin}`;
}

function workspaceId(): string {
  return (vscode.workspace.workspaceFile ?? vscode.workspace.workspaceFolders?.[0]?.uri)?.toString() ?? "(no folder)";
}

async function askToUse(url: string): Promise<boolean> {
  const use = "Use This Server";
  const answer = await vscode.window.showWarningMessage(
    `This workspace's settings point Ghost at the model server ${url}: Ghost would send code from this workspace there. Use it only if you trust it; until then Ghost keeps using your own model.`,
    use,
    "Keep My Model",
  );
  return answer === use;
}
