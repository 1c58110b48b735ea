// Reverts an agent task's steps, newest first, each through diffing/'s revert: per file, before = the bytes at the
// checkpoint, after = the bytes right after Ghost's step, current = now; so the user's own edits made since, in
// other regions, stay. Reverting step by step (not one combined before/after per file) keeps edits the user made
// between two of Ghost's steps. Before asking, a front end can list what a revert would overwrite that changed
// since the step (changedSince). Knows nothing about how the checkpoints were made.
import { lstat, readlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { CheckpointStore, FileSnapshot } from "../../diffing/checkpoint";
import { readCurrent, resolveInside, type FileReport } from "../../diffing/fs-apply";
import { revertCheckpoint } from "../../diffing/fs-revert";
import { describeConflicts } from "../../diffing/render";
import { sameBytes } from "../../diffing/text-format";

export interface RevertReport {
  /** One per file and step, newest step first; a conflict is a file left as it is, with why. */
  files: (FileReport & { checkpoint: string })[];
  /** Checkpoints of the reverts themselves (a revert can be reverted too). */
  undo: string[];
}

export async function revertSteps(root: string, store: CheckpointStore, checkpointIds: readonly string[]): Promise<RevertReport> {
  const report: RevertReport = { files: [], undo: [] };
  for (const id of [...checkpointIds].reverse()) {
    const checkpoint = await store.get(id);
    if (!checkpoint) throw new Error(`no checkpoint ${id} in the store`);
    const outcome = await revertCheckpoint(root, checkpoint, store);
    report.files.push(...outcome.files.map((file) => ({ ...file, checkpoint: id })));
    report.undo.push(...outcome.undo.map((undo) => undo.id));
  }
  return report;
}

/** A path a revert of these steps would touch that no longer holds what the newest of them left there: someone
 *  changed it since. The revert still keeps those changes where a three-way merge can (or reports a conflict),
 *  but a front end should show the list and ask first. */
export interface ChangedSince {
  path: string;
  checkpoint: string;
}

export async function changedSince(root: string, store: CheckpointStore, checkpointIds: readonly string[]): Promise<ChangedSince[]> {
  const newest = new Map<string, { snapshot: FileSnapshot; checkpoint: string }>();
  for (const id of checkpointIds) {
    const checkpoint = await store.get(id);
    if (!checkpoint) throw new Error(`no checkpoint ${id} in the store`);
    for (const snapshot of checkpoint.files) newest.set(snapshot.path, { snapshot, checkpoint: id });
  }
  const changed: ChangedSince[] = [];
  for (const [path, { snapshot, checkpoint }] of newest) {
    if (!(await holdsAfter(root, snapshot))) changed.push({ path, checkpoint });
  }
  return changed;
}

/** Whether the path holds exactly the step's `after` side (a link's target, a file's bytes, or nothing). */
async function holdsAfter(root: string, snapshot: FileSnapshot): Promise<boolean> {
  const folder = dirname(snapshot.path) === "." ? { ok: true as const, path: root } : await resolveInside(root, dirname(snapshot.path));
  if (!folder.ok) return false;
  const entry = join(folder.path, basename(snapshot.path));
  const stats = await lstat(entry).catch(() => null);
  const link = snapshot.links?.after;
  if (link !== undefined) return stats?.isSymbolicLink() === true && (await readlink(entry)) === link;
  if (stats !== null && !stats.isFile() && !stats.isSymbolicLink()) return false;
  return sameBytes(stats === null ? null : await readCurrent(entry), snapshot.after);
}

/** "path: reverted" or the conflicts, one line each. */
export function describeRevert(report: RevertReport): string {
  return report.files
    .map((file) => (file.result === "conflict" ? describeConflicts(file.path, file.conflicts) : `${file.path}: ${file.result === "applied" ? "reverted" : "unchanged"}`))
    .join("\n");
}
