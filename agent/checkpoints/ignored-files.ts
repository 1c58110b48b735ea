// The files .gitignore ignores (logs, .env, local databases, build outputs), which shadow git snapshots do not
// hold: scanned before a command (stat of each, and the bytes of as many as fit a byte budget, smallest first, so
// the many small files a user keeps are covered) and after it; the ones it created, changed or deleted become
// checkpoint entries with their exact bytes, links and modes. A change Ghost could not keep the old bytes of (over
// the budget) is returned as unrecorded, so revert says so instead of pretending. Knows nothing about git beyond
// the list ShadowGit.ignored() gives, nor about commands.
import { lstatSync, readlinkSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { FileSnapshot, Unrecorded } from "../../diffing/checkpoint";
import { isMissing } from "../../diffing/fs-write";
import { sameBytes } from "../../diffing/text-format";
import { inChunks } from "./file-modes";

/** Bytes of ignored files kept per command, before and after together (50 MB). */
export const ignoredBudget = 50 * 1024 * 1024;

/** One ignored path as seen: its stat stamp, and its bytes (a file within the budget) or target (a link). */
interface Seen {
  stamp: string;
  kind: "file" | "link" | "other";
  mode: number;
  size: number;
  bytes?: Uint8Array;
  target?: string;
}

export type IgnoredScan = Map<string, Seen>;

/** Stats every listed path; with `budget` > 0, reads files smallest first until the budget is spent. */
export async function scanIgnored(root: string, paths: readonly string[], budget: number): Promise<IgnoredScan> {
  const scan: IgnoredScan = new Map();
  await inChunks(paths, (path) => {
    const seen = see(join(root, path));
    if (seen !== null) scan.set(path, seen);
  });
  let left = budget;
  const files = [...scan.entries()].filter(([, seen]) => seen.kind === "file").sort((a, b) => a[1].size - b[1].size);
  for (const [path, seen] of files) {
    if (seen.size > left) break;
    const bytes = await readFile(join(root, path)).catch((error) => (isMissing(error) ? null : Promise.reject(error)));
    if (bytes === null || bytes.length !== seen.size) continue; // changed under the read: left unread, so reported if it changes again
    seen.bytes = new Uint8Array(bytes);
    left -= seen.size;
  }
  return scan;
}

/** The checkpoint entries for what changed between two scans (the second one without bytes: they are read here,
 *  within what is left of the budget). */
export async function ignoredChanges(root: string, before: IgnoredScan, after: IgnoredScan): Promise<{ files: FileSnapshot[]; unrecorded: Unrecorded[] }> {
  const files: FileSnapshot[] = [];
  const unrecorded: Unrecorded[] = [];
  let left = ignoredBudget;
  for (const path of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const [old, now] = [before.get(path), after.get(path)];
    if (old?.stamp === now?.stamp) continue;
    if (old?.kind === "other" || now?.kind === "other") {
      unrecorded.push({ path, reason: "an ignored path that is not a file or a symlink changed; Ghost does not checkpoint it" });
      continue;
    }
    if (old?.kind === "file" && old.bytes === undefined) {
      unrecorded.push({ path, reason: `an ignored file changed whose old bytes were over the ${ignoredBudget / 1024 / 1024} MB checkpoint budget` });
      continue;
    }
    const nowBytes = now?.kind === "file" ? await readWithin(join(root, path), now.size, left) : null;
    if (now?.kind === "file" && nowBytes === null) {
      unrecorded.push({ path, reason: `an ignored file changed whose new bytes are over the ${ignoredBudget / 1024 / 1024} MB checkpoint budget` });
      continue;
    }
    if (old?.kind === "file" && now?.kind === "file" && old.mode === now.mode && sameBytes(old.bytes!, nowBytes)) continue; // rewritten as it was
    left -= (old?.bytes?.length ?? 0) + (nowBytes?.length ?? 0);
    files.push(entry(path, old, now, nowBytes));
  }
  return { files, unrecorded };
}

function entry(path: string, old: Seen | undefined, now: Seen | undefined, nowBytes: Uint8Array | null): FileSnapshot {
  const snapshot: FileSnapshot = { path, before: old?.bytes ?? null, after: nowBytes };
  if (old?.kind === "link" || now?.kind === "link") snapshot.links = { before: old?.target, after: now?.target };
  if (old?.kind === "file" || now?.kind === "file") snapshot.modes = { before: old?.kind === "file" ? old.mode : undefined, after: now?.kind === "file" ? now.mode : undefined };
  return snapshot;
}

async function readWithin(path: string, size: number, left: number): Promise<Uint8Array | null> {
  if (size > left) return null;
  const bytes = await readFile(path).catch((error) => (isMissing(error) ? null : Promise.reject(error)));
  return bytes === null ? null : new Uint8Array(bytes);
}

function see(path: string): Seen | null {
  const stats = lstatSync(path, { bigint: true, throwIfNoEntry: false });
  if (stats === undefined) return null;
  const kind = stats.isSymbolicLink() ? "link" : stats.isFile() ? "file" : "other";
  const stamp = `${kind} ${stats.dev}:${stats.ino} ${stats.size} ${stats.mtimeNs} ${stats.ctimeNs} ${stats.mode}`;
  const seen: Seen = { stamp, kind, mode: Number(stats.mode & 0o7777n), size: Number(stats.size) };
  if (kind === "link") seen.target = readlinkSync(path);
  return seen;
}
