// Bundles Ghost with esbuild: the VS Code extension, the model worker process and the `ghost` CLI, all into dist/.
// onnxruntime-node stays external (a native addon loaded from node_modules); so does `vscode` (the host provides it).
import { build } from "esbuild";
import { existsSync } from "node:fs";

const entries = {
  cli: "cli/ghost.ts",
  "worker-main": "model/worker-main.ts",
  extension: "extension/extension.ts",
};

await build({
  entryPoints: Object.fromEntries(Object.entries(entries).filter(([, source]) => existsSync(source))),
  outdir: "dist",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  sourcemap: true,
  external: ["vscode", "onnxruntime-node"],
  logLevel: "warning",
});
