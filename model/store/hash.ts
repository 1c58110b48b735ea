// Content hashes of files on disk, in the two forms the hub publishes: sha256 (LFS files) and the git blob sha1
// (`sha1("blob <size>\0" + content)`, other files). It knows nothing of the hub or the store layout.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";

export type ContentHash = { algorithm: "sha256" | "git-sha1"; hex: string };

export interface FileHashes {
  size: number;
  sha256: string;
  gitSha1: string;
}

/** Both hashes in one read of the file. */
export async function hashFile(path: string, signal?: AbortSignal): Promise<FileHashes> {
  const { size } = await stat(path);
  const sha256 = createHash("sha256");
  const gitSha1 = createHash("sha1").update(`blob ${size}\0`);
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20, signal })) {
    sha256.update(chunk as Buffer);
    gitSha1.update(chunk as Buffer);
  }
  return { size, sha256: sha256.digest("hex"), gitSha1: gitSha1.digest("hex") };
}

export function hashOf(hashes: FileHashes, algorithm: ContentHash["algorithm"]): string {
  return algorithm === "sha256" ? hashes.sha256 : hashes.gitSha1;
}
