// The Node side of apply, for the CLI and the agent: every path checked against the workspace root (no absolute
// path, no `..` out, no symlink that leads out), the current bytes read from disk, a checkpoint recorded, then
// compare-and-swap writes (fs-write.ts): a file the user saved since Ghost read it is reported as a conflict and
// left as the user saved it, never replaced. Deleting a symlink deletes the link, not the file it points to.
// Knows nothing about how a file's new bytes are computed (apply.ts, revert.ts) nor about the editor.
import { lstat, mkdir, readlink, realpath } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative } from "node:path";
import { applyFile, type Conflict } from "./apply";
import { workspacePath, type ChangeSet, type Refusal } from "./change-set";
import type { Checkpoint, CheckpointStore, FileSnapshot } from "./checkpoint";
import { isMissing, observe, swapFile, type NewFile, type Observed } from "./fs-write";
import { selectFile, type Rejection, type Selection } from "./selection";
import { sameBytes } from "./text-format";

export { atomicWrite, readCurrent } from "./fs-write";

export interface FileReport {
  path: string;
  /** applied: written (or deleted); unchanged: nothing to write; conflict: see conflicts (clean hunks were written,
   *  unless a conflict says nothing was). */
  result: "applied" | "unchanged" | "conflict";
  appliedHunks: string[];
  conflicts: Conflict[];
}

/** refused: some path is outside the workspace, and nothing was written. */
export type ApplyOutcome =
  | { kind: "refused"; refused: Refusal[] }
  | { kind: "done"; checkpoint: Checkpoint | null; files: FileReport[]; rejections: Rejection[]; refused: Refusal[] };

/** One file to write: the checkpoint records `snapshot`, then `target` gets `after` if it still holds what
 *  `observed` saw. `unlink`: the path is a symlink to delete (the link itself, not what it points to). */
export interface Write {
  snapshot: FileSnapshot;
  target: string;
  observed: Observed;
  after: Uint8Array | null;
  unlink?: string;
  /** What a file created by this write gets (a deleted file's mode and owner, restored). */
  created?: NewFile;
  report: FileReport;
  /** The same write computed again from the file as it is now (or why it can not be made), for when the file
   *  moved before the swap. Absent: a move is a conflict. */
  recompute?: () => Promise<Write | FileReport>;
}

export async function applyChangeSet(
  root: string,
  changeSet: ChangeSet,
  selection: Selection,
  store: CheckpointStore,
  label = "apply",
): Promise<ApplyOutcome> {
  const targets = await resolveAll(root, changeSet.files.map((file) => file.path));
  if (!targets.ok) return { kind: "refused", refused: targets.refused };
  const writes: Write[] = [];
  for (const [index, diff] of changeSet.files.entries()) {
    const { path: target, entry } = targets.resolved[index]!;
    const observed = await observe(target);
    const result = applyFile(diff, selection[diff.path] ?? "reject", observed.bytes);
    const after = result.kind === "applied" ? result.bytes : (result.partial ?? observed.bytes);
    const conflicts = result.kind === "conflict" ? result.conflicts : [];
    const report = fileReport(diff.path, observed.bytes, after, result.appliedHunks, conflicts);
    const link = after === null && observed.bytes !== null ? await linkTarget(entry) : null;
    const stat = observed.stat;
    const snapshot: FileSnapshot =
      link !== null ? { path: diff.path, before: null, after: null, links: { before: link } }
      : stat === null ? { path: diff.path, before: null, after }
      : { path: diff.path, before: observed.bytes, after, modes: { before: Number(stat.mode & 0o7777n) }, owner: `${stat.uid}:${stat.gid}` };
    writes.push({ snapshot, target, observed, after, report, ...(link !== null && { unlink: entry }) });
  }
  const checkpoint = await writeAll(writes, store, label);
  const rejections = changeSet.files.flatMap((diff) => selectFile(diff, selection[diff.path] ?? "reject").rejection ?? []);
  return { kind: "done", checkpoint, files: writes.map((write) => write.report), rejections, refused: changeSet.refused };
}

export function fileReport(path: string, before: Uint8Array | null, after: Uint8Array | null, appliedHunks: string[], conflicts: Conflict[]): FileReport {
  const result = conflicts.length > 0 ? "conflict" : sameBytes(before, after) ? "unchanged" : "applied";
  return { path, result, appliedHunks, conflicts };
}

