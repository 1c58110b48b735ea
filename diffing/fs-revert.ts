// Reverts a checkpoint on disk. A text file goes through revert.ts's three-way merge (before the step, after it,
// now), so the user's own edits since stay; a binary file, a symlink, or a path that was one or the other is
// restored whole, and only while it holds exactly what the step left. Symlinks are removed and created as links,
// never followed; a path whose folders now lead out of the workspace is reported, never written through. Modes
// come back with the bytes, and owners when Ghost runs as root. Whatever can not be restored is a conflict in the report, with why: nothing is
// silently left out. The revert is itself checkpointed, so it can be reverted too.
// Knows nothing about how checkpoints were made (apply, a command's snapshots).
import { chmod, chown, lstat, mkdir, readdir, readlink, realpath, rm, stat, symlink, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { Conflict } from "./apply";
import type { Checkpoint, CheckpointStore, FileSnapshot } from "./checkpoint";
import { fileReport, resolveInside, writeAll, type FileReport, type Write } from "./fs-apply";
import { isMissing, observe, readCurrent, swapFile } from "./fs-write";
import { revertFile } from "./revert";
import { decode, sameBytes } from "./text-format";

/** What a path holds, without following a symlink at its end. */
type Entry = { kind: "absent" } | { kind: "link"; target: string } | { kind: "file"; bytes: Uint8Array } | { kind: "other" };

/** files: one report per path of the checkpoint (in its order), and one per change it could not record; undo: the
 *  checkpoints of the revert itself. */
export interface RevertOutcome {
  files: FileReport[];
  undo: Checkpoint[];
}

/** In phases, so each path finds what it needs: symlinks the step made are removed first (a folder swapped for a
 *  link out of the workspace becomes reachable again), then the files the step created, then the others (an empty
 *  folder where the step deleted a file gives way), then the symlinks the step removed come back. */
export async function revertCheckpoint(root: string, checkpoint: Checkpoint, store: CheckpointStore): Promise<RevertOutcome> {
  const reports: FileReport[] = checkpoint.unrecorded.map((missed) => conflict(missed.path, `not restored: ${missed.reason}`));
  const label = `revert ${checkpoint.id}`;
  const removed = await removeLinks(root, checkpoint.files.filter((file) => file.links !== undefined), store, `${label}: links`, reports);
  const files = checkpoint.files.filter((file) => file.links === undefined);
  const created = await revertFiles(root, files.filter((file) => file.before === null), store, label, reports);
  const others = await revertFiles(root, files.filter((file) => file.before !== null), store, label, reports);
  for (const snapshot of checkpoint.files) await restoreMetadata(root, snapshot, reports);
  for (const { snapshot, entry } of removed.done) reports.push(await createSide(snapshot, entry));
  const order = (report: FileReport) => checkpoint.files.findIndex((file) => file.path === report.path);
  reports.sort((a, b) => order(a) - order(b));
  return { files: reports, undo: [removed.checkpoint, created, others].filter((undo) => undo !== null) };
}

async function revertFiles(root: string, snapshots: readonly FileSnapshot[], store: CheckpointStore, label: string, reports: FileReport[]): Promise<Checkpoint | null> {
  const writes: Write[] = [];
  for (const snapshot of snapshots) {
    const write = await fileWrite(root, snapshot);
    if ("path" in write) reports.push(write);
    else writes.push(write);
  }
  const undo = await writeAll(writes, store, label);
  reports.push(...writes.map((write) => write.report));
  return undo;
}

/** The write that reverts one file, or the report of why it can not be reverted. */
async function fileWrite(root: string, snapshot: FileSnapshot): Promise<Write | FileReport> {
  if (snapshot.hold !== undefined) return conflict(snapshot.path, snapshot.hold);
  const target = await resolveInside(root, snapshot.path);
  if (!target.ok) return conflict(snapshot.path, target.reason);
  const folder = await onlyFolders(target.path);
  if (folder === "files" || (folder === "folders" && snapshot.after !== null)) return conflict(snapshot.path, "a folder is there now; Ghost will not replace it");
  // Folders with no file in them where the step deleted the file: made after it, so they hold nothing to lose.
  if (folder === "folders") await rm(target.path, { recursive: true });
  const observed = await observe(target.path);
  const binary = [snapshot.before, snapshot.after].some((bytes) => bytes !== null && decode(bytes).kind === "unsupported");
  if (binary && !sameBytes(observed.bytes, snapshot.after)) return conflict(snapshot.path, "a binary file changed since Ghost's step; Ghost will not overwrite it");
  const result = revertFile(snapshot, observed.bytes);
  const after = result.kind === "reverted" ? result.bytes : observed.bytes;
  const conflicts = result.kind === "conflict" ? result.conflicts : [];
  const inverse: FileSnapshot = { path: snapshot.path, before: observed.bytes, after, ...(snapshot.modes && { modes: swap(snapshot.modes) }) };
  const report = fileReport(snapshot.path, observed.bytes, after, [], conflicts);
  const created = { mode: snapshot.modes?.before, owner: snapshot.owner };
  return { snapshot: inverse, target: target.path, observed, after, created, report, recompute: () => fileWrite(root, snapshot) };
}

/** Phase one for paths that involve a symlink: where the path holds exactly what the step left, that is removed
 *  (a link as a link), after the inverse was checkpointed; the rest are conflicts. */
async function removeLinks(root: string, snapshots: readonly FileSnapshot[], store: CheckpointStore, label: string, reports: FileReport[]) {
  const ready: { snapshot: FileSnapshot; entry: string; now: Entry }[] = [];
  for (const snapshot of snapshots) {
    const entry = await entryPath(root, snapshot.path);
    if (!entry.ok) reports.push(conflict(snapshot.path, entry.reason));
    else if (snapshot.hold !== undefined) reports.push(conflict(snapshot.path, snapshot.hold));
    else {
      const now = await readEntry(entry.path);
      if (matches(now, snapshot, "after")) ready.push({ snapshot, entry: entry.path, now });
      else reports.push(conflict(snapshot.path, "it changed since Ghost's step (a symlink, or replaced by one); Ghost will not overwrite it"));
    }
  }
  const inverse = ready.map(({ snapshot }) => ({ ...snapshot, before: snapshot.after, after: snapshot.before, links: swap(snapshot.links!), ...(snapshot.modes && { modes: swap(snapshot.modes) }) }));
  const checkpoint = inverse.length === 0 ? null : await store.record(label, inverse);
  const done: { snapshot: FileSnapshot; entry: string }[] = [];
  for (const { snapshot, entry, now } of ready) {
    if (now.kind === "link") await unlink(entry);
    else if (now.kind === "file" && (await swapFile(entry, null, await observe(entry))) !== "written") {
      reports.push(conflict(snapshot.path, "the file changed on disk while Ghost was reverting it; nothing was written"));
      continue;
    }
    done.push({ snapshot, entry });
  }
  return { checkpoint, done };
}

/** Phase three: the path gets what it held before the step (a link, a file with its mode, or nothing). */
async function createSide(snapshot: FileSnapshot, entry: string): Promise<FileReport> {
  const link = snapshot.links!.before;
  if (link === undefined && snapshot.before === null) return restored(snapshot.path);
  await mkdir(dirname(entry), { recursive: true });
  // Folders with no file left where the link was (their files were reverted away) give way; others stay (EEXIST).
  if ((await onlyFolders(entry)) === "folders") await rm(entry, { recursive: true });
  if (link !== undefined) {
    const made = await symlink(link, entry).then(() => true, (error: NodeJS.ErrnoException) => (error.code === "EEXIST" ? false : Promise.reject(error)));
    if (!made) return conflict(snapshot.path, "something appeared there while Ghost was reverting; Ghost did not overwrite it");
  } else if ((await swapFile(entry, snapshot.before, { bytes: null, stat: null }, { mode: snapshot.modes?.before, owner: snapshot.owner })) === "moved") {
    return conflict(snapshot.path, "a file appeared there while Ghost was reverting; Ghost did not overwrite it");
  }
  return restored(snapshot.path);
}

/** "none": not a folder; "folders": a folder with nothing but (empty) folders in it; "files": anything else. */
async function onlyFolders(path: string): Promise<"none" | "folders" | "files"> {
  const stats = await lstat(path).catch((error) => (isMissing(error) ? null : Promise.reject(error)));
  if (!stats?.isDirectory()) return "none";
  for (const entry of await readdir(path, { withFileTypes: true })) {
    if (!entry.isDirectory() || (await onlyFolders(join(path, entry.name))) !== "folders") return "files";
  }
  return "folders";
}

/** A mode-only change (chmod) is undone while the file still has the mode the step gave it; as root, a file the
 *  revert wrote gets back the owner it had (the command may have re-created it as root). */
async function restoreMetadata(root: string, snapshot: FileSnapshot, reports: FileReport[]): Promise<void> {
  const report = reports.find((candidate) => candidate.path === snapshot.path);
  const target = await resolveInside(root, snapshot.path);
  if (snapshot.links || report?.result === "conflict" || !target.ok) return;
  const now = await stat(target.path).catch((error) => (isMissing(error) ? null : Promise.reject(error)));
  if (now === null) return;
  const { before, after } = snapshot.modes ?? {};
  const mode = before !== undefined && before !== after && (now.mode & 0o7777) === after ? before : now.mode & 0o7777;
  const [uid, gid] = snapshot.owner?.split(":").map(Number) ?? [];
  const owned = report?.result === "applied" && uid !== undefined && process.getuid?.() === 0 && `${now.uid}:${now.gid}` !== snapshot.owner;
  if (owned) await chown(target.path, uid, gid!);
  if (owned || mode !== (now.mode & 0o7777)) await chmod(target.path, mode); // after chown, which clears setuid and setgid
  if (report && mode !== (now.mode & 0o7777)) report.result = "applied";
}

/** The path with its folders resolved (inside the workspace) and its last part not followed. */
async function entryPath(root: string, path: string): Promise<{ ok: true; path: string } | { ok: false; reason: string }> {
  const folder = dirname(path);
  if (folder === ".") return { ok: true, path: join(await realpath(root), path) };
  const resolved = await resolveInside(root, folder);
  return resolved.ok ? { ok: true, path: join(resolved.path, basename(path)) } : resolved;
}

async function readEntry(path: string): Promise<Entry> {
  const stats = await lstat(path).catch((error) => (isMissing(error) ? null : Promise.reject(error)));
  if (stats === null) return { kind: "absent" };
  if (stats.isSymbolicLink()) return { kind: "link", target: await readlink(path) };
  if (!stats.isFile()) return { kind: "other" };
  return { kind: "file", bytes: (await readCurrent(path))! };
}

function matches(now: Entry, snapshot: FileSnapshot, side: "before" | "after"): boolean {
  const link = snapshot.links?.[side];
  if (link !== undefined) return now.kind === "link" && now.target === link;
  const bytes = snapshot[side];
  if (bytes === null) return now.kind === "absent";
  return now.kind === "file" && sameBytes(now.bytes, bytes);
}

function swap<T>(sides: { before?: T; after?: T }): { before?: T; after?: T } {
  return { ...(sides.after !== undefined && { before: sides.after }), ...(sides.before !== undefined && { after: sides.before }) };
}

function restored(path: string): FileReport {
  return { path, result: "applied", appliedHunks: [], conflicts: [] };
}

function conflict(path: string, reason: string): FileReport {
  const conflicts: Conflict[] = [{ hunkId: null, line: null, reason }];
  return { path, result: "conflict", appliedHunks: [], conflicts };
}
