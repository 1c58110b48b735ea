// Lists the models downloaded into the store, from their manifests. Folders without a manifest (downloads in
// progress live under .partial/) are not models of the store and are left out. It reads no weights.
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { defaultStoreDir, isStoreInternal, readManifest } from "./store-dir";
import { availableVariants, type Variant } from "./variants";

export interface StoredModel {
  repo: string;
  revision: string;
  commit?: string;
  /** Every variant whose weights the folder holds. */
  variants: Variant[];
  bytes: number;
  dir: string;
  downloadedAt: string;
}

export async function listModels(storeDir = defaultStoreDir()): Promise<StoredModel[]> {
  const entries = await readdir(storeDir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return []; // nothing downloaded yet
    throw error;
  });
  const folders = entries.filter((entry) => entry.isDirectory() && !isStoreInternal(entry.name));
  const models = await Promise.all(folders.map((entry) => storedModel(join(storeDir, entry.name))));
  return models.filter((model) => model !== undefined).sort((a, b) => a.dir.localeCompare(b.dir));
}

async function storedModel(dir: string): Promise<StoredModel | undefined> {
  const manifest = await readManifest(dir);
  if (manifest === undefined) return undefined;
  const { repo, revision, commit, downloadedAt, files } = manifest;
  const variants = availableVariants(files.map((file) => file.path));
  const bytes = files.reduce((sum, file) => sum + file.size, 0);
  return { repo, revision, ...(commit === undefined ? {} : { commit }), variants, bytes, dir, downloadedAt };
}
