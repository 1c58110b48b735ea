// The files .gitignore ignores (logs, .env, local databases, build outputs), which shadow git snapshots do not
// hold: scanned before a command (stat of each, and the bytes of as many as fit a budget) and after it; the ones
// it created, changed or deleted become checkpoint entries with their exact bytes, links and modes. The budget goes
// first to the files a user keeps by hand: folders with few ignored files before big trees (node_modules, .venv),
// smaller files before bigger ones; bytes read for the last command are reused while a file's stat is unchanged. A
// change Ghost could not keep the old bytes of is returned as unrecorded, so revert says so instead of pretending.
// Knows nothing about git beyond the list ShadowGit.ignored() gives, nor about commands.
import { lstatSync, readFileSync, readlinkSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { FileSnapshot, Unrecorded } from "../../diffing/checkpoint";
import { isMissing } from "../../diffing/fs-write";
import { sameBytes } from "../../diffing/text-format";
import { inChunks } from "./file-modes";

/** Bytes of ignored files kept per command, before and after together (50 MB). */
export const ignoredBudget = 50 * 1024 * 1024;
/** Ignored files read before a command, at most: reading costs per file, and 20,000 small ones take seconds. */
export const ignoredFileLimit = 5000;
const overBudget = `over the checkpoint budget for ignored files (${ignoredBudget / 1024 / 1024} MB, ${ignoredFileLimit} files)`;

/** One ignored path as seen: its stat stamp, and its bytes (a file within the budget) or target (a link). */
interface Seen {
  stamp: string;
  kind: "file" | "link" | "other";
  mode: number;
  /** "uid:gid" */
  owner: string;
  size: number;
  bytes?: Uint8Array;
  target?: string;
}

export type IgnoredScan = Map<string, Seen>;

/** Stats every listed path; with `budget` > 0, reads files in budget order (reusing `previous` where a file's
 *  stat is the same) until the budget is spent. */
export async function scanIgnored(root: string, paths: readonly string[], budget: number, previous?: IgnoredScan): Promise<IgnoredScan> {
  const scan: IgnoredScan = new Map();
  await inChunks(paths, (path) => {
    const seen = see(join(root, path));
    if (seen !== null) scan.set(path, seen);
  });
  if (budget === 0) return scan;
  let left = budget;
  const chosen: [string, Seen][] = [];
  for (const entry of budgetOrder(scan)) {
    if (chosen.length === ignoredFileLimit) break;
    if (entry[1].size <= left) chosen.push(entry);
    if (entry[1].size <= left) left -= entry[1].size;
  }
  await inChunks(chosen, ([path, seen]) => {
    const kept = previous?.get(path);
    const bytes = kept?.stamp === seen.stamp ? kept.bytes : readIfThere(join(root, path));
    if (bytes?.length === seen.size) seen.bytes = bytes; // else it changed under the read: unread, so reported if it changes again
  }, 200);
  return scan;
}

/** Files grouped by their top folder, groups with fewer files first, and smaller files first within a group. */
function budgetOrder(scan: IgnoredScan): [string, Seen][] {
  const files = [...scan.entries()].filter(([, seen]) => seen.kind === "file");
  const top = (path: string) => path.split("/")[0]!;
  const counts = new Map<string, number>();
  for (const [path] of files) counts.set(top(path), (counts.get(top(path)) ?? 0) + 1);
  return files.sort(([a, x], [b, y]) => counts.get(top(a))! - counts.get(top(b))! || x.size - y.size);
}

function readIfThere(path: string): Uint8Array | undefined {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

/** The checkpoint entries for what changed between two scans (the second one without bytes: they are read here,
 *  within what is left of the budget, and the bytes known are put in it, for the next scan to reuse). */
export async function ignoredChanges(root: string, before: IgnoredScan, after: IgnoredScan): Promise<{ files: FileSnapshot[]; unrecorded: Unrecorded[] }> {
  const files: FileSnapshot[] = [];
  const unrecorded: Unrecorded[] = [];
  let left = ignoredBudget;
  for (const path of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const [old, now] = [before.get(path), after.get(path)];
    if (old?.stamp === now?.stamp) {
      if (now !== undefined) now.bytes = old!.bytes; // `after` is the next command's `previous`
      continue;
    }
    if (old?.kind === "other" || now?.kind === "other") {
      unrecorded.push({ path, reason: "an ignored path that is not a file or a symlink changed; Ghost does not checkpoint it" });
      continue;
    }
    if (old?.kind === "file" && old.bytes === undefined) {
      unrecorded.push({ path, reason: `an ignored file changed whose old bytes were ${overBudget}` });
      continue;
    }
    const nowBytes = now?.kind === "file" ? await readWithin(join(root, path), now.size, left) : null;
    if (now?.kind === "file" && nowBytes === null) {
      unrecorded.push({ path, reason: `an ignored file changed whose new bytes are ${overBudget}` });
      continue;
    }
    if (now?.kind === "file" && nowBytes?.length === now.size) now.bytes = nowBytes!;
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
  if (old?.kind === "file") snapshot.owner = old.owner;
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
  const seen: Seen = { stamp, kind, mode: Number(stats.mode & 0o7777n), owner: `${stats.uid}:${stats.gid}`, size: Number(stats.size) };
  if (kind === "link") seen.target = readlinkSync(path);
  return seen;
}
