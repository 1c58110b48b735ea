// The esbuild options every Node bundle of Ghost's code shares (the shipped build, the VS Code tests' extension,
// the bundles tests run as another user): CommonJS for Node 20, with onnxruntime-node external (a native addon
// loaded from node_modules) and `vscode` too (the host provides it).
export const nodeBundle = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  external: ["vscode", "onnxruntime-node"],
  // web-tree-sitter's ESM build breaks inside a CJS bundle (import.meta); its own CJS build works.
  alias: { "web-tree-sitter": "./node_modules/web-tree-sitter/web-tree-sitter.cjs" },
  logLevel: "warning",
};
