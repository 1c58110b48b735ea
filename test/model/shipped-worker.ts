// The model worker as the build ships it (model/worker-main.ts bundled with scripts/build.mjs's options, with the
// graph rewrite's process beside it, where the worker forks it from), for tests that measure the worker's memory:
// under tsx it would carry tsx's loader, 20-35 MB users never have. Built fresh from the source under test, inside
// node_modules so the bundle resolves onnxruntime-node as dist/ does.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { nodeBundle } from "../../scripts/node-bundle.mjs";

let bundled: Promise<string> | null = null;

export function shippedWorker(): Promise<string> {
  bundled ??= (async () => {
    mkdirSync(join("node_modules", ".cache"), { recursive: true });
    const folder = mkdtempSync(join("node_modules", ".cache", "ghost-worker-"));
    process.once("exit", () => rmSync(folder, { recursive: true, force: true }));
    await build({ entryPoints: { "worker-main": "model/worker-main.ts", "graph-rewrite": "model/graph/graph-rewrite.ts" }, outdir: folder, ...nodeBundle });
    return join(process.cwd(), folder, "worker-main.js");
  })();
  return bundled;
}
