// Reading and writing one file on disk so that a save the user makes meanwhile is never lost: a read keeps the
// stat it was made under (device, inode, size, mtime and ctime in ns), and a write compares and swaps: immediately
// before its rename it checks the file still has that stat and those bytes, and writes nothing when it moved.
// Writes are atomic (a flushed temp file renamed over the file, keeping its mode, and its owner when Ghost runs as
// root); a file with other hard links is written in place instead, so it stays one file under all its names. A new
// file is linked into place, which fails rather than replace one created meanwhile. Extended attributes are not
// copied (Node has no API for them): a file that has some keeps them only when written in place.
// Knows nothing about what the bytes mean.
import { randomBytes } from "node:crypto";
import { constants, copyFile, link, open, readFile, rename, rm, stat, unlink } from "node:fs/promises";
import type { BigIntStats } from "node:fs";
import { basename, dirname, join } from "node:path";
import { sameBytes } from "./text-format";

/** What a path held when read: its bytes (null: absent) and the stat they were read under (null: absent). */
export interface Observed {
  bytes: Uint8Array | null;
  stat: BigIntStats | null;
}

/** Test seam: runs as the last step before the final check of a swap, where a save would be lost if that check
 *  were missing. null outside tests. */
export const swapHooks: { beforeCheck: ((path: string) => Promise<void>) | null } = { beforeCheck: null };

/** The file's bytes, or null when it does not exist. */
export async function readCurrent(path: string): Promise<Uint8Array | null> {
  try {
    return await readFile(path);
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

/** The bytes at `path` (following links, as a read does) with the stat they were read under; read again while a
 *  writer changes the file under the read. A file that never holds still gets no stat, so any swap against it
 *  finds it moved. */
export async function observe(path: string): Promise<Observed> {
  let bytes: Uint8Array | null = null;
  for (let attempt = 0; attempt < 5; attempt++) {
    const stat = await statIfExists(path);
    bytes = await readCurrent(path);
    if (sameStamp(stat, await statIfExists(path)) && (stat === null) === (bytes === null)) return { bytes, stat };
  }
  return { bytes, stat: null };
}

/** What a file created by a swap gets (a restored file's old mode, and its owner "uid:gid" when Ghost runs as root). */
export interface NewFile {
  mode?: number;
  owner?: string;
}

/** Writes `bytes` to `path` (null: deletes it) only if it still holds what `expected` saw; "moved" when it does not,
 *  and then nothing was written. */
export async function swapFile(path: string, bytes: Uint8Array | null, expected: Observed, created: NewFile = {}): Promise<"written" | "moved"> {
  if (bytes === null) {
    if (!(await unmoved(path, expected))) return "moved";
    await rm(path);
    return "written";
  }
  if (expected.stat !== null && expected.stat.nlink > 1n) return writeInPlace(path, bytes, expected);
  const temp = await writeTemp(path, bytes, expected.stat, created);
  try {
    if (!(await unmoved(path, expected))) return "moved";
    if (expected.stat === null) await linkNew(temp, path);
    else await rename(temp, path);
    return "written";
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return "moved";
    throw error;
  } finally {
    await rm(temp, { force: true }); // gone already after a rename
  }
}

/** Writes a temp file next to `path` and renames it over the file: a reader sees the old bytes or the new ones,
 *  never half of them. For Ghost's own files (checkpoint blobs); workspace files go through swapFile. */
export async function atomicWrite(path: string, bytes: Uint8Array): Promise<void> {
  const temp = await writeTemp(path, bytes, await statIfExists(path));
  try {
    await rename(temp, path);
  } finally {
    await rm(temp, { force: true });
  }
}

/** Puts a new file in place, failing with EEXIST if one appeared meanwhile: a hard link, or where the file system
 *  has none (some network and FUSE mounts), an exclusive copy. */
async function linkNew(temp: string, path: string): Promise<void> {
  await link(temp, path).catch((error: NodeJS.ErrnoException) => {
    if (!["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS", "EMLINK"].includes(error.code ?? "")) throw error;
    return copyFile(temp, path, constants.COPYFILE_EXCL);
  });
}

/** A flushed temp file in the same folder (so a rename is atomic) with the old file's mode and, as root, owner. */
async function writeTemp(path: string, bytes: Uint8Array, old: BigIntStats | null, created: NewFile = {}): Promise<string> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.ghost-tmp`);
  const wanted = old === null ? created.mode : Number(old.mode & 0o7777n);
  const owner = old === null ? created.owner?.split(":").map(Number) : [Number(old.uid), Number(old.gid)];
  const handle = await open(temp, "wx", wanted ?? 0o666);
  try {
    await handle.writeFile(bytes);
    if (wanted !== undefined) await handle.chmod(wanted); // open()'s mode is filtered by the umask; the old mode is not
    if (owner !== undefined && process.getuid?.() === 0) await handle.chown(owner[0]!, owner[1]!);
    if (wanted !== undefined && owner !== undefined) await handle.chmod(wanted); // chown clears setuid and setgid
    await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(temp);
    throw error;
  }
  await handle.close();
  return temp;
}

/** A hard-linked file keeps its inode: truncate and write through the same handle after the check. Not atomic (a
 *  reader may see it half written), which is the price of keeping the links. */
async function writeInPlace(path: string, bytes: Uint8Array, expected: Observed): Promise<"written" | "moved"> {
  const handle = await open(path, "r+");
  try {
    if (!(await unmoved(path, expected))) return "moved";
    await handle.truncate(0);
    await handle.write(bytes, 0, bytes.length, 0);
    await handle.sync();
    return "written";
  } finally {
    await handle.close();
  }
}

/** The compare of compare-and-swap: same stat, and (a write within one mtime tick keeps the stat) same bytes. */
async function unmoved(path: string, expected: Observed): Promise<boolean> {
  await swapHooks.beforeCheck?.(path);
  const stat = await statIfExists(path);
  if (!sameStamp(stat, expected.stat)) return false;
  return sameBytes(await readCurrent(path), expected.bytes);
}

function sameStamp(a: BigIntStats | null, b: BigIntStats | null): boolean {
  if (a === null || b === null) return a === b;
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs && a.mode === b.mode;
}

/** stat() follows links, as a read does: what is compared is the file the bytes came from. */
async function statIfExists(path: string): Promise<BigIntStats | null> {
  return stat(path, { bigint: true }).catch((error) => (isMissing(error) ? null : Promise.reject(error)));
}

export function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "ENOENT" || code === "ENOTDIR";
}
