// Protected paths on the disk, before and after a command. Before: every protected entry in the workspace (at any
// depth, node_modules aside), which the sandbox binds read-only, and the root folders to mask. After: the same walk
// again; an entry the command created, replaced or moved is a violation. For a sandboxed command each is undone:
// what it created is moved into Ghost's quarantine folder (never deleted: nothing is lost), a protected folder it
// moved away is moved back. Knows nothing about the policy or how the command ran.
import { lstat, mkdir, readdir, realpath, rename, rmdir } from "node:fs/promises";
import { basename, dirname, join, relative, sep } from "node:path";
import { resolveInside } from "../../diffing/fs-apply";
import { isProtectedName, protectedWhat, rootMasks } from "../protected-paths";

export interface ProtectedEntry {
  /** Workspace-relative, POSIX. */
  path: string;
  /** "dev:ino": the same entry after a rename. */
  id: string;
}

export interface Violation {
  path: string;
  what: string;
  undone: boolean;
}

/** Folders never walked: dependencies hold their own .git and configs, which nothing runs from the workspace. */
const unwalked = new Set(["node_modules"]);

export async function scanProtected(root: string): Promise<ProtectedEntry[]> {
  const found: ProtectedEntry[] = [];
  const walk = async (folder: string): Promise<void> => {
    const entries = await readdir(join(root, folder), { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT" || error.code === "ENOTDIR") return []; // removed while walking
      throw error;
    });
    for (const entry of entries) {
      const path = folder === "" ? entry.name : `${folder}/${entry.name}`;
      if (isProtectedName(entry.name, basename(folder))) {
        const stats = await lstat(join(root, path));
        found.push({ path, id: `${stats.dev}:${stats.ino}` });
      } else if (entry.isDirectory() && !unwalked.has(entry.name)) await walk(path);
    }
  };
  await walk("");
  return found.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** The sandbox's view of the protected paths: existing ones read-only, missing root folders masked. */
export async function protectionPlan(root: string, before: readonly ProtectedEntry[]): Promise<{ readOnly: string[]; masks: string[]; createdMounts: string[] }> {
  const readOnly = before.map((entry) => join(root, entry.path));
  const masks: string[] = [];
  const createdMounts: string[] = [];
  for (const mask of rootMasks) {
    if (before.some((entry) => entry.path.toLowerCase() === mask.toLowerCase())) continue;
    if (await exists(join(root, mask))) continue;
    masks.push(join(root, mask));
    // bwrap creates the mount point and any missing parent (.github for .github/workflows) on the host.
    for (let path = mask; path !== "."; path = dirname(path)) if (!(await exists(join(root, path)))) createdMounts.push(join(root, path));
  }
  return { readOnly, masks, createdMounts };
}

/** Removes the empty mount points bwrap left, deepest first; one that holds anything is left and reported. */
export async function removeMountPoints(createdMounts: readonly string[]): Promise<string[]> {
  const left: string[] = [];
  for (const path of [...createdMounts].sort((a, b) => b.length - a.length)) {
    await rmdir(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOENT") left.push(path);
    });
  }
  return left;
}

/** Compares the protected entries before and after; when `undo`, moves created or replaced ones into `quarantine`
 *  and moved ones back. */
export async function checkProtected(root: string, before: readonly ProtectedEntry[], quarantine: string, undo: boolean): Promise<Violation[]> {
  const after = await scanProtected(root);
  const violations: Violation[] = [];
  const beforeByPath = new Map(before.map((entry) => [entry.path, entry]));
  const beforeIds = new Set(before.map((entry) => entry.id));
  const afterById = new Map(after.map((entry) => [entry.id, entry]));
  // New entries first (quarantined), so the places they took are free for the moved ones to go back to.
  for (const entry of after.filter((candidate) => !beforeIds.has(candidate.id))) {
    const what = `${beforeByPath.has(entry.path) ? "replaced" : "created"} ${protectedWhat(entry.path) ?? entry.path}`;
    violations.push({ path: entry.path, what, undone: undo && (await moveInside(root, entry.path, join(quarantine, entry.path))) });
  }
  for (const old of before) {
    const now = afterById.get(old.id);
    if (now?.path === old.path) continue;
    const what = now ? `moved ${protectedWhat(old.path)} to ${now.path}` : `removed ${protectedWhat(old.path)}`;
    const undone = undo && now !== undefined && (await moveInside(root, now.path, join(root, old.path)));
    violations.push({ path: old.path, what, undone });
  }
  return violations;
}

/** Renames the entry `from` (workspace-relative; a symlink is moved as the link) to `to` (absolute: inside the
 *  workspace or the quarantine), making `to`'s folder; false when a folder on either way leads out through a
 *  symlink, `to` is taken, or the rename fails. */
async function moveInside(root: string, from: string, to: string): Promise<boolean> {
  const sourceFolder = await folderInside(root, dirname(from));
  const insideTarget = relative(root, to);
  const targetFolder = insideTarget.startsWith("..") ? { ok: true as const, path: dirname(to) } : await folderInside(root, dirname(insideTarget.split(sep).join("/")));
  if (!sourceFolder.ok || !targetFolder.ok) return false;
  const target = join(targetFolder.path, basename(to));
  if (await exists(target)) return false;
  await mkdir(targetFolder.path, { recursive: true });
  return rename(join(sourceFolder.path, basename(from)), target).then(
    () => true,
    () => false,
  );
}

const folderInside = async (root: string, folder: string) => (folder === "." ? { ok: true as const, path: await realpath(root) } : resolveInside(root, folder));
const exists = (path: string) => lstat(path).then(() => true, () => false);
