// The esbuild options every Node bundle of Ghost's code shares (the shipped build, the VS Code tests' extension,
// the bundles tests run as another user): CommonJS for Node 20, with onnxruntime-node external (a native addon
// loaded from node_modules) and `vscode` too (the host provides it).
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname } from "node:path";

/** @mlc-ai/web-xgrammar ships a UMD build inside a "type": "module" package: read as ESM it exports nothing. Loaded
 *  from a namespace of its own, away from that package.json, esbuild reads it as the CommonJS it is. */
const umdAsCommonJs = {
  name: "umd-as-commonjs",
  setup(build) {
    build.onResolve({ filter: /^@mlc-ai\/web-xgrammar$/ }, (args) => ({ path: createRequire(import.meta.url).resolve(args.path), namespace: "umd" }));
    build.onLoad({ filter: /.*/, namespace: "umd" }, async (args) => ({ contents: await readFile(args.path, "utf8"), loader: "js", resolveDir: dirname(args.path) }));
  },
};

export const nodeBundle = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  external: ["vscode", "onnxruntime-node"],
  // web-tree-sitter's ESM build breaks inside a CJS bundle (import.meta); its own CJS build works. jsonc-parser's
  // main is a UMD build whose require("./impl/…") calls esbuild can not follow; its ESM build bundles.
  alias: { "web-tree-sitter": "./node_modules/web-tree-sitter/web-tree-sitter.cjs", "jsonc-parser": "./node_modules/jsonc-parser/lib/esm/main.js" },
  plugins: [umdAsCommonJs],
  logLevel: "warning",
};

// The first statement of a bundle, before any of its modules runs: the extension's activation time (logged by
// extension/lazy-ghost.ts, and for its own bundle by start-ghost.ts) then counts loading Ghost's code as well as
// running activate(), in wall-clock time and in the CPU time the process spent (which a busy machine inflates less).
export const activationBanner = { js: "var ghostBundleStart = { ms: performance.now(), cpu: process.cpuUsage() };" };
// And its last statement, after all its modules ran: the rest of activation, until VS Code calls activate(), is VS
// Code's own preparation (the extension's context, its storage), which runs beside the loading.
export const activationFooter = { js: "ghostBundleStart.loadedMs = performance.now();" };
