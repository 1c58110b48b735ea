// Turns the `ghost.model` setting into a model folder on disk: the folder itself, or the store's copy of a hub repo.
// It never downloads (see download.ts) and does not look inside the folder (see verify.ts). A setting that names an
// existing folder (relative to the workspace, or to the current folder in the CLI) is that folder, even when it is
// spelled like a hub id: `models/coder` or `test/fixtures/models/tiny-coder`.
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { formatModelRef, type ModelRef, parseModelRef, type ParseOptions } from "./model-ref";
import { defaultStoreDir, type Manifest, modelDir, readManifest } from "./store-dir";

export interface ResolveOptions extends ParseOptions {
  storeDir?: string;
}

export interface ResolvedModel {
  dir: string;
  ref: ModelRef;
  /** Present for hub models: what was downloaded, and when. */
  manifest?: Manifest;
}

export async function resolveModel(setting: string, options: ResolveOptions = {}): Promise<ResolvedModel> {
  const existing = resolve(options.baseDir ?? process.cwd(), setting.trim());
  const ref: ModelRef = (await isFolder(existing)) ? { kind: "local", dir: existing } : parseModelRef(setting, options);
  if (ref.kind === "local") {
    await checkFolder(ref.dir);
    return { dir: ref.dir, ref };
  }
  const dir = modelDir(options.storeDir ?? defaultStoreDir(), ref.repo, ref.revision);
  const manifest = await readManifest(dir);
  if (manifest === undefined) {
    const id = formatModelRef(ref);
    throw new Error(`ghost.model: ${id} is not downloaded yet. Download it with \`ghost models download ${id}\`, then try again.`);
  }
  return { dir, ref, manifest };
}

async function isFolder(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

async function checkFolder(dir: string): Promise<void> {
  const stats = await stat(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw error;
  });
  if (stats === undefined) throw new Error(`ghost.model: the folder ${dir} does not exist. Set ghost.model to a model folder or a hub repo id.`);
  if (!stats.isDirectory()) throw new Error(`ghost.model: ${dir} is a file, not a folder. Set ghost.model to the folder that holds config.json.`);
}
