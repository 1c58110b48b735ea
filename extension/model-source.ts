// Which ghost.model value Ghost may use, given where each value was set. A repository's own settings
// (.vscode/settings.json, a .code-workspace file) must not send its code to a server the user never chose: a server
// URL from the workspace counts only once the user has confirmed that URL for that workspace, and until then Ghost
// uses the user's own value. Plain TypeScript (no vscode import), so the rule is tested under Node.
import { isServerUrl } from "../model/remote/server-url";

/** The values of one setting by where they were set, as `WorkspaceConfiguration.inspect()` gives them. */
export interface SettingSources {
  globalValue?: string;
  workspaceValue?: string;
  workspaceFolderValue?: string;
}

export type ModelSource =
  | { setting: string; server: false }
  | { setting: string; server: true }
  /** The workspace names a server the user has not confirmed: ask; until then `fallback` (the user's own value). */
  | { confirm: string; fallback: string };

/** The key a confirmation is kept under: the server for this workspace, so another repository naming the same
 *  server, or this one naming another, asks again. */
export function confirmationKey(workspace: string, url: string): string {
  return `${workspace}\n${url.trim()}`;
}

export function chooseModelSource(sources: SettingSources, confirmed: (url: string) => boolean): ModelSource {
  const own = (sources.globalValue ?? "").trim();
  const fromWorkspace = (sources.workspaceFolderValue ?? sources.workspaceValue ?? "").trim();
  if (fromWorkspace && isServerUrl(fromWorkspace) && !confirmed(fromWorkspace)) return { confirm: fromWorkspace, fallback: own };
  const setting = fromWorkspace || own;
  return { setting, server: isServerUrl(setting) };
}
