// The exact permission bits (and owner) of the files git tracks, scanned before and after a command: git keeps
// only the exec bit (644 or 755), so without this a deleted 0600 file would come back as 0644, and a `chmod 600`
// on a tracked file (no change to git) would not be reverted at all. Knows nothing about git or checkpoints' storage.
import { lstatSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { FileSnapshot } from "../../diffing/checkpoint";

/** path -> mode & 0o7777 and "uid:gid", for the paths that are regular files. */
export type Modes = Map<string, { mode: number; owner: string }>;

export async function scanModes(root: string, paths: readonly string[]): Promise<Modes> {
  const modes: Modes = new Map();
  await inChunks(paths, (path) => {
    const stat = lstatSync(join(root, path), { throwIfNoEntry: false });
    if (stat?.isFile()) modes.set(path, { mode: stat.mode & 0o7777, owner: `${stat.uid}:${stat.gid}` });
  });
  return modes;
}

/** Runs `each` over `items` synchronously, yielding to the event loop between chunks: a synchronous lstat costs
 *  ~4 µs here against ~30 µs for a promise one, and a chunk blocks the extension host for a few ms only (2,000
 *  lstats, or 200 small reads). */
export async function inChunks<T>(items: readonly T[], each: (item: T) => void, chunk = 2000): Promise<void> {
  for (let at = 0; at < items.length; at += chunk) {
    if (at > 0) await new Promise((resolve) => setImmediate(resolve));
    for (const item of items.slice(at, at + chunk)) each(item);
  }
}

/** The snapshot with each file side's real mode, where a scan saw it. */
export function withRealModes(snapshot: FileSnapshot, before: Modes, after: Modes): FileSnapshot {
  if (snapshot.before === null && snapshot.after === null) return snapshot;
  const modes = {
    before: snapshot.before === null ? undefined : (before.get(snapshot.path)?.mode ?? snapshot.modes?.before),
    after: snapshot.after === null ? undefined : (after.get(snapshot.path)?.mode ?? snapshot.modes?.after),
  };
  const owner = snapshot.before === null ? undefined : before.get(snapshot.path)?.owner;
  return { ...snapshot, modes, ...(owner && { owner }) };
}

/** Entries for files whose bytes did not change but whose mode did (a chmod), for paths not in `changed`. */
export async function modeOnlyChanges(root: string, before: Modes, after: Modes, changed: ReadonlySet<string>): Promise<FileSnapshot[]> {
  const entries: FileSnapshot[] = [];
  for (const [path, { mode }] of before) {
    const now = after.get(path)?.mode;
    if (now === undefined || now === mode || changed.has(path)) continue;
    const bytes = new Uint8Array(await readFile(join(root, path)));
    entries.push({ path, before: bytes, after: bytes, modes: { before: mode, after: now } });
  }
  return entries;
}
