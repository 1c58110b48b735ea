// Bundles Ghost with esbuild: the VS Code extension (a small activation shell and the rest, loaded on first use),
// the model worker process and its graph rewrite process, the search worker thread and the `ghost` CLI, all into
// dist/, and copies the tree-sitter runtime and grammars (.wasm, tags.scm) beside them in dist/tree-sitter/.
import { build } from "esbuild";
import { cpSync, existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { activationBanner, activationFooter, nodeBundle } from "./node-bundle.mjs";

const entries = {
  cli: "cli/ghost.ts",
  "worker-main": "model/worker-main.ts",
  // A model's first load rewrites its graph here, in a short-lived process, not in the worker (model/graph/rewrite-process.ts).
  "graph-rewrite": "model/graph/graph-rewrite.ts",
  // The agent's text search runs here, in a worker thread with a time limit (agent/tools/files.ts).
  "search-worker": "agent/tools/search-worker.ts",
  // The tag index parses files here, off the extension host's thread (agent/context/tag-parser-thread.ts).
  "tag-worker": "agent/context/tag-worker.ts",
  // The conventions miner parses files here, off the extension host's thread (agent/conventions/feature-thread.ts).
  "conventions-worker": "agent/conventions/conventions-worker.ts",
  // The activation shell only (commands, providers, status bar as stand-ins): what activation loads.
  extension: "extension/extension.ts",
  // The rest of the extension, which the shell loads on first use (extension/lazy-ghost.ts).
  "ghost-core": "extension/start-ghost.ts",
};

await build({
  entryPoints: Object.fromEntries(Object.entries(entries).filter(([, source]) => existsSync(source))),
  outdir: "dist",
  ...nodeBundle,
  // The shell's require("./ghost-core.js") stays a require of the bundle beside it.
  external: [...nodeBundle.external, "./ghost-core.js"],
  banner: activationBanner,
  footer: activationFooter,
  sourcemap: true,
});

// The agent panel's page (webview/): a browser bundle and its stylesheet, into dist/webview/.
await build({
  entryPoints: { agent: "webview/main.ts", "agent-style": "webview/agent.css" },
  entryNames: "[name]",
  outdir: "dist/webview",
  bundle: true,
  platform: "browser",
  target: "es2022",
  format: "iife",
  minify: true,
  logLevel: "warning",
});

const grammarFiles = {
  "web-tree-sitter": ["web-tree-sitter.wasm"],
  "tree-sitter-typescript": ["tree-sitter-typescript.wasm", "tree-sitter-tsx.wasm", "queries/tags.scm"],
  "tree-sitter-javascript": ["tree-sitter-javascript.wasm", "queries/tags.scm"],
  "tree-sitter-python": ["tree-sitter-python.wasm", "queries/tags.scm"],
  "tree-sitter-go": ["tree-sitter-go.wasm", "queries/tags.scm"],
  "tree-sitter-rust": ["tree-sitter-rust.wasm", "queries/tags.scm"],
  "tree-sitter-java": ["tree-sitter-java.wasm", "queries/tags.scm"],
};
// The conventions miner's own tree-sitter queries (.scm data files).
cpSync("agent/conventions/queries", "dist/conventions/queries", { recursive: true });
// The tag index's own definition queries (declarations the grammars' tags.scm leave out).
cpSync("agent/context/queries", "dist/context/queries", { recursive: true });

for (const [pkg, files] of Object.entries(grammarFiles)) {
  for (const file of files) {
    const target = join("dist", "tree-sitter", pkg, file);
    mkdirSync(dirname(target), { recursive: true });
    cpSync(join("node_modules", pkg, file), target);
  }
}