/** Records the checkpoint, then swaps file by file. A file that changed on disk since it was read is merged again
 *  where the write can be recomputed (a revert: another name of a hard-linked file it just wrote, or a save), else
 *  not written: its report becomes a conflict. The checkpoint is then amended to hold the writes really made, so a
 *  revert never "undoes" a write that was not made. */
export async function writeAll(all: readonly Write[], store: CheckpointStore, label: string): Promise<Checkpoint | null> {
  const writes = all.filter(isChange);
  if (writes.length === 0) return null;
  const checkpoint = await store.record(label, writes.map((write) => write.snapshot));
  const written: FileSnapshot[] = [];
  let amend = false;
  for (const planned of writes) {
    let write: Write | FileReport = planned;
    let outcome = await swap(write);
    for (let tries = 0; outcome === "moved" && planned.recompute && tries < 3; tries++) {
      amend = true;
      write = await planned.recompute();
      if (!("snapshot" in write) || !isChange(write)) break;
      outcome = await swap(write);
    }
    const report = "snapshot" in write ? write.report : write;
    Object.assign(planned.report, report);
    if ("snapshot" in write && isChange(write) && outcome === "written") written.push(write.snapshot);
    else if ("snapshot" in write && isChange(write)) {
      planned.report.result = "conflict";
      planned.report.appliedHunks = [];
      planned.report.conflicts = [...report.conflicts, { hunkId: null, line: null, reason: "the file changed on disk while Ghost was writing it (a save?); nothing was written, the file is as it was saved" }];
    }
  }
  if (!amend && written.length === writes.length) return checkpoint;
  const amended = await store.amend(checkpoint.id, written);
  return written.length === 0 ? null : amended;
}

function isChange(write: Write): boolean {
  return write.unlink !== undefined || !sameBytes(write.observed.bytes, write.after);
}

async function swap(write: Write): Promise<"written" | "moved"> {
  if (write.after !== null) await mkdir(dirname(write.target), { recursive: true });
  return swapFile(write.unlink ?? write.target, write.after, write.observed, write.created);
}

type Resolved = { ok: true; resolved: { path: string; entry: string }[] } | { ok: false; refused: Refusal[] };

async function resolveAll(root: string, paths: readonly string[]): Promise<Resolved> {
  const results = [];
  for (const path of paths) results.push(await resolveInside(root, path));
  const refused = results.flatMap((result, index) => (result.ok ? [] : [{ path: paths[index]!, reason: result.reason }]));
  return refused.length > 0 ? { ok: false, refused } : { ok: true, resolved: results.map((result) => (result.ok ? result : { path: "", entry: "" })) };
}

/** The real path `path` (relative to `root`) writes to, or why it must not be written: it is absolute, climbs out
 *  with `..`, or some symlink on the way (the file itself included) leads outside the root. `entry` is the path
 *  with its folders resolved but not its last part: the symlink itself when it is one. */
export async function resolveInside(root: string, path: string): Promise<{ ok: true; path: string; entry: string } | { ok: false; reason: string }> {
  const canonical = workspacePath(path);
  if (canonical === null) return { ok: false, reason: `${JSON.stringify(path)} is not a relative path inside the workspace` };
  const realRoot = await realpath(root);
  // Resolve the deepest part of the path that exists; what does not exist yet can hold no symlink.
  let existing = join(realRoot, canonical);
  const missing: string[] = [];
  let real = await realpathIfExists(existing);
  while (real === null) {
    if (await isLink(existing)) return { ok: false, reason: `${path}: ${existing} is a symlink to nothing; Ghost will not write through it` };
    missing.unshift(basename(existing));
    existing = dirname(existing);
    real = await realpathIfExists(existing);
  }
  const target = join(real, ...missing);
  const inside = relative(realRoot, target);
  if (inside === "" || inside.startsWith("..") || isAbsolute(inside)) {
    return { ok: false, reason: `${path} leads outside the workspace (to ${target}) through a symlink` };
  }
  const folder = missing.length > 0 ? dirname(target) : ((await realpathIfExists(dirname(join(realRoot, canonical)))) ?? dirname(target));
  return { ok: true, path: target, entry: join(folder, basename(canonical)) };
}

/** A symlink's target, or null when `path` is not a symlink. */
export async function linkTarget(path: string): Promise<string | null> {
  return (await isLink(path)) ? readlink(path) : null;
}

async function realpathIfExists(path: string): Promise<string | null> {
  try {
    return await realpath(path);
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

async function isLink(path: string): Promise<boolean> {
  return lstat(path).then((stats) => stats.isSymbolicLink(), () => false);
}
