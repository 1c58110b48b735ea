// The Node side of apply and revert, for the CLI: every path checked against the workspace root (no absolute
// path, no `..` out, no symlink that leads out), the current bytes read from disk, a checkpoint recorded, then
// atomic writes (a temp file in the same folder, renamed over the file, keeping its mode). Knows nothing about how
// a file's new bytes are computed (apply.ts, revert.ts) nor about the editor, whose apply goes through WorkspaceEdit.
import { randomBytes } from "node:crypto";
import { lstat, mkdir, open, readFile, realpath, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative } from "node:path";
import { applyFile, type Conflict } from "./apply";
import { workspacePath, type ChangeSet, type Refusal } from "./change-set";
import type { Checkpoint, CheckpointStore } from "./checkpoint";
import { revertFile } from "./revert";
import { selectFile, type Rejection, type Selection } from "./selection";
import { sameBytes } from "./text-format";

export interface FileReport {
  path: string;
  /** applied: written (or deleted); unchanged: nothing to write; conflict: see conflicts (clean hunks were written). */
  result: "applied" | "unchanged" | "conflict";
  appliedHunks: string[];
  conflicts: Conflict[];
}

/** refused: some path is outside the workspace, and nothing was written. */
export type ApplyOutcome =
  | { kind: "refused"; refused: Refusal[] }
  | { kind: "done"; checkpoint: Checkpoint | null; files: FileReport[]; rejections: Rejection[]; refused: Refusal[] };

/** What to write where: a checkpoint records before -> after, then the file gets `after` if it still holds `before`. */
interface Write {
  path: string;
  target: string;
  before: Uint8Array | null;
  after: Uint8Array | null;
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
  const files: FileReport[] = [];
  for (const [index, diff] of changeSet.files.entries()) {
    const target = targets.paths[index]!;
    const before = await readCurrent(target);
    const result = applyFile(diff, selection[diff.path] ?? "reject", before);
    const after = result.kind === "applied" ? result.bytes : (result.partial ?? before);
    const conflicts = result.kind === "conflict" ? result.conflicts : [];
    writes.push({ path: diff.path, target, before, after });
    files.push(report(diff.path, before, after, result.appliedHunks, conflicts));
  }
  const checkpoint = await writeAll(writes, store, label, files);
  const rejections = changeSet.files.flatMap((diff) => selectFile(diff, selection[diff.path] ?? "reject").rejection ?? []);
  return { kind: "done", checkpoint, files, rejections, refused: changeSet.refused };
}

/** Reverts every file of a checkpoint that can be reverted whole; the others are left as they are and reported.
 *  The revert is itself checkpointed, so it can be reverted too. */
export async function revertCheckpoint(root: string, checkpoint: Checkpoint, store: CheckpointStore): Promise<ApplyOutcome> {
  const targets = await resolveAll(root, checkpoint.files.map((file) => file.path));
  if (!targets.ok) return { kind: "refused", refused: targets.refused };
  const writes: Write[] = [];
  const files: FileReport[] = [];
  for (const [index, snapshot] of checkpoint.files.entries()) {
    const target = targets.paths[index]!;
    const before = await readCurrent(target);
    const result = revertFile(snapshot, before);
    const after = result.kind === "reverted" ? result.bytes : before;
    writes.push({ path: snapshot.path, target, before, after });
    files.push(report(snapshot.path, before, after, [], result.kind === "conflict" ? result.conflicts : []));
  }
  const undo = await writeAll(writes, store, `revert ${checkpoint.id}`, files);
  return { kind: "done", checkpoint: undo, files, rejections: [], refused: [] };
}

function report(path: string, before: Uint8Array | null, after: Uint8Array | null, appliedHunks: string[], conflicts: Conflict[]): FileReport {
  const result = conflicts.length > 0 ? "conflict" : sameBytes(before, after) ? "unchanged" : "applied";
  return { path, result, appliedHunks, conflicts };
}

/** Records the checkpoint, then writes file by file. A file that changed on disk since it was read is skipped and
 *  its report turned into a conflict: the write would overwrite whatever changed it. */
