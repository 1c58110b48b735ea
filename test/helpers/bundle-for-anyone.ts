// Tests that run code as another user (nobody) can not load it from the checkout, which may sit in a folder only
// its owner can enter (CI clones into one). This bundles an entry point, with the regex search worker it may start,
// into a fresh folder every user can read, with the tree-sitter grammars and queries the build put in dist/ (so `npm run
// build` comes first, as in `npm test`), and returns the bundle's path.
import { chmodSync, cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { build } from "esbuild";
import { nodeBundle } from "../../scripts/node-bundle.mjs";

export async function bundleForAnyone(entry: string): Promise<string> {
  const folder = mkdtempSync(join(tmpdir(), "ghost-bundle-"));
  process.once("exit", () => rmSync(folder, { recursive: true, force: true }));
  const name = basename(entry).replace(/\.ts$/, "");
  await build({
    // The regex search runs in a worker thread, which loads search-worker.js from beside the bundle.
    entryPoints: { [name]: entry, "search-worker": "agent/tools/search-worker.ts" },
    outdir: folder,
    ...nodeBundle,
  });
  // The data files the bundles read from beside themselves, as the build lays them out in dist/.
  for (const data of ["tree-sitter", "context", "conventions"]) cpSync(join("dist", data), join(folder, data), { recursive: true });
  for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true })) chmodSync(join(entry.parentPath, entry.name), entry.isDirectory() ? 0o755 : 0o644);
  chmodSync(folder, 0o755);
  return join(folder, `${name}.js`);
}
