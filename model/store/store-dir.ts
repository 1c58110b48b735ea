// Where downloaded models live, and the manifest each one carries.
// Layout: <store>/<owner>--<name>--<revision>/ holds one model; <store>/.partial/ holds downloads in progress.
// It knows paths and the manifest format; it does not download or hash anything.
import { readdir, readFile, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join, relative, sep } from "node:path";
import { z } from "zod";
import { ghostHome } from "../ghost-home";
import { VARIANTS } from "./variants";

export const MANIFEST_FILE = ".ghost-manifest.json";
const PARTIAL = ".partial";

/** `$GHOST_HOME/models`, else `~/.cache/ghost/models`. */
export function defaultStoreDir(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  return join(ghostHome(env, home), "models");
}

/** `owner/name` at `refs/pr/1` → `owner--name--refs_pr_1`. Names can't contain `--`, so the repo part is unambiguous. */
export function modelFolderName(repo: string, revision: string): string {
  return `${repo.replace("/", "--")}--${revision.replace(/[^A-Za-z0-9._-]/g, "_")}`;
}

export function modelDir(storeDir: string, repo: string, revision: string): string {
  return join(storeDir, modelFolderName(repo, revision));
}

/** The staging folder of a download in progress; its `.part` files survive until the download completes. */
export function stagingDir(storeDir: string, repo: string, revision: string): string {
  return join(storeDir, PARTIAL, modelFolderName(repo, revision));
}

export function isStoreInternal(folderName: string): boolean {
  return folderName.startsWith(".");
}

const ManifestFile = z.object({
  path: z.string().min(1),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

export const Manifest = z.object({
  version: z.literal(1),
  repo: z.string(),
  revision: z.string(),
  /** The commit the hub served (its `X-Repo-Commit` header), when it said. */
  commit: z.string().optional(),
  variant: z.enum(VARIANTS),
  downloadedAt: z.iso.datetime(),
  files: z.array(ManifestFile),
});
export type Manifest = z.infer<typeof Manifest>;
export type ManifestFile = z.infer<typeof ManifestFile>;

/** The folder's manifest, or undefined when it has none; an unreadable manifest is an error naming the file. */
export async function readManifest(dir: string): Promise<Manifest | undefined> {
  const file = join(dir, MANIFEST_FILE);
  const text = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw error;
  });
  if (text === undefined) return undefined;
  const parsed = Manifest.safeParse(parseJson(text));
  if (!parsed.success) throw new Error(`${file} is not a valid Ghost manifest: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // reported by the schema, with the file's name
  }
}

export async function writeManifest(dir: string, manifest: Manifest): Promise<void> {
  await writeFile(join(dir, MANIFEST_FILE), JSON.stringify(Manifest.parse(manifest), null, 2) + "\n");
}

/** Every file under `dir`, as relative paths with `/` separators (the hub's spelling), sorted. */
export async function listRelativeFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join("/"))
    .sort();
}
