// The workspace the agent writes through in VS Code: the loop's gate only knows approve or reject, so a change the
// user reviewed hunk by hunk in the panel is written with their per-hunk selection instead of whole.
import type { Workspace, NodeWorkspace } from "../../agent/workspace";
import type { ChangeSet } from "../../diffing/change-set";
import type { Selection } from "../../diffing/selection";

/** The workspace the loop writes through: a change the user reviewed hunk by hunk is written with their choice,
 *  not the whole change (the loop's gate only knows approve/reject). Everything else passes through. */
export class ReviewedWorkspace implements Workspace {
  readonly selections = new WeakMap<ChangeSet, Selection>();
  constructor(private readonly inner: NodeWorkspace) {}
  locate: Workspace["locate"] = (path) => this.inner.locate(path);
  read: Workspace["read"] = (path) => this.inner.read(path);
  list: Workspace["list"] = (dir, limit) => this.inner.list(dir, limit);
  search: Workspace["search"] = (query, limit) => this.inner.search(query, limit);
  run: Workspace["run"] = (request, signal) => this.inner.run(request, signal);
  sandbox: Workspace["sandbox"] = () => this.inner.sandbox();
  inspectCommand: Workspace["inspectCommand"] = (argv) => this.inner.inspectCommand(argv);
  write: Workspace["write"] = (changeSet, selection, label) => this.inner.write(changeSet, this.selections.get(changeSet) ?? selection, label);
}
