// Downloads one variant of a hub model into the store. It asks first, resumes interrupted transfers with HTTP Range,
// verifies every file's size and hash, and only then moves the folder into place, so the store never holds a
// half-written model. It knows the hub client and the store layout; it knows nothing of VS Code or the CLI.
import { mkdir, open, rename, rm, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { hashFile, hashOf } from "./hash";
import { HubClient, HubError, type HubFile, type HubOptions } from "./hub-client";
import { DEFAULT_REVISION } from "./model-ref";
import { defaultStoreDir, listRelativeFiles, modelDir, stagingDir, writeManifest } from "./store-dir";
import type { Manifest, ManifestFile } from "./store-dir";
import { selectFiles, type Variant, type VariantChoice } from "./variants";

export interface DownloadPlan {
  repo: string;
  revision: string;
  variant: Variant;
  files: HubFile[];
  totalBytes: number;
}

export interface DownloadProgress {
  file: string;
  fileBytes: number;
  fileTotal: number;
  /** Bytes on disk for this download. It goes down only when a server ignores Range and a file restarts. */
  bytesDone: number;
  bytesTotal: number;
}

export interface DownloadOptions extends HubOptions {
  repo: string;
  revision?: string;
  variant?: VariantChoice;
  storeDir?: string;
  /** Called with the plan before anything is written; false cancels the download. */
  confirm: (plan: DownloadPlan) => Promise<boolean>;
  onProgress?: (progress: DownloadProgress) => void;
  /** Aborting keeps the .part files: the next call resumes from them. */
  signal?: AbortSignal;
  /** How often one file's transfer may break off and resume before the download fails (default 3). */
  retries?: number;
}

export type DownloadResult =
  | { kind: "downloaded"; dir: string; manifest: Manifest }
  | { kind: "declined"; plan: DownloadPlan };

const PROGRESS_INTERVAL_MS = 100;

export async function downloadModel(options: DownloadOptions): Promise<DownloadResult> {
  const { repo, revision = DEFAULT_REVISION, signal } = options;
  const hub = new HubClient(options);
  const plan = await planDownload(hub, repo, revision, options.variant ?? "auto", signal);
  if (!(await options.confirm(plan))) return { kind: "declined", plan };

  const storeDir = options.storeDir ?? defaultStoreDir(options.env);
  const staging = stagingDir(storeDir, repo, revision);
  await prepareStaging(staging, plan.files);
  const transfer: Transfer = { hub, plan, signal, retries: options.retries ?? 3 };
  const report = progressReporter(plan, options.onProgress);
  let commit: string | undefined;
  const verified: ManifestFile[] = [];
  for (const [index, file] of plan.files.entries()) {
    const part = partPath(staging, file);
    const served = await fetchWithRetries(transfer, file, part, (bytes, force) => report(index, bytes, force));
    commit ??= served;
    verified.push(await verifyPart(part, file, signal));
  }
  await Promise.all(plan.files.map((file) => rename(partPath(staging, file), join(staging, file.path))));
  const downloadedAt = new Date().toISOString();
  const manifest: Manifest = { version: 1, repo, revision, commit, variant: plan.variant, downloadedAt, files: verified };
  await writeManifest(staging, manifest);
  const dir = modelDir(storeDir, repo, revision);
  await moveIntoPlace(staging, dir);
  return { kind: "downloaded", dir, manifest };
}

/** The files of the variant and their total size, from the hub's file list; nothing is written. */
export async function planDownload(
  hub: HubClient,
  repo: string,
  revision: string,
  choice: VariantChoice,
  signal?: AbortSignal,
): Promise<DownloadPlan> {
  const listing = await hub.listFiles(repo, revision, signal);
  const byPath = new Map(listing.map((file) => [file.path, file]));
  const selection = selectFiles([...byPath.keys()], choice, `${repo}@${revision}`);
  const files = selection.files.map((path) => byPath.get(path)!);
  const totalBytes = files.reduce((sum, file) => sum + file.size, 0);
  return { repo, revision, variant: selection.variant, files, totalBytes };
}

/**
 * A part file carries the start of the expected hash in its name, so a part left from an older commit of the
 * same file is never resumed; it is deleted with everything else this download does not need.
 */
function partPath(staging: string, file: HubFile): string {
  return join(staging, `${file.path}.${file.hash.hex.slice(0, 12)}.part`);
}

async function prepareStaging(staging: string, files: HubFile[]): Promise<void> {
  await mkdir(staging, { recursive: true });
  const keep = new Set(files.map((file) => partPath(staging, file)));
  const stale = (await listRelativeFiles(staging)).map((path) => join(staging, path)).filter((path) => !keep.has(path));
  await Promise.all(stale.map((path) => rm(path, { force: true })));
  await Promise.all(files.map((file) => mkdir(dirname(partPath(staging, file)), { recursive: true })));
}

/** What every file's transfer shares. */
interface Transfer {
  hub: HubClient;
  plan: DownloadPlan;
  signal?: AbortSignal;
  retries: number;
}

type Report = (fileBytes: number, force: boolean) => void;

/** Resumes a transfer that broke off, up to `retries` times, waiting a little longer each time. */
async function fetchWithRetries(transfer: Transfer, file: HubFile, part: string, report: Report): Promise<string | undefined> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fetchFile(transfer, file, part, report);
    } catch (error) {
      if (!(error instanceof HubError && error.kind === "network")) throw error;
      if (attempt >= transfer.retries) {
        const kept = (await sizeOnDisk(part)) ?? 0;
        const hint = `${file.path}: ${kept} of ${file.size} bytes are kept; download again to resume.`;
        throw new HubError(`${error.message}. ${hint}`, "network");
      }
      await sleep(Math.min(500 * 2 ** attempt, 10_000), undefined, { signal: transfer.signal });
    }
  }
}

