// What a command run outside the sandbox (the user's explicit choice) changed inside protected paths that already
// existed: the sandbox would have kept them read-only, so each change is reported, though not undone. A stamp is
// every file's path, size and modification time under the entry; in a git folder only what can make something run
// (config, hooks/, info/), since objects, refs and the index change with every commit the user approved. Knows
// nothing about how the command ran.
import { createHash } from "node:crypto";
import { lstat, readdir } from "node:fs/promises";
import { join } from "node:path";
import type { ProtectedEntry, Violation } from "./protected-scan";
import { protectedWhat } from "../protected-paths";

const gitParts = ["config", "hooks", "info"];
/** Files stamped per entry at most: a stamp is a tripwire, not a backup. */
const maxFiles = 5000;

export async function stampProtected(root: string, entries: readonly ProtectedEntry[]): Promise<Map<string, string>> {
  const stamps = new Map<string, string>();
  for (const entry of entries) {
    const hash = createHash("sha256");
    const isGit = /(^|\/)\.git$/i.test(entry.path);
    const starts = isGit ? gitParts.map((part) => join(entry.path, part)) : [entry.path];
    let files = 0;
    const visit = async (path: string): Promise<void> => {
      const stats = await lstat(join(root, path)).catch(() => null);
      if (stats === null || files++ > maxFiles) return;
      hash.update(`${path}\0${stats.size}\0${stats.mtimeMs}\0${stats.mode}\0`);
      if (stats.isDirectory()) for (const name of (await readdir(join(root, path))).sort()) await visit(join(path, name));
    };
    for (const start of starts) await visit(start);
    stamps.set(entry.path, hash.digest("hex"));
  }
  return stamps;
}

/** A violation for every entry whose stamp changed (entries that were created, moved or removed are
 *  checkProtected's). */
export function changedInside(before: Map<string, string>, after: Map<string, string>): Violation[] {
  return [...before].flatMap(([path, stamp]) => {
    const now = after.get(path);
    return now === undefined || now === stamp ? [] : [{ path, what: `changed what is inside ${protectedWhat(path) ?? path}`, undone: false }];
  });
}
