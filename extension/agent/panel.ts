// The agent panel: a webview view in Ghost's view container. Serves the bundled page (dist/webview/) under a CSP
// with a fresh nonce, no remote resources, local resources only from dist/webview; relays the controller's
// messages to the page and the page's to the controller, each parsed with the protocol's schema first.
import { randomBytes } from "node:crypto";
import * as vscode from "vscode";
import { toHostSchema, toWebviewSchema, type ToWebview } from "../../webview/protocol";
import type { AgentController } from "./controller";

export { agentViewId } from "./view";

export class AgentPanel implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | null = null;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly controller: AgentController,
    private readonly output: vscode.LogOutputChannel,
  ) {
    this.subscriptions.push(controller.onMessage((message) => this.post(message)));
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const root = vscode.Uri.joinPath(this.extensionUri, "dist", "webview");
    view.webview.options = { enableScripts: true, localResourceRoots: [root] };
    view.webview.html = this.html(view.webview, root);
    this.subscriptions.push(
      view.webview.onDidReceiveMessage((raw: unknown) => {
        const parsed = toHostSchema.safeParse(raw);
        if (!parsed.success) return this.output.warn(`agent panel: dropped an invalid message: ${parsed.error.message}`);
        this.controller.receive(parsed.data).catch((error: Error) => {
          this.output.error(`agent: ${error.message}`);
          void vscode.window.showErrorMessage(`Ghost: ${error.message}`);
        });
      }),
      view.onDidChangeVisibility(() => view.visible && this.controller.sendState()),
      view.onDidDispose(() => (this.view = null)),
    );
  }

  private post(message: ToWebview): void {
    // Checked on the way out too: a bug here shows in the log rather than as a page that silently ignores it.
    const checked = toWebviewSchema.safeParse(message);
    if (!checked.success) return this.output.error(`agent panel: an invalid message for the page: ${checked.error.message}`);
    void this.view?.webview.postMessage(checked.data);
  }

  private html(webview: vscode.Webview, root: vscode.Uri): string {
    const nonce = randomBytes(16).toString("base64");
    const script = webview.asWebviewUri(vscode.Uri.joinPath(root, "agent.js"));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(root, "agent-style.css"));
    const csp = [`default-src 'none'`, `style-src ${webview.cspSource}`, `script-src 'nonce-${nonce}'`, `img-src ${webview.cspSource}`, `font-src ${webview.cspSource}`].join("; ");
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>Ghost Agent</title>
</head>
<body>
<main id="app" aria-live="polite"></main>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
