// Where the CLI keeps a workspace's agent state (checkpoints, shadow git, audit log, conventions cache): under
// $GHOST_HOME (default ~/.cache/ghost), one folder per workspace root, never inside the workspace.
import { createHash } from "node:crypto";
import { ghostHome } from "../model/ghost-home";
import { join } from "node:path";

export function workspaceStorage(root: string): string {
  return join(ghostHome(), "workspaces", createHash("sha256").update(root).digest("hex").slice(0, 16));
}
