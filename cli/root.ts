// The folder a CLI command works in when --root is not given: the git work tree that encloses the file it is about
// (or the current folder, for commands about no file), else the current folder. So `ghost complete src/a.ts:3:4`
// draws cross-file context from the whole repository, as the editor does, and every command agrees on the root.
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/** The nearest folder at or above `from` that holds `.git` (a folder, or a file in worktrees and submodules). */
export function gitWorkTree(from: string): string | null {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, ".git"))) return dir;
    if (dirname(dir) === dir) return null;
  }
}

/** --root when given, else the enclosing git work tree of `near` (a file's folder, or the current folder), else the
 *  current folder. */
export function chooseRoot(root: string | undefined, near: string = process.cwd()): string {
  return resolve(root ?? gitWorkTree(near) ?? process.cwd());
}
