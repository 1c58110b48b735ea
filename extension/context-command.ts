// "Ghost: Show Completion Context": what the model would see for a completion at the cursor, and where each part
// came from, in a read-only document beside the editor (the same as `ghost context` in the terminal).
import * as vscode from "vscode";
import { measureCharsPerToken } from "../agent/complete/chars-per-token";
import { familyOf } from "../agent/complete/complete";
import { assembleContext } from "../agent/complete/context";
import type { ModelHost } from "./model-host";
import type { GhostSettings } from "./settings";
import { relativePath, type WorkspaceContext } from "./workspace-context";

export async function showCompletionContext(host: ModelHost, workspace: WorkspaceContext, settings: GhostSettings): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) throw new Error("open a file and place the cursor where a completion would go");
  const model = await host.ready();
  const document = editor.document;
  const [path, text] = [relativePath(document.uri), document.getText()];
  // Measured as the completion provider measures it, so the window shown is the one a completion sends.
  const charsPerToken = await measureCharsPerToken(model, text);
  const assembled = assembleContext(
    { path, text, offset: document.offsetAt(editor.selection.active) },
    { family: familyOf(model), budgetTokens: settings.contextBudget, charsPerToken, index: workspace.index, recent: workspace.recent },
  );
  const tokens = (await Promise.all(assembled.parts.map((part) => ("text" in part ? model.tokenize(part.text) : Promise.resolve([0]))))).reduce((sum, ids) => sum + ids.length, 0);
  const sources = assembled.snippets.map((snippet) => `${snippet.kind.padEnd(10)} ${snippet.path}:${snippet.line + 1}  (${snippet.reason})`);
  const prompt = assembled.parts.map((part) => ("special" in part ? part.special : "text" in part ? part.text : "")).join("");
  const content = `# sources (${sources.length})\n${sources.join("\n")}\n\n# prompt: ${tokens} tokens (budget ${settings.contextBudget})\n${prompt}`;
  const shown = await vscode.workspace.openTextDocument({ content, language: "plaintext" });
  await vscode.window.showTextDocument(shown, { viewColumn: vscode.ViewColumn.Beside, preview: true });
}