/** Appends the missing bytes to the part file; returns the commit the hub named, if it was asked. */
async function fetchFile({ hub, plan, signal }: Transfer, file: HubFile, part: string, report: Report): Promise<string | undefined> {
  const have = await sizeOnDisk(part);
  if (have === file.size) {
    report(have, true);
    return undefined;
  }
  const from = have !== undefined && have < file.size ? have : 0;
  const stream = await hub.openFile(plan.repo, plan.revision, file.path, from, signal);
  // A server that ignores Range answers the whole file: start it over rather than append it.
  const out = await open(part, stream.start === 0 ? "w" : "a");
  let bytes = stream.start;
  report(bytes, true);
  try {
    for await (const chunk of stream.chunks) {
      await out.write(chunk);
      bytes += chunk.length;
      report(bytes, false);
    }
  } finally {
    await out.close();
  }
  report(bytes, true);
  return stream.commit;
}

async function verifyPart(part: string, file: HubFile, signal?: AbortSignal): Promise<ManifestFile> {
  const hashes = await hashFile(part, signal);
  const actual = hashOf(hashes, file.hash.algorithm);
  if (hashes.size !== file.size || actual !== file.hash.hex) {
    await rm(part, { force: true });
    throw new Error(
      `${file.path} is corrupt: expected ${file.size} bytes with ${file.hash.algorithm} ${file.hash.hex}, ` +
        `got ${hashes.size} bytes with ${file.hash.algorithm} ${actual}. The bad copy was deleted; download again.`,
    );
  }
  return { path: file.path, size: file.size, sha256: hashes.sha256 };
}

/** A rename is atomic: the final path holds either the old complete model or the new one, never a partial one. */
async function moveIntoPlace(staging: string, dir: string): Promise<void> {
  const replaced = `${staging}.replaced`;
  await rm(replaced, { recursive: true, force: true });
  await mkdir(dirname(dir), { recursive: true });
  if ((await sizeOnDisk(dir)) !== undefined) await rename(dir, replaced);
  await rename(staging, dir);
  await rm(replaced, { recursive: true, force: true });
}

/** Progress for file `index` of the plan, at most every 100 ms unless forced (start and end of each file). */
function progressReporter(plan: DownloadPlan, onProgress?: (progress: DownloadProgress) => void) {
  const before = plan.files.map((_, index) => plan.files.slice(0, index).reduce((sum, file) => sum + file.size, 0));
  let last = -Infinity;
  return (index: number, fileBytes: number, force: boolean) => {
    const now = performance.now();
    if (onProgress === undefined || (!force && now - last < PROGRESS_INTERVAL_MS)) return;
    last = now;
    const file = plan.files[index]!;
    const bytesDone = before[index]! + fileBytes;
    onProgress({ file: file.path, fileBytes, fileTotal: file.size, bytesDone, bytesTotal: plan.totalBytes });
  };
}

/** The size of a file (or a folder's entry), undefined when there is none. */
async function sizeOnDisk(path: string): Promise<number | undefined> {
  const stats = await stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw error;
  });
  return stats?.size;
}
