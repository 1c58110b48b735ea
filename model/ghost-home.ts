// Ghost's own folder on this machine: models, rewritten graphs, per-workspace storage and checkpoints live under it.
import { homedir } from "node:os";
import { join } from "node:path";

/** `$GHOST_HOME` when set (and not empty), else `~/.cache/ghost`. */
export function ghostHome(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  return env.GHOST_HOME ? env.GHOST_HOME : join(home, ".cache", "ghost");
}
