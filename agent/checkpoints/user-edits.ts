// What the user changed while a command ran, as the editor reports it: the first edit of a document (the bytes on
// disk then are where the user's change starts) and each save (the bytes on disk right after it). A command's
// checkpoint then holds only what the command did: the user's change is taken back out of what the after-snapshot
// saw (revert.ts's three-way revert of the user's change, applied to the after bytes), so reverting the command
// later keeps it, as it keeps any edit made since. Where the user's lines and the command's touch, whose line is
// whose can not be known: the entry is held, and revert reports it instead of guessing. Knows nothing about the
// editor (extension/agent/user-edit-feed.ts feeds it) nor about snapshots.
import type { FileSnapshot } from "../../diffing/checkpoint";
import { readCurrent, resolveInside } from "../../diffing/fs-apply";
import { revertFile } from "../../diffing/revert";
import { decode, sameBytes } from "../../diffing/text-format";

/** base: the bytes the user's change started from (undefined: the file as the command found it); saved: the bytes
 *  of the user's last save (undefined: not saved while the command ran, so nothing of the user's is on disk). */
export interface UserMark {
  base?: Uint8Array | null;
  saved?: Uint8Array | null;
}

export class UserEdits {
  private marks: Map<string, UserMark & { seq: number }> | null = null;
  private reads: Promise<void>[] = [];
  private seq = 0;
  private root = "";

  /** A command starts in `root`: edits and saves reported from now on are the user's, not the command's. */
  begin(root: string): void {
    this.root = root;
    this.marks = new Map();
    this.reads = [];
  }

  /** The user changed the document of `path` (workspace-relative, POSIX). Only the first change counts. Resolves
   *  once the bytes it starts from are read (an editor's event handler need not wait). */
  edited(path: string): Promise<void> {
    if (this.marks === null || this.marks.has(path)) return Promise.resolve();
    const mark: UserMark & { seq: number } = { seq: 0 };
    this.marks.set(path, mark);
    return this.track(this.read(path).then((bytes) => void (bytes !== undefined && (mark.base = bytes))));
  }

  /** The user saved `path`; call once the save is on disk. */
  saved(path: string): Promise<void> {
    if (this.marks === null) return Promise.resolve();
    const mark: UserMark & { seq: number } = this.marks.get(path) ?? { seq: 0 };
    this.marks.set(path, mark);
    const seq = ++this.seq;
    // Reads may finish out of order: the last save's read wins.
    return this.track(this.read(path).then((bytes) => void (bytes !== undefined && seq > mark.seq && Object.assign(mark, { saved: bytes, seq }))));
  }

  /** The command ended: the marks, once every read is done; reports stop counting. */
  async end(): Promise<Map<string, UserMark>> {
    const marks = this.marks ?? new Map();
    await Promise.all(this.reads);
    this.marks = null;
    return marks;
  }

  private track(read: Promise<void>): Promise<void> {
    this.reads.push(read);
    return read;
  }

  /** The bytes on disk (null: no file); undefined for what is not a file of the workspace (a folder the user
   *  renamed, a path through a link out), which marks nothing. */
  private async read(path: string): Promise<Uint8Array | null | undefined> {
    const resolved = await resolveInside(this.root, path);
    if (!resolved.ok) return undefined;
    return readCurrent(resolved.path).catch((error: NodeJS.ErrnoException) => (error.code === "EISDIR" ? undefined : Promise.reject(error)));
  }
}

/** The command's own part of a snapshot entry: `after` without the user's change; null when the user's change is
 *  all there is; held when the two can not be told apart. */
export function withoutUser(snapshot: FileSnapshot, mark: UserMark): FileSnapshot | null {
  if (mark.saved === undefined || snapshot.links !== undefined) return snapshot;
  const base = mark.base === undefined ? snapshot.before : mark.base;
  if (sameBytes(base, mark.saved)) return snapshot;
  // revertFile merges text; bytes of any kind come back whole when the file is still as the user saved it.
  const text = sameBytes(snapshot.after, mark.saved) || [base, mark.saved, snapshot.after].every((bytes) => bytes === null || decode(bytes).kind === "text");
  const result = text ? revertFile({ path: snapshot.path, before: base, after: mark.saved }, snapshot.after) : null;
  if (result?.kind !== "reverted") return { ...snapshot, hold: held };
  if (sameBytes(result.bytes, snapshot.before)) return null;
  return { ...snapshot, after: result.bytes };
}

const held = "you changed this file while the command ran, on or next to lines the command changed (or it is not text); Ghost can not tell your lines from the command's, so it left the file as it is";
