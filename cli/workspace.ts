// The CLI's view of a workspace: its root, a tag index built over its source files, and recent chunks seeded
// with the file being completed's neighbours. The extension keeps the same objects alive across requests.
import { readFile } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import { RecentChunks } from "../agent/context/similar-chunks";
import { buildIndex, TagIndex } from "../agent/context/tag-index";
import { listSourceFiles } from "../agent/context/workspace-files";

export interface CliWorkspace {
  root: string;
  /** The file's workspace-relative POSIX path. */
  relativePath: string;
  index: TagIndex;
  recent: RecentChunks;
}

export async function openWorkspace(file: string, root: string | undefined): Promise<CliWorkspace> {
  const workspaceRoot = resolve(root ?? dirname(file));
  const relativePath = relative(workspaceRoot, resolve(file)).split(sep).join("/");
  if (relativePath.startsWith("..")) throw new Error(`${file} is outside the workspace root ${workspaceRoot} (--root)`);
  const paths = await listSourceFiles(workspaceRoot);
  const index = new TagIndex();
  await buildIndex(index, paths, (path) => readFile(join(workspaceRoot, path), "utf8"));
  // Without an editor's history, the files next to this one stand in for "recently opened".
  const recent = new RecentChunks();
  const neighbours = paths.filter((path) => path !== relativePath && dirname(path) === dirname(relativePath)).slice(0, 8);
  for (const path of neighbours) recent.touch(path, await readFile(join(workspaceRoot, path), "utf8"));
  return { root: workspaceRoot, relativePath, index, recent };
}
