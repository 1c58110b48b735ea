// How the miner sees a workspace: read a file, list a folder, stat a file. The default reads the real file system
// under a root; tests pass their own to count reads. A missing file is null, not an error.
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
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
  const missing = () => null;
  return {
    sourceFiles: () => listSourceFiles(root, limit),
    read: (path) => readFile(join(root, path), "utf8").catch(missing),
    stat: (path) => stat(join(root, path)).then(({ mtimeMs, size }) => ({ mtimeMs, size }), missing),
    list: (dir) => readdir(join(root, dir), { withFileTypes: true }).then((entries) => entries.filter((entry) => entry.isFile()).map((entry) => entry.name), () => []),
  };
}