async function writeAll(all: readonly Write[], store: CheckpointStore, label: string, reports: FileReport[]): Promise<Checkpoint | null> {
  const writes = all.filter((write) => !sameBytes(write.before, write.after));
  if (writes.length === 0) return null;
  const checkpoint = await store.record(label, writes.map(({ path, before, after }) => ({ path, before, after })));
  for (const write of writes) {
    if (!sameBytes(await readCurrent(write.target), write.before)) {
      const report = reports.find((candidate) => candidate.path === write.path)!;
      report.result = "conflict";
      report.appliedHunks = [];
      report.conflicts.push({ hunkId: null, line: null, reason: "the file changed on disk while Ghost was writing it; nothing was written" });
    } else if (write.after === null) await rm(write.target);
    else {
      await mkdir(dirname(write.target), { recursive: true });
      await atomicWrite(write.target, write.after);
    }
  }
  return checkpoint;
}

type Resolved = { ok: true; paths: string[] } | { ok: false; refused: Refusal[] };

async function resolveAll(root: string, paths: readonly string[]): Promise<Resolved> {
  const results = [];
  for (const path of paths) results.push(await resolveInside(root, path));
  const refused = results.flatMap((result, index) => (result.ok ? [] : [{ path: paths[index]!, reason: result.reason }]));
  return refused.length > 0 ? { ok: false, refused } : { ok: true, paths: results.map((result) => (result.ok ? result.path : "")) };
}

/** The real path `path` (relative to `root`) writes to, or why it must not be written: it is absolute, climbs out
 *  with `..`, or some symlink on the way (the file itself included) leads outside the root. */
export async function resolveInside(root: string, path: string): Promise<{ ok: true; path: string } | { ok: false; reason: string }> {
  const canonical = workspacePath(path);
  if (canonical === null) return { ok: false, reason: `${JSON.stringify(path)} is not a relative path inside the workspace` };
  const realRoot = await realpath(root);
  // Resolve the deepest part of the path that exists; what does not exist yet can hold no symlink.
  let existing = join(realRoot, canonical);
  const missing: string[] = [];
  let real = await realpathIfExists(existing);
  while (real === null) {
    if (await isDanglingLink(existing)) return { ok: false, reason: `${path}: ${existing} is a symlink to nothing; Ghost will not write through it` };
    missing.unshift(basename(existing));
    existing = dirname(existing);
    real = await realpathIfExists(existing);
  }
  const target = join(real, ...missing);
  const inside = relative(realRoot, target);
  if (inside === "" || inside.startsWith("..") || isAbsolute(inside)) {
    return { ok: false, reason: `${path} leads outside the workspace (to ${target}) through a symlink` };
  }
  return { ok: true, path: target };
}

/** The file's bytes, or null when it does not exist. */
export async function readCurrent(path: string): Promise<Uint8Array | null> {
  try {
    return await readFile(path);
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

/** Writes a temp file next to `path` (same file system, so the rename is atomic), flushes it, gives it the mode the
 *  file had, and renames it over the file: a reader sees the old bytes or the new ones, never half of them. */
export async function atomicWrite(path: string, bytes: Uint8Array): Promise<void> {
  const mode = await stat(path).then((stats) => stats.mode & 0o7777, (error) => (isMissing(error) ? null : Promise.reject(error)));
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.ghost-tmp`);
  try {
    const handle = await open(temp, "wx", mode ?? 0o666);
    try {
      await handle.writeFile(bytes);
      if (mode !== null) await handle.chmod(mode); // open()'s mode is filtered by the umask; the old mode is not
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } finally {
    await rm(temp, { force: true }); // gone already after a successful rename
  }
}

async function realpathIfExists(path: string): Promise<string | null> {
  try {
    return await realpath(path);
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

async function isDanglingLink(path: string): Promise<boolean> {
  return lstat(path).then((stats) => stats.isSymbolicLink(), () => false);
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "ENOENT" || code === "ENOTDIR";
}
