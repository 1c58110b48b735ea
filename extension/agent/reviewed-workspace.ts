// The workspace the agent writes through in VS Code. A change the user reviewed hunk by hunk in the panel is
// written with their per-hunk selection instead of whole (the loop's gate only knows approve/reject). A file open
// in an editor with unsaved changes is never written behind the editor's back: its change comes back to the model
// as a conflict, and the user's unsaved text stays (a clean open file is written on disk, and VS Code reloads it).
import { join } from "node:path";
import * as vscode from "vscode";
import type { Workspace, NodeWorkspace } from "../../agent/workspace";
import type { ChangeSet } from "../../diffing/change-set";
import type { FileReport } from "../../diffing/fs-apply";
import type { Selection } from "../../diffing/selection";

const unsavedReason = "the file has unsaved changes in the editor, and Ghost does not write behind them; the user can save or revert them, then ask again";

export class ReviewedWorkspace implements Workspace {
  readonly selections = new WeakMap<ChangeSet, Selection>();
  constructor(private readonly inner: NodeWorkspace) {}
  locate: Workspace["locate"] = (path) => this.inner.locate(path);
  read: Workspace["read"] = (path) => this.inner.read(path);
  list: Workspace["list"] = (dir, limit) => this.inner.list(dir, limit);
  search: Workspace["search"] = (query, limit) => this.inner.search(query, limit);
  run: Workspace["run"] = (request, signal) => this.inner.run(request, signal);
  sandbox: Workspace["sandbox"] = () => this.inner.sandbox();
  resolveCommand: Workspace["resolveCommand"] = (argv) => this.inner.resolveCommand(argv);
  commandDrivers: Workspace["commandDrivers"] = (command) => this.inner.commandDrivers(command);

  write: Workspace["write"] = async (changeSet, selection, label) => {
    const chosen = { ...(this.selections.get(changeSet) ?? selection) };
    const unsaved = changeSet.files.map((file) => file.path).filter((path) => this.hasUnsavedEdits(path));
    for (const path of unsaved) chosen[path] = "reject";
    const outcome = await this.inner.write(changeSet, chosen, label);
    if (outcome.kind !== "done" || unsaved.length === 0) return outcome;
    const conflict = (path: string): FileReport => ({ path, result: "conflict", appliedHunks: [], conflicts: [{ hunkId: null, line: null, reason: unsavedReason }] });
    return {
      ...outcome,
      files: [...outcome.files.filter((file) => !unsaved.includes(file.path)), ...unsaved.map(conflict)],
      rejections: outcome.rejections.filter((rejection) => !unsaved.includes(rejection.path)),
    };
  };

  private hasUnsavedEdits(path: string): boolean {
    const file = join(this.inner.root, path);
    return vscode.workspace.textDocuments.some((document) => document.isDirty && document.uri.scheme === "file" && document.uri.fsPath === file);
  }
}
