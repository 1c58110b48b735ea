// Reverts an agent task's steps, newest first, each through diffing/'s three-way revert: per file, before = the
// bytes at the checkpoint, after = the bytes right after Ghost's step, current = now; so the user's own edits made
// since, in other regions, stay. Reverting step by step (not one combined before/after per file) keeps edits the
// user made between two of Ghost's steps. Knows nothing about how the checkpoints were made.
import { revertCheckpoint, readCurrent, resolveInside, type FileReport } from "../../diffing/fs-apply";
import type { CheckpointStore, FileSnapshot } from "../../diffing/checkpoint";
import { describeConflicts } from "../../diffing/render";
import { decode, sameBytes } from "../../diffing/text-format";

export interface RevertReport {
  /** One per file and step, newest step first. */
  files: (FileReport & { checkpoint: string })[];
  /** Checkpoints of the reverts themselves (a revert can be reverted too). */
  undo: string[];
}

export async function revertSteps(root: string, store: CheckpointStore, checkpointIds: readonly string[]): Promise<RevertReport> {
  const report: RevertReport = { files: [], undo: [] };
  for (const id of [...checkpointIds].reverse()) {
    const checkpoint = await store.get(id);
    if (!checkpoint) throw new Error(`no checkpoint ${id} in the store`);
    const { revertible, conflicts } = await triage(root, checkpoint.files);
    report.files.push(...conflicts.map((file) => ({ ...file, checkpoint: id })));
    const outcome = await revertCheckpoint(root, { ...checkpoint, files: revertible }, store);
    if (outcome.kind === "refused") throw new Error(`checkpoint ${id}: ${outcome.refused.map((r) => r.reason).join("; ")} (changed while reverting)`);
    report.files.push(...outcome.files.map((file) => ({ ...file, checkpoint: id })));
    if (outcome.checkpoint) report.undo.push(outcome.checkpoint.id);
  }
  return report;
}

/** Sets aside, as conflicts, what diffing's revert must not be given: a path that now leads outside the workspace
 *  (a command may have swapped a folder for a symlink), and a binary file (a command may write one) that changed
 *  since Ghost's step: it can only be restored whole, and only while it holds what Ghost's step left. */
async function triage(root: string, files: readonly FileSnapshot[]): Promise<{ revertible: FileSnapshot[]; conflicts: FileReport[] }> {
  const revertible: FileSnapshot[] = [];
  const conflicts: FileReport[] = [];
  const conflict = (path: string, reason: string): FileReport => ({ path, result: "conflict", appliedHunks: [], conflicts: [{ hunkId: null, line: null, reason }] });
  for (const file of files) {
    const target = await resolveInside(root, file.path);
    if (!target.ok) {
      conflicts.push(conflict(file.path, target.reason));
      continue;
    }
    const binary = [file.before, file.after].some((bytes) => bytes !== null && decode(bytes).kind === "unsupported");
    if (!binary || sameBytes(await readCurrent(target.path), file.after)) revertible.push(file);
    else conflicts.push(conflict(file.path, "a binary file changed since Ghost's step; Ghost will not overwrite it"));
  }
  return { revertible, conflicts };
}

/** "path: reverted" or the conflicts, one line each. */
export function describeRevert(report: RevertReport): string {
  return report.files
    .map((file) => (file.result === "conflict" ? describeConflicts(file.path, file.conflicts) : `${file.path}: ${file.result === "applied" ? "reverted" : "unchanged"}`))
    .join("\n");
}
