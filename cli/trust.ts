// Workspace trust for the CLI, as VS Code's Workspace Trust is for the extension: a folder is trusted only when the
// user says so, with --trust for one run or by listing it (or a folder above it) in
// $XDG_CONFIG_HOME/ghost/trusted-folders.json (default ~/.config/ghost/), a JSON list of absolute paths. An
// untrusted workspace is capped at suggest (level 1). A repository can not trust itself: the list lives in the
// user's config, never in the workspace.
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { isAbsolute, join, relative } from "node:path";
import { z } from "zod";

export function trustedFoldersFile(): string {
  return join(process.env.XDG_CONFIG_HOME || join(homedir(), ".config"), "ghost", "trusted-folders.json");
}

export async function isTrustedFolder(root: string): Promise<boolean> {
  const file = trustedFoldersFile();
  const text = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return null;
    throw new Error(`${file} can not be read: ${error.message}`);
  });
  if (text === null) return false;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not JSON (${(error as Error).message}); it must hold a list of absolute folder paths`);
  }
  const folders = z.array(z.string().refine(isAbsolute, "an absolute path")).safeParse(json);
  if (!folders.success) throw new Error(`${file} must hold a JSON list of absolute folder paths: ${z.prettifyError(folders.error)}`);
  return folders.data.some((folder) => {
    const inside = relative(folder, root);
    return inside === "" || (!inside.startsWith("..") && !isAbsolute(inside));
  });
}
