// The CLI's view of a workspace: its root, a tag index built over its source files, and recent chunks seeded
// with the file being completed's neighbours. The extension keeps the same objects alive across requests.
import { readFile } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import { RecentChunks } from "../agent/context/similar-chunks";
import { openCachedIndex } from "../agent/context/index-cache";
import { languageOf } from "../agent/context/languages";
import type { TagIndex } from "../agent/context/tag-index";
import { chooseRoot } from "./root";
import { workspaceStorage } from "./storage";

export interface CliWorkspace {
  root: string;
  /** The file's workspace-relative POSIX path. */
  relativePath: string;
  index: TagIndex;
  recent: RecentChunks;
}

export async function openWorkspace(file: string, root: string | undefined): Promise<CliWorkspace> {
  const workspaceRoot = chooseRoot(root, dirname(resolve(file)));
  const relativePath = relative(workspaceRoot, resolve(file)).split(sep).join("/");
  if (relativePath.startsWith("..")) throw new Error(`${file} is outside the workspace root ${workspaceRoot} (--root)`);
  // Kept in Ghost's storage for this root and refreshed file by file: a repeated call parses only what changed.
  const { index, paths: indexed } = await openCachedIndex(workspaceRoot, join(workspaceStorage(workspaceRoot), "tag-index.json"));
  for (const problem of index.problems.values()) console.error(`ghost: ${problem}`);
  const paths = indexed.filter((path) => languageOf(path) !== null);
  // Without an editor's history, the files next to this one stand in for "recently opened".
  const recent = new RecentChunks();
  const neighbours = paths.filter((path) => path !== relativePath && dirname(path) === dirname(relativePath)).slice(0, 8);
  for (const path of neighbours) recent.touch(path, await readFile(join(workspaceRoot, path), "utf8"));
  return { root: workspaceRoot, relativePath, index, recent };
}
