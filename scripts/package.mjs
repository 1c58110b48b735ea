// `npm run package [-- --target T]`: builds ghost-<target>-<version>.vsix for one platform (default: this machine's,
// e.g. linux-x64) with @vscode/vsce, and prints its size. The extension runs from its bundles, so nothing is packed
// from the source tree: the build's dist/ (the extension's activation shell and the rest it loads on first use,
// ghost-core.js; model worker, search worker, webview, tree-sitter .wasm and .scm files), the activity bar icon, the
// walkthrough pages, the README, and onnxruntime-node (a native addon, kept out of the bundle) with only the target's
// binaries, are staged in .cache/vsix/<target>/ and packed from there with .vscodeignore. onnxruntime-node goes to
// dist/node_modules/, where the bundles' require() finds it first: vsce packs no top-level node_modules/ unless it runs
// npm, and there is no npm tree to run it on. Prints the VSIX's path last.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

const root = resolve(import.meta.dirname, "..");
const { values } = parseArgs({ options: { target: { type: "string", default: `${process.platform}-${process.arch}` }, "no-build": { type: "boolean", default: false } } });
const target = values.target;
// vsce's target names are onnxruntime-node's bin/napi-v6/<platform>/<arch>/ folders, joined by a dash.
const [platform, arch] = target.split("-");
const binaries = join(root, "node_modules/onnxruntime-node/bin/napi-v6", platform ?? "", arch ?? "");
if (!existsSync(binaries)) {
  const targets = readdirSync(join(root, "node_modules/onnxruntime-node/bin/napi-v6")).flatMap((os) =>
    readdirSync(join(root, "node_modules/onnxruntime-node/bin/napi-v6", os)).map((cpu) => `${os}-${cpu}`),
  );
  console.error(`package: --target ${target} has no onnxruntime binaries; use one of ${targets.join(", ")}`);
  process.exit(1);
}

if (!values["no-build"]) execFileSync(process.execPath, [join(root, "scripts/build.mjs")], { cwd: root, stdio: "inherit" });
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const stage = join(root, ".cache/vsix", target);
rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });

const copy = (from, to = from, filter = () => true) => cpSync(join(root, from), join(stage, to), { recursive: true, dereference: true, filter });
// dist/test/ is the VS Code tests' build, whose links reach the whole node_modules/.
copy("dist", "dist", (source) => source !== join(root, "dist/test"));
copy("webview/ghost.svg");
copy("extension/walkthrough");
copy("README.md");
copy(".vscodeignore");
for (const pkg of ["onnxruntime-node", "onnxruntime-common"]) {
  for (const entry of readdirSync(join(root, "node_modules", pkg)).filter((name) => name !== "bin")) copy(`node_modules/${pkg}/${entry}`, `dist/node_modules/${pkg}/${entry}`);
}
const targetBinaries = `node_modules/onnxruntime-node/bin/napi-v6/${platform}/${arch}`;
copy(targetBinaries, `dist/${targetBinaries}`);

// The installed extension needs the manifest's VS Code fields, not the development ones (scripts would make vsce
// run them; dependencies would make it look for an npm tree).
const { scripts, devDependencies, dependencies, allowScripts, bin, ...shipped } = manifest;
writeFileSync(join(stage, "package.json"), JSON.stringify(shipped, null, 2) + "\n");

const out = join(root, `ghost-${target}-${manifest.version}.vsix`);
const vsce = join(root, "node_modules/@vscode/vsce/vsce");
const flags = ["--no-dependencies", "--skip-license", "--allow-missing-repository", "--no-rewrite-relative-links"];
execFileSync(process.execPath, [vsce, "package", "--target", target, "--out", out, ...flags], { cwd: stage, stdio: ["ignore", "ignore", "inherit"] });
const files = execFileSync(process.execPath, [vsce, "ls", "--no-dependencies"], { cwd: stage, encoding: "utf8" }).trim().split("\n");
if (!files.some((file) => file.endsWith("onnxruntime_binding.node"))) throw new Error("package: onnxruntime's binding is missing from the VSIX");
console.log(`package: ${files.length} files, ${(statSync(out).size / 2 ** 20).toFixed(1)} MB`);
console.log(out);
