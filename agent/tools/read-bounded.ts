// Reads one file for the agent's tools, within a size bound: the model's path may name a 10 GB log, a folder, a
// named pipe (reading it would wait forever for a writer) or a device. Each comes back as a reason, never as a
// hang or the whole file in memory. Knows nothing about the policy: the path is located and allowed already.
import { constants } from "node:fs";
import { open } from "node:fs/promises";
import type { ReadResult } from "../workspace";

/** What read_file and the change tools read at most: far beyond source code, short of a memory problem. */
export const maxReadBytes = 8 * 1024 * 1024;

export async function readBounded(path: string, maxBytes = maxReadBytes): Promise<ReadResult> {
  // O_NONBLOCK: opening a FIFO without a writer returns at once instead of blocking; a regular file ignores it.
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK).catch((error: NodeJS.ErrnoException) => error);
  if (handle instanceof Error) return handle.code === "ENOENT" ? { kind: "missing" } : { kind: "unreadable", reason: handle.code ?? handle.message };
  try {
    const stats = await handle.stat();
    if (stats.isDirectory()) return { kind: "unreadable", reason: "EISDIR" };
    if (!stats.isFile()) return { kind: "unreadable", reason: "not a regular file" };
    if (stats.size > maxBytes) return { kind: "unreadable", reason: `${stats.size} bytes, over the ${maxBytes} bytes Ghost reads` };
    return { kind: "file", bytes: new Uint8Array(await handle.readFile()) };
  } finally {
    await handle.close();
  }
}
