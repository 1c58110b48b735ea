// How the miner sees a workspace: read a file, list a folder, stat a file. The default reads the real file system
// under a root; tests pass their own to count reads. A missing file is null; a file that can not be read is an error. Reads go through the
// same locate and read policy as the agent's read_file: a rule file that is a symlink out of the workspace, or to a
// secret inside it (.env, a key), reads as absent, so it can never be quoted into a prompt.
import { readdir, readFile, realpath, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { resolveInside } from "../../diffing/fs-apply";
import { decide, defaultRules } from "../autonomy";
import { listSourceFiles } from "../context/workspace-files";

export interface FileStamp {
  mtimeMs: number;
  size: number;
}

export interface WorkspaceReader {
  /** Workspace-relative POSIX paths of the source files Ghost parses. */
  sourceFiles(): Promise<string[]>;
  read(path: string): Promise<string | null>;
  stat(path: string): Promise<FileStamp | null>;
  /** File names in a folder; [] for a missing one. */
  list(dir: string): Promise<string[]>;
}

export function fileSystemReader(root: string, limit?: number): WorkspaceReader {
  // Only "no such file" is absent (a rule file is optional; a source file may be removed between listing and
  // reading); any other failure (EACCES, EIO) is thrown, naming the file, not mistaken for a missing one.
  const absent = (error: NodeJS.ErrnoException) => ["ENOENT", "ENOTDIR", "EISDIR"].includes(error.code ?? "");
  const missing = (error: NodeJS.ErrnoException) => (absent(error) ? null : Promise.reject(error));
  let realRoot: Promise<string> | null = null; // once: every read needs it
  return {
    sourceFiles: () => listSourceFiles(root, limit),
    read: async (path) => {
      realRoot ??= realpath(root);
      const located = await readableInside(root, await realRoot, path);
      return located === null ? null : readFile(located, "utf8").catch(missing);
    },
    stat: (path) => stat(join(root, path)).then(({ mtimeMs, size }) => ({ mtimeMs, size }), missing),
    list: (dir) => readdir(join(root, dir), { withFileTypes: true }).then((entries) => entries.filter((entry) => entry.isFile()).map((entry) => entry.name), (error) => (absent(error) ? [] : Promise.reject(error))),
  };
}

/** The real path of `path` when read_file could read it without asking (inside the workspace, symlinks resolved,
 *  not a secret); null otherwise. */
async function readableInside(root: string, realRoot: string, path: string): Promise<string | null> {
  const resolved = await resolveInside(root, path);
  if (!resolved.ok) return null;
  const inside = relative(realRoot, resolved.path).split(sep).join("/");
  return decide({ kind: "read", path: inside, outside: null }, 4, defaultRules).verdict === "allow" ? resolved.path : null;
}
