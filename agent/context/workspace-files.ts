// Lists a workspace's source files for indexing: every file whose language Ghost parses, skipping dependency,
// build and hidden folders. Knows the filesystem layout, nothing about parsing.
import { readdir } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { languageOf } from "./languages";

const skippedFolders = new Set(["node_modules", "dist", "out", "build", "target", "vendor", "__pycache__", "venv", ".venv"]);

/** Workspace-relative POSIX paths, sorted, at most `limit`. */
export async function listSourceFiles(root: string, limit = 20000): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (found.length >= limit) return;
      if (entry.name.startsWith(".")) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!skippedFolders.has(entry.name)) await walk(path);
      } else if (entry.isFile() && languageOf(entry.name)) found.push(relative(root, path).split(sep).join("/"));
    }
  };
  await walk(root);
  return found;
}
